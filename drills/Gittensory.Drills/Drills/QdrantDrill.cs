using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Preflight;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Restore;
using Gittensory.Drills.Sandbox;

namespace Gittensory.Drills.Drills;

/// <summary>
/// The Qdrant leg: find the newest snapshot, verify it offline (structure, checksum, the collection's own configuration),
/// restore it into a scratch Qdrant this drill created, and check the collection, then check it against the rows the
/// Postgres leg restored (handed over through <see cref="StoreHandoff"/>).
/// </summary>
public sealed class QdrantDrill : IStoreDrill
{
    /// <summary>Name of the check that the Qdrant image is on the engine.</summary>
    public const string ImageCheck = "qdrant.image";

    /// <summary>How long Qdrant may take to start and recover a snapshot (default 15 minutes).</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(15);

    private readonly StoreHandoff? handoff;
    private readonly Func<QdrantHostRequest, CancellationToken, Task<ScratchQdrant>>? host;
    private DrillOptions options = null!;
    private LegRecorder leg = null!;
    private BackupSelection? selection;
    private QdrantSnapshot? snapshot;
    private SandboxReport? sandboxReport;
    private (string? File, DateTimeOffset? Taken) dump;
    private string? collection;
    private QdrantCollectionInfo? info;
    private IReadOnlyList<QdrantPoint>? sample;
    private Uri? networkUrl;

    /// <summary>A leg that checks the stores against each other through <paramref name="handoff"/>, when given.</summary>
    public QdrantDrill(StoreHandoff? handoff = null)
        : this(handoff, null)
    {
    }

    /// <summary>A leg whose scratch Qdrant comes from <paramref name="host"/> (tests: a stand-in) instead of a container.</summary>
    internal QdrantDrill(StoreHandoff? handoff, Func<QdrantHostRequest, CancellationToken, Task<ScratchQdrant>>? host)
    {
        this.handoff = handoff;
        this.host = host;
    }

    /// <inheritdoc />
    public BackupStore Store => BackupStore.Qdrant;

    /// <inheritdoc />
    public async Task<LegReport> RunAsync(DrillOptions options, CancellationToken ct = default)
    {
        this.options = options;
        leg = new LegRecorder("qdrant", options.Log);
        await leg.RunAsync(async token =>
        {
            await leg.TimedAsync("discover", DiscoverAsync, token);
            await leg.TimedAsync("preflight", PreflightAsync, token);
            await RestoreAndVerifyAsync(token);
        }, ct);

        var chosen = collection is null ? null : snapshot?.Collection(collection) ?? snapshot?.Collections.FirstOrDefault();
        return leg.Report(selection, snapshot?.Sha256) with
        {
            Sandbox = sandboxReport,
            Qdrant = snapshot is null ? null : new QdrantLegReport
            {
                Kind = snapshot.Kind.ToString(),
                Members = snapshot.Members,
                SparseMembers = snapshot.SparseMembers,
                SnapshotCollections = [.. snapshot.Collections.Select(c => new QdrantCollectionReport(c.Collection, c.Vector?.Size, c.Vector?.Distance, c.Shards, c.Segments, c.Bytes))],
                DumpFile = dump.File,
                SkewMinutes = dump.Taken is { } d && selection?.Backup.Timestamp is { } t ? Math.Round((t - d).TotalMinutes, 1) : null,
                Collection = collection,
                Status = info?.Status,
                Points = info?.PointsCount,
                ChunkRows = handoff?.Chunks?.RowCount,
                Sampled = sample?.Count,
                Orphans = sample is null || handoff?.Chunks is not { } chunks ? null : sample.Count(p => p.RowId is null || !chunks.Contains(p.RowId)),
                Dimension = info?.Vector?.Size ?? chosen?.Vector?.Size,
                NetworkUrl = networkUrl?.ToString(),
            },
        };
    }

    private async Task DiscoverAsync(CancellationToken ct)
    {
        selection = await leg.FindBackupAsync(options, BackupStore.Qdrant, ct);
        dump = await DumpAsync(ct);
        leg.Checks.Add(QdrantChecks.SkewCheck(selection.Backup.Timestamp, dump.Taken, dump.File, options.Profile.Qdrant?.MaxSkewMinutes));
        leg.Checks.Add(DrillAge.Check(options, selection.Backup.Timestamp));
    }

    private async Task<(string? File, DateTimeOffset? Taken)> DumpAsync(CancellationToken ct)
    {
        if (handoff?.DumpFile is { } file)
        {
            return (file, handoff.DumpTimestamp);
        }

        // The Postgres leg did not run in this drill: pair the snapshot with the newest dump by name, offline.
        try
        {
            var postgres = await BackupFinder.FindAsync(options.BackupRoot, BackupStore.Postgres, options.Profile.BackupPrefixes, ct: ct);
            return (postgres.Backup.RelativePath, postgres.Backup.Timestamp);
        }
        catch (BackupRejectedException)
        {
            return (null, null);
        }
    }

    private async Task PreflightAsync(CancellationToken ct)
    {
        var backup = selection!.Backup;
        const string title = "The snapshot is a whole Qdrant snapshot, in the layout Qdrant restores";
        const string expected = "a tar archive read to its end marker at every level: config.json, each collection's shards with shard_config.json and segments";
        try
        {
            snapshot = await QdrantSnapshotReader.ReadAsync(backup.FullPath, backup.RelativePath, ct);
        }
        catch (BackupRejectedException e)
        {
            throw new DrillAbortedException(DrillVerdict.Failed, e.Message, CheckResult.Fail(QdrantChecks.Snapshot, title, expected, e.Message));
        }

        leg.Checks.Add(CheckResult.Pass(QdrantChecks.Snapshot, title, expected,
            $"{(snapshot.Kind == QdrantSnapshotKind.Full ? "full-storage" : "collection")} snapshot, {snapshot.Members:N0} tar members ({snapshot.SparseMembers:N0} GNU sparse), " +
            $"collections: {string.Join(", ", snapshot.Collections.Select(c => $"{c.Collection} ({c.Shards} shard(s), {c.Segments} segment(s))"))}"));

        var checksumPath = backup.FullPath + ".checksum";
        var checksum = QdrantChecks.ChecksumCheck(backup.RelativePath, snapshot.Sha256, backup.RelativePath + ".checksum",
            File.Exists(checksumPath) ? await File.ReadAllTextAsync(checksumPath, ct) : null);
        if (checksum.Verdict == CheckVerdict.Failed)
        {
            throw new DrillAbortedException(DrillVerdict.Failed, checksum.Found, checksum);
        }

        leg.Checks.Add(checksum);
        leg.Checks.Add(QdrantChecks.SnapshotConfigCheck(options.Profile.Qdrant, snapshot));
        await options.Log.WriteLineAsync($"  verified offline: {snapshot.Members:N0} tar members, SHA-256 {snapshot.Sha256}");
    }

    private async Task RestoreAndVerifyAsync(CancellationToken ct)
    {
        var image = options.Images.Qdrant;
        leg.Images["qdrant"] = image;
        if (host is null)
        {
            await RequireEngineAndImageAsync(image, ct);
        }

        var request = new QdrantHostRequest(options.RunId + "-qdrant", options.KeepSandbox, image, selection!.Backup.FullPath, snapshot!.Kind, StartTimeout);
        var phase = snapshot.Kind == QdrantSnapshotKind.Full ? "restore" : "sandbox";
        await options.Log.WriteLineAsync(snapshot.Kind == QdrantSnapshotKind.Full
            ? $"Starting scratch Qdrant '{image}' with --storage-snapshot {selection.Backup.RelativePath}"
            : $"Starting an empty scratch Qdrant '{image}'");
        var started = DateTimeOffset.UtcNow;
        ScratchQdrant qdrant;
        try
        {
            qdrant = await leg.TimedAsync(phase, token => (host ?? StartContainerAsync)(request, token), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException and not DrillAbortedException)
        {
            var message = $"Qdrant '{image}' did not come up with snapshot '{selection.Backup.RelativePath}': {e.Message}";
            throw new DrillAbortedException(DrillVerdict.Failed, message, CheckResult.Fail(QdrantChecks.Restore, RestoreTitle, RestoreExpected, message));
        }

        await using (qdrant)
        {
            networkUrl = qdrant.NetworkUrl;
            sandboxReport = new SandboxReport(request.RunId, qdrant.NetworkName ?? "(none)", qdrant.ContainerName is { } c ? [c] : [], options.KeepSandbox, qdrant.Url.ToString(), null);
            using var client = new QdrantClient(qdrant.Url);
            if (snapshot.Kind == QdrantSnapshotKind.Full)
            {
                leg.Checks.Add(CheckResult.Pass(QdrantChecks.Restore, RestoreTitle, RestoreExpected,
                    $"Qdrant started with --storage-snapshot and answered /readyz after {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0} s"));
            }
            else
            {
                await UploadAsync(client, ct);
            }

            await leg.TimedAsync("verify", token => VerifyAsync(client, token), ct);
        }
    }

    private const string RestoreTitle = "Qdrant restores the snapshot";
    private const string RestoreExpected = "full snapshot: Qdrant starts with --storage-snapshot and answers /readyz; collection snapshot: the upload answers result true";

    private async Task UploadAsync(QdrantClient client, CancellationToken ct)
    {
        var target = snapshot!.Collections[0].Collection;
        try
        {
            await leg.TimedAsync("restore", async token =>
            {
                await options.Log.WriteLineAsync($"Uploading {selection!.Backup.RelativePath} into collection '{target}' (checksum {snapshot.Sha256})");
                await client.UploadSnapshotAsync(target, selection.Backup.FullPath, snapshot.Sha256, token);
            }, ct);
        }
        catch (QdrantApiException e)
        {
            var message = $"Qdrant refused snapshot '{selection!.Backup.RelativePath}' for collection '{target}': {e.Message}";
            throw new DrillAbortedException(DrillVerdict.Failed, message, CheckResult.Fail(QdrantChecks.Restore, RestoreTitle, RestoreExpected, message));
        }

        leg.Checks.Add(CheckResult.Pass(QdrantChecks.Restore, RestoreTitle, RestoreExpected,
            $"POST /collections/{target}/snapshots/upload answered result true (checksum {snapshot.Sha256[..12]}... verified by Qdrant)"));
    }

    private async Task VerifyAsync(QdrantClient client, CancellationToken ct)
    {
        var profile = options.Profile.Qdrant;
        var (collectionsCheck, chosen) = QdrantChecks.CollectionsCheck(profile, await client.ListCollectionsAsync(ct));
        leg.Checks.Add(collectionsCheck);
        collection = chosen;
        if (chosen is null || await client.GetCollectionAsync(chosen, ct) is not { } found)
        {
            return;
        }

        info = found;
        leg.Checks.Add(QdrantChecks.StatusCheck(found));
        leg.Checks.Add(QdrantChecks.VectorsCheck(profile, found, snapshot!.Collection(chosen) ?? (snapshot.Kind == QdrantSnapshotKind.Collection ? snapshot.Collections[0] : null)));
        leg.Checks.Add(QdrantChecks.PointsCheck(profile, found));

        var chunks = handoff?.Chunks;
        var reason = handoff is null
            ? "this drill runs the Qdrant leg alone: no restored Postgres to compare with"
            : handoff.ChunksMissingReason ?? "the Postgres leg did not run in this drill (drill -Store All, or Postgres,Qdrant, to compare the stores)";
        if (chunks is not null)
        {
            sample = await client.ScrollAsync(chosen, profile?.ChunkIdPayloadKey ?? "_orig_id", profile?.OrphanSampleSize ?? 1000, ct);
        }

        leg.Checks.Add(QdrantChecks.PointsVsChunksCheck(profile, found, chunks, reason));
        leg.Checks.Add(QdrantChecks.OrphansCheck(profile, chosen, sample, chunks, reason));
        handoff?.PublishQdrant(networkUrl, chosen, found.Vector?.Size ?? 0);
    }

    private async Task RequireEngineAndImageAsync(string image, CancellationToken ct)
    {
        var engine = await ContainerEngine.PrepareAsync(ct);
        if (!engine.Answers)
        {
            throw new DrillAbortedException(DrillVerdict.Error, engine.Problem!);
        }

        if (await ContainerEngine.ImageEnvironmentAsync(image, ct) is null)
        {
            var message = $"The Qdrant image '{image}' is not on this container engine, and there is no registry to pull it from. " +
                          "Load it where it is missing (docker save on a machine that has it, docker load here) or set DRILL_QDRANT_IMAGE to one the engine has; " +
                          "Qdrant is in neither Debian, NuGet nor npm, so the drill cannot build one.";
            throw new DrillAbortedException(DrillVerdict.Error, message,
                CheckResult.Fail(ImageCheck, "The Qdrant image is on the engine", $"'{image}' present locally", message));
        }
    }

    /// <summary>The production starter: a Qdrant container of this run (<see cref="ScratchQdrant.StartAsync"/>); the Postgres leg uses it too, for the booted application.</summary>
    internal static Task<ScratchQdrant> StartContainerAsync(QdrantHostRequest request, CancellationToken ct) =>
        ScratchQdrant.StartAsync(request.RunId, request.Keep, request.Image, request.SnapshotPath, request.Kind, request.Timeout, ct);
}
