using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.Preflight;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Restore;
using Gittensory.Drills.Sandbox;

namespace Gittensory.Drills.Stores.Qdrant;

/// <summary>
/// The Qdrant store: verifies the snapshot offline (structure, checksum, the collection's own configuration), restores it into a
/// scratch Qdrant in the drill's sandbox, checks the collection and samples its points. Comparing them with the restored database
/// is the pipeline's cross-store stage; the booted application is given this same Qdrant, never a second restore.
/// </summary>
internal sealed class QdrantStore : IStoreModule, IRestoredVectors
{
    /// <summary>Name of the check that the Qdrant image is on the engine.</summary>
    public const string ImageCheck = "qdrant.image";

    /// <summary>How long Qdrant may take to start and recover a snapshot (default 15 minutes).</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(15);

    private const string RestoreTitle = "Qdrant restores the snapshot";
    private const string RestoreExpected = "full snapshot: Qdrant starts with --storage-snapshot and answers /readyz; collection snapshot: the upload answers result true";

    private readonly DrillOptions options;
    private readonly BackupSelection selection;
    private readonly Func<QdrantHostRequest, CancellationToken, Task<ScratchQdrant>>? host;
    private readonly LegRecorder leg;
    private QdrantSnapshot? snapshot;
    private SandboxReport? sandboxReport;
    private ScratchQdrant? server;
    private QdrantCollectionInfo? info;
    private IReadOnlyList<QdrantPoint>? sample;
    private (string? DumpFile, double? SkewMinutes, long? ChunkRows, int? Orphans)? crossStore;

    /// <param name="options">The drill's options.</param>
    /// <param name="selection">The snapshot the scan chose.</param>
    /// <param name="host">Starts the scratch Qdrant (tests: a stand-in); null = a container in the sandbox.</param>
    public QdrantStore(DrillOptions options, BackupSelection selection, Func<QdrantHostRequest, CancellationToken, Task<ScratchQdrant>>? host = null)
    {
        this.options = options;
        this.selection = selection;
        this.host = host;
        leg = new LegRecorder("qdrant", options.Log);
        leg.Checks.Add(selection.ManifestCheck);
    }

    /// <inheritdoc />
    public BackupStore Store => BackupStore.Qdrant;

    /// <inheritdoc />
    public bool NeedsEngine => host is null;

    /// <summary>The restored store, once it was restored and its collection found; null otherwise.</summary>
    public IRestoredVectors? Restored => server is not null && info is not null && sample is not null ? this : null;

    /// <inheritdoc />
    public BackupFile Backup => selection.Backup;

    /// <inheritdoc />
    public ScratchQdrant Server => server ?? throw new InvalidOperationException("The Qdrant store has not been restored.");

    /// <inheritdoc />
    public QdrantCollectionInfo Collection => info ?? throw new InvalidOperationException("The Qdrant store has no collection.");

    /// <inheritdoc />
    public IReadOnlyList<QdrantPoint> Sample => sample ?? [];

    /// <summary>The restored collection's vector size as served, else as the snapshot records it (for the report).</summary>
    public long? Dimension => info?.Vector?.Size ?? SnapshotDimension;

    /// <summary>The vector size the snapshot's own configuration records: QDRANT_DIM for the booted application, which stops on a mismatch.</summary>
    public long? SnapshotDimension => ChosenSnapshotCollection()?.Vector?.Size;

    /// <inheritdoc />
    public async Task RunAsync(SandboxLease sandbox, CancellationToken ct = default)
    {
        await options.Log.WriteLineAsync($"qdrant backup: {selection.Backup.RelativePath} ({selection.Backup.Bytes:N0} bytes), chosen by {selection.SelectedBy}");
        leg.Checks.Add(DrillAge.Check(options, selection.Backup.Timestamp));
        await leg.RunAsync(async token =>
        {
            await leg.TimedAsync("preflight", PreflightAsync, token);
            await RestoreAndVerifyAsync(sandbox, token);
        }, ct);
    }

    /// <inheritdoc />
    public void Add(CheckResult check) => leg.Add(check);

    /// <summary>Records what the cross-store stage found (the restored chunk rows, orphans, skew) for the report.</summary>
    public void RecordCrossStore(string? dumpFile, double? skewMinutes, long? chunkRows, int? orphans) =>
        crossStore = (dumpFile, skewMinutes, chunkRows, orphans);

    /// <inheritdoc />
    public LegReport Report() => leg.Report(selection, snapshot?.Sha256) with
    {
        Sandbox = sandboxReport,
        Qdrant = snapshot is null ? null : new QdrantLegReport
        {
            Kind = snapshot.Kind.ToString(),
            Members = snapshot.Members,
            SparseMembers = snapshot.SparseMembers,
            SnapshotCollections = [.. snapshot.Collections.Select(c => new QdrantCollectionReport(c.Collection, c.Vector?.Size, c.Vector?.Distance, c.Shards, c.Segments, c.Bytes))],
            DumpFile = crossStore?.DumpFile,
            SkewMinutes = crossStore?.SkewMinutes,
            Collection = info?.Name,
            Status = info?.Status,
            Points = info?.PointsCount,
            ChunkRows = crossStore?.ChunkRows,
            Sampled = sample?.Count,
            Orphans = crossStore?.Orphans,
            Dimension = Dimension,
            NetworkUrl = server?.NetworkUrl?.ToString(),
        },
    };

    /// <summary>Stops a scratch Qdrant that is not a container of the sandbox (a stand-in); the sandbox removes containers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (server is not null)
        {
            await server.DisposeAsync();
        }
    }

    private QdrantCollectionSnapshot? ChosenSnapshotCollection() =>
        snapshot is null ? null
        : (info?.Name is { } name ? snapshot.Collection(name) : null)
          ?? (options.Profile.Qdrant?.Collections ?? []).Select(snapshot.Collection).FirstOrDefault(c => c is not null)
          ?? snapshot.Collections.FirstOrDefault();

    private async Task PreflightAsync(CancellationToken ct)
    {
        var backup = selection.Backup;
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

    private async Task RestoreAndVerifyAsync(SandboxLease lease, CancellationToken ct)
    {
        var image = options.Images.Qdrant;
        leg.Images["qdrant"] = image;
        DrillSandbox? sandbox = null;
        if (host is null)
        {
            sandbox = await lease.GetAsync(ct);
            await RequireImageAsync(image, ct);
        }

        var request = new QdrantHostRequest(sandbox, options.RunId, options.KeepSandbox, image, selection.Backup.FullPath, snapshot!.Kind, StartTimeout);
        var phase = snapshot.Kind == QdrantSnapshotKind.Full ? "restore" : "sandbox";
        await options.Log.WriteLineAsync(snapshot.Kind == QdrantSnapshotKind.Full
            ? $"Starting scratch Qdrant '{image}' with --storage-snapshot {selection.Backup.RelativePath}"
            : $"Starting an empty scratch Qdrant '{image}'");
        var started = DateTimeOffset.UtcNow;
        try
        {
            server = await leg.TimedAsync(phase, token => (host ?? StartContainerAsync)(request, token), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException and not DrillAbortedException)
        {
            var message = $"Qdrant '{image}' did not come up with snapshot '{selection.Backup.RelativePath}': {e.Message}";
            throw new DrillAbortedException(DrillVerdict.Failed, message, CheckResult.Fail(QdrantChecks.Restore, RestoreTitle, RestoreExpected, message));
        }

        sandboxReport = new SandboxReport(options.RunId, server.NetworkName ?? "(none)", server.ContainerName is { } c ? [c] : [], options.KeepSandbox, server.Url.ToString(), lease.EngineVersion);
        using var client = new QdrantClient(server.Url);
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

    private async Task UploadAsync(QdrantClient client, CancellationToken ct)
    {
        var target = snapshot!.Collections[0].Collection;
        try
        {
            await leg.TimedAsync("restore", async token =>
            {
                await options.Log.WriteLineAsync($"Uploading {selection.Backup.RelativePath} into collection '{target}' (checksum {snapshot.Sha256})");
                await client.UploadSnapshotAsync(target, selection.Backup.FullPath, snapshot.Sha256, token);
            }, ct);
        }
        catch (QdrantApiException e)
        {
            var message = $"Qdrant refused snapshot '{selection.Backup.RelativePath}' for collection '{target}': {e.Message}";
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
        if (chosen is null || await client.GetCollectionAsync(chosen, ct) is not { } found)
        {
            return;
        }

        info = found;
        leg.Checks.Add(QdrantChecks.StatusCheck(found));
        leg.Checks.Add(QdrantChecks.VectorsCheck(profile, found, snapshot!.Collection(chosen) ?? (snapshot.Kind == QdrantSnapshotKind.Collection ? snapshot.Collections[0] : null)));
        leg.Checks.Add(QdrantChecks.PointsCheck(profile, found));
        sample = await client.ScrollAsync(chosen, profile?.ChunkIdPayloadKey ?? "_orig_id", profile?.OrphanSampleSize ?? 1000, ct);
    }

    private static async Task RequireImageAsync(string image, CancellationToken ct)
    {
        if (await ContainerEngine.ImageEnvironmentAsync(image, ct) is null)
        {
            var message = $"The Qdrant image '{image}' is not on this container engine, and there is no registry to pull it from. " +
                          "Load it where it is missing (docker save on a machine that has it, docker load here) or set DRILL_QDRANT_IMAGE to one the engine has; " +
                          "Qdrant is in neither Debian, NuGet nor npm, so the drill cannot build one.";
            throw new DrillAbortedException(DrillVerdict.Error, message,
                CheckResult.Fail(ImageCheck, "The Qdrant image is on the engine", $"'{image}' present locally", message));
        }
    }

    /// <summary>The production starter: a Qdrant container in the drill's sandbox (<see cref="ScratchQdrant.StartAsync"/>).</summary>
    private static Task<ScratchQdrant> StartContainerAsync(QdrantHostRequest request, CancellationToken ct) =>
        ScratchQdrant.StartAsync(request.Sandbox ?? throw new InvalidOperationException("A Qdrant container needs the drill's sandbox."),
            request.Image, request.SnapshotPath, request.Kind, request.Timeout, ct);
}
