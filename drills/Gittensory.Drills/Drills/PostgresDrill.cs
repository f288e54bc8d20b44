using System.Diagnostics;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Boot;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Preflight;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Restore;
using Gittensory.Drills.Safety;
using Gittensory.Drills.Sandbox;
using Npgsql;

namespace Gittensory.Drills.Drills;

/// <summary>
/// The PostgreSQL leg: find the newest dump, read it offline, restore it into a scratch container this drill created,
/// measure the restored database, and judge every check.
/// </summary>
public sealed class PostgresDrill : IStoreDrill
{
    /// <summary>Name of the preflight check (the archive is a whole, readable custom-format dump).</summary>
    public const string ArchiveCheck = "postgres.archive";

    /// <summary>Name of the check that the restore image can read the archive.</summary>
    public const string ImageCheck = "postgres.image";

    /// <summary>Name of the safety check on the live database URL.</summary>
    public const string LiveSafetyCheck = "live.not-the-target";

    private readonly StoreHandoff? handoff;
    private readonly Func<QdrantHostRequest, CancellationToken, Task<ScratchQdrant>> qdrantHost;
    private DrillOptions options = null!;
    private LegRecorder leg = null!;
    private BackupSelection? selection;
    private PgArchive? archive;
    private PgArchiveRowCounts? archivedRows;
    private RestoreOutcome? restore;
    private DatabaseFacts? facts;
    private SandboxReport? sandboxReport;
    private AppBoot? appBoot;
    private HashSet<string>? verifiedSchemas;
    private long lastProgressTicks;
    private readonly Stopwatch clock = new();

    /// <summary>A leg that hands its dump's time stamp and its restored chunk ids to later legs through <paramref name="handoff"/>, when given.</summary>
    public PostgresDrill(StoreHandoff? handoff = null)
        : this(handoff, null)
    {
    }

    /// <summary>A leg whose scratch Qdrant for the booted application comes from <paramref name="qdrantHost"/> (tests: a stand-in), as the Qdrant leg's does.</summary>
    internal PostgresDrill(StoreHandoff? handoff, Func<QdrantHostRequest, CancellationToken, Task<ScratchQdrant>>? qdrantHost)
    {
        this.handoff = handoff;
        this.qdrantHost = qdrantHost ?? QdrantDrill.StartContainerAsync;
    }

    /// <inheritdoc />
    public BackupStore Store => BackupStore.Postgres;

    /// <inheritdoc />
    public async Task<LegReport> RunAsync(DrillOptions options, CancellationToken ct = default)
    {
        this.options = options;
        leg = new LegRecorder("postgres", options.Log);
        clock.Start();
        await leg.RunAsync(async token =>
        {
            ValidateBootOptions();
            await leg.TimedAsync("discover", DiscoverAsync, token);
            await leg.TimedAsync("preflight", PreflightAsync, token);
            await SandboxAsync(token);
        }, ct);
        handoff?.ChunksUnavailable(leg.Problem is null
            ? "the Postgres leg's restored database has no chunk table to compare with"
            : $"the Postgres leg stopped before its restore was verified ({leg.Problem})");

        return leg.Report(selection, archivedRows?.Sha256) with
        {
            Archive = archive is null ? null : new ArchiveReport(
                "custom", archive.Header.ArchiveVersion.ToString(), archive.Header.Compression.ToString(), archive.Header.CreatedAt,
                archive.Header.DatabaseName, archive.Header.DumpedFrom, archive.Header.DumpedBy, archive.Summary),
            Sandbox = sandboxReport,
            Tables = TableReports(),
            Restore = restore is null ? null : new RestoreReport(
                restore.Command, restore.Jobs, restore.ExitCode, [.. restore.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(30)]),
            App = appBoot?.Report,
            RecoveryPointMinutes = facts is null ? null : RecencyCheck.RecoveryPointMinutes(facts.Activity, selection?.Backup.Timestamp),
        };
    }

    private async Task DiscoverAsync(CancellationToken ct)
    {
        selection = await leg.FindBackupAsync(options, BackupStore.Postgres, ct);
        handoff?.PublishDump(selection.Backup.RelativePath, selection.Backup.Timestamp);
    }

    private async Task PreflightAsync(CancellationToken ct)
    {
        var backup = selection!.Backup;
        const string title = "The backup is a whole, readable pg_dump custom-format archive";
        const string expected = "custom-format header and table of contents, every table's data readable to the end";
        try
        {
            archive = await PgArchiveReader.ReadHeaderAndTocAsync(backup.FullPath, backup.RelativePath, ct);
            var progress = new Progress<PgReadProgress>(p => ReportReadProgress(p));
            archivedRows = await PgArchiveReader.CountRowsAsync(backup.FullPath, archive, progress, ct);
        }
        catch (BackupRejectedException e)
        {
            throw new DrillAbortedException(DrillVerdict.Failed, e.Message, CheckResult.Fail(ArchiveCheck, title, expected, e.Message));
        }

        leg.Checks.Add(CheckResult.Pass(ArchiveCheck, title, expected,
            $"archive {archive.Header.ArchiveVersion}, {archive.Entries.Count} entries, {archivedRows.Tables.Values.Sum():N0} rows in {archivedRows.Tables.Count} tables, " +
            $"dumped from PostgreSQL {archive.Header.DumpedFrom} by pg_dump {archive.Header.DumpedBy}"));

        var choice = PostgresImagePreflight.Choose(options, leg, archive, backup.RelativePath);
        var image = choice.Image!;
        var environment = await ContainerEngine.ImageEnvironmentAsync(image, ct);
        if (environment is not null && environment.TryGetValue("PG_MAJOR", out var major) && int.TryParse(major, out var imageMajor))
        {
            CheckImage(image, imageMajor, "its PG_MAJOR");
            choice = choice with { Major = imageMajor };
        }

        PostgresImagePreflight.RequireBootableServer(options, leg, image, choice.Major);
    }

    private void ReportReadProgress(PgReadProgress progress)
    {
        var now = clock.ElapsedTicks;
        if (now - lastProgressTicks < options.ProgressInterval.TotalSeconds * Stopwatch.Frequency && progress.BytesRead < progress.TotalBytes)
        {
            return;
        }

        lastProgressTicks = now;
        options.Log.WriteLine($"  reading the archive: {progress.Fraction:P0} of {progress.TotalBytes:N0} bytes");
    }

    private void CheckImage(string image, int imageMajor, string source)
    {
        var needed = new[] { archive!.ServerMajor ?? 0, archive.DumpedByMajor ?? 0, archive.MinimumRestoreMajor }.Max();
        const string title = "The restore image can read the archive";
        var expected = $"pg_restore {needed} or newer (the dump is from PostgreSQL {archive.Header.DumpedFrom}, pg_dump {archive.Header.DumpedBy}, archive {archive.Header.ArchiveVersion})";
        if (imageMajor >= needed)
        {
            leg.Checks.RemoveAll(c => c.Name == ImageCheck);
            leg.Checks.Add(CheckResult.Pass(ImageCheck, title, expected, $"'{image}' has PostgreSQL {imageMajor} ({source})"));
            return;
        }

        var message = $"Backup '{selection!.Backup.RelativePath}' was dumped from PostgreSQL {archive.Header.DumpedFrom} by pg_dump {archive.Header.DumpedBy}, " +
                      $"but the restore image '{image}' has pg_restore {imageMajor}. Use an image of major version {needed} or newer (set DRILL_POSTGRES_IMAGE, e.g. pgvector/pgvector:pg{{major}}).";
        throw new DrillAbortedException(DrillVerdict.Error, message, CheckResult.Fail(ImageCheck, title, expected, message));
    }

    private async Task SandboxAsync(CancellationToken ct)
    {
        var engine = await ContainerEngine.PrepareAsync(ct);
        if (!engine.Answers)
        {
            throw new DrillAbortedException(DrillVerdict.Error, engine.Problem!);
        }

        var image = leg.Images["postgres"];
        await using var sandbox = await DrillSandbox.CreateAsync(options.RunId, options.KeepSandbox, ct);
        sandboxReport = new SandboxReport(options.RunId, sandbox.Network.Name, [sandbox.ContainerName("postgres")], options.KeepSandbox, null, $"{engine.Version} (API {engine.ApiVersion})");
        var scratch = await leg.TimedAsync("sandbox", async token =>
        {
            await options.Log.WriteLineAsync($"Starting scratch Postgres '{image}' on network {sandbox.Network.Name}");
            try
            {
                return await ScratchPostgres.StartAsync(sandbox, image, selection!.Backup.FullPath, token);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new DrillAbortedException(DrillVerdict.Error,
                    $"The scratch Postgres from image '{image}' did not start: {e.Message}. If the image is not on this engine and there is no registry, " +
                    $"build the local images offline with fixtures/engine/ensure-engine.sh (it builds gittensory-drills/postgres:15 and {PostgresImageChoice.NewestBuiltLocally}).");
            }
        }, ct);
        sandboxReport = sandboxReport with { ScratchConnection = scratch.RedactedConnectionString };
        var restoreMajor = await scratch.PgRestoreMajorAsync(ct);
        CheckImage(image, restoreMajor, "its pg_restore --version");
        PostgresImagePreflight.RequireBootableServer(options, leg, image, restoreMajor);
        await PostgresImagePreflight.RequireExtensionsAsync(leg, archive!, selection!.Backup.RelativePath, scratch, ct);

        var live = await OpenLiveAsync(scratch, ct);

        restore = await leg.TimedAsync("restore", async token =>
        {
            await options.Log.WriteLineAsync($"Restoring {selection!.Backup.RelativePath} with pg_restore inside the container");
            return await PgRestoreRunner.RunAsync(scratch, archivedRows!.Tables.Values.Sum(), options.Log, options.ProgressInterval, token);
        }, ct);
        leg.Checks.Add(RestoreCheck.Evaluate(restore));

        await leg.TimedAsync("verify", async token =>
        {
            await VerifyAsync(scratch, live, token);
            return true;
        }, ct);

        if (options.BootApp is not null)
        {
            // Strictly after verify: booting changes the database, and every count and the ledger above were measured before it.
            // Disposed before the sandbox (declared after it): the scratch Qdrant leaves the internal network before it is removed.
            var (qdrant, withoutQdrant) = await QdrantForAppAsync(ct);
            await using (qdrant?.Server)
            {
                var bootOptions = qdrant is null ? options : options with { BootApp = WithQdrant(options.BootApp, qdrant) };
                appBoot = new AppBoot(bootOptions, leg, sandbox, scratch, facts!, verifiedSchemas!, qdrant, withoutQdrant);
                try
                {
                    await appBoot.RunAsync(ct);
                }
                finally
                {
                    sandboxReport = sandboxReport with
                    {
                        Containers = [.. sandboxReport.Containers, .. appBoot.Containers, .. qdrant?.Server.ContainerName is { } name ? [name] : Array.Empty<string>()],
                    };
                }
            }
        }
    }

    /// <summary>
    /// When this drill also drills Qdrant: verifies the snapshot offline (for its vector size) and starts a scratch Qdrant restored
    /// from it for the application, through the seam the Qdrant leg uses. Otherwise null, with why the application boots without it.
    /// </summary>
    private async Task<(AppQdrant? Qdrant, string? WithoutQdrant)> QdrantForAppAsync(CancellationToken ct)
    {
        var root = BackupFinder.RequireRoot(options.BackupRoot);
        var stores = options.Stores ?? DrillRunner.StoresToDrill(root, options);
        if (!stores.Contains(BackupStore.Qdrant))
        {
            return (null, "Booted without Qdrant: Qdrant is not among the stores this drill drills, so the application was given no QDRANT_URL.");
        }

        if (AppMigrationsCheck.RefusalReason(options.Profile, facts!.Ledger) is not null)
        {
            return (null, null);
        }

        if (BackupFinder.ListBackups(root, BackupStore.Qdrant, options.Profile.BackupPrefixes).Count == 0)
        {
            return (null, "Booted without Qdrant: there is no snapshot under qdrant/, so the application was given no QDRANT_URL.");
        }

        BackupSelection found;
        try
        {
            var explicitBackup = options.Backup is { } backup && BackupName.StoreOf(backup) == BackupStore.Qdrant ? backup : null;
            found = await BackupFinder.FindAsync(options.BackupRoot, BackupStore.Qdrant, options.Profile.BackupPrefixes, explicitBackup, ct);
        }
        catch (BackupRejectedException e)
        {
            return (null, $"Booted without Qdrant: no Qdrant snapshot could be chosen to restore for it: {e.Message}");
        }

        return await leg.TimedAsync("boot-qdrant", token => StartQdrantForAppAsync(found.Backup, token), ct);
    }

    private async Task<(AppQdrant? Qdrant, string? WithoutQdrant)> StartQdrantForAppAsync(BackupFile backup, CancellationToken ct)
    {
        await options.Log.WriteLineAsync($"Verifying {backup.RelativePath} offline for the application's scratch Qdrant");
        QdrantSnapshot snapshot;
        try
        {
            snapshot = await QdrantSnapshotReader.ReadAsync(backup.FullPath, backup.RelativePath, ct);
        }
        catch (BackupRejectedException e)
        {
            return (null, $"Booted without Qdrant: the snapshot '{backup.RelativePath}' failed offline verification (the Qdrant leg reports it): {e.Message}");
        }

        var collection = (options.Profile.Qdrant?.Collections ?? []).Select(snapshot.Collection).FirstOrDefault(c => c is not null) ?? snapshot.Collections.FirstOrDefault();
        if (collection?.Vector is not { } vector)
        {
            return (null, $"Booted without Qdrant: the snapshot '{backup.RelativePath}' has no collection with one unnamed vector, so there is no QDRANT_DIM to give the application.");
        }

        var image = options.Images.Qdrant;
        var request = new QdrantHostRequest(options.RunId + "-app-qdrant", options.KeepSandbox, image, backup.FullPath, snapshot.Kind, QdrantDrill.StartTimeout);
        await options.Log.WriteLineAsync($"Starting a scratch Qdrant '{image}' for the application, restored from {backup.RelativePath}");
        ScratchQdrant? server = null;
        try
        {
            server = await qdrantHost(request, ct);
            if (snapshot.Kind == QdrantSnapshotKind.Collection)
            {
                using var client = new QdrantClient(server.Url);
                await client.UploadSnapshotAsync(collection.Collection, backup.FullPath, snapshot.Sha256, ct);
            }

            if (options.BootApp!.IsHostCommand is false && server.ContainerName is null)
            {
                throw new InvalidOperationException("it is not a container, so the application image on its internal network cannot reach it");
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }

            var message = $"The scratch Qdrant for the application ('{image}', restored from '{backup.RelativePath}') did not come up: {e.Message}. " +
                          "The application was not booted; the Qdrant leg restores the snapshot on its own and reports what it finds.";
            throw new DrillAbortedException(DrillVerdict.Failed, message,
                CheckResult.Fail(AppReadyCheck.Name, AppReadyCheck.Title, "a scratch Qdrant restored from the snapshot, for the application", message));
        }

        return (new AppQdrant(server, backup.RelativePath, collection.Collection, vector.Size), null);
    }

    private static AppBootOptions WithQdrant(AppBootOptions boot, AppQdrant qdrant)
    {
        var extra = new Dictionary<string, string>(boot.ExtraEnvironment, StringComparer.Ordinal)
        {
            ["QDRANT_URL"] = qdrant.UrlFor(boot.IsHostCommand),
            ["QDRANT_DIM"] = qdrant.Dimension.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return boot with { ExtraEnvironment = extra };
    }

    private void ValidateBootOptions()
    {
        if (options.BootApp is { } boot)
        {
            try
            {
                AppBoot.Validate(boot);
            }
            catch (AppBootRefusedException e)
            {
                throw new DrillAbortedException(DrillVerdict.Error, e.Message);
            }
        }
    }

    private async Task<LiveDatabase?> OpenLiveAsync(ScratchPostgres scratch, CancellationToken ct)
    {
        if (options.LiveDatabaseUrl is null)
        {
            return null;
        }

        const string title = "The live database given for comparison is not the restore target";
        try
        {
            var live = await LiveDatabase.OpenAsync(options.LiveDatabaseUrl, scratch.ConnectionString, ct);
            leg.Checks.Add(CheckResult.Pass(LiveSafetyCheck, title, "two different fingerprints (current_database() || '@' || system_identifier)",
                $"live is '{live.Fingerprint}', read only in read-only transactions"));
            return live;
        }
        catch (LiveDatabaseRefusedException e)
        {
            throw new DrillAbortedException(DrillVerdict.Error, e.Message,
                CheckResult.Fail(LiveSafetyCheck, title, "two different fingerprints (current_database() || '@' || system_identifier)", e.Message));
        }
    }

    private async Task VerifyAsync(ScratchPostgres scratch, LiveDatabase? live, CancellationToken ct)
    {
        var archivedTables = archive!.Entries.Where(e => e.Desc == "TABLE").Select(e => e.QualifiedName).ToHashSet(StringComparer.Ordinal);
        var schemas = archivedTables.Select(t => t[..t.IndexOf('.', StringComparison.Ordinal)]).Append(options.Profile.Schema).ToHashSet(StringComparer.Ordinal);
        verifiedSchemas = schemas;
        await using (var connection = new NpgsqlConnection(scratch.ConnectionString))
        {
            await connection.OpenAsync(ct);
            facts = await PostgresFactsReader.ReadAsync(connection, schemas, options.Profile, ct);
            await PublishChunksAsync(connection, ct);
        }

        leg.Checks.Add(TableSetCheck.Evaluate(archivedTables, facts));
        leg.Checks.Add(TableDataCheck.Evaluate(archivedTables, archive.TablesWithData.ToHashSet(StringComparer.Ordinal)));
        leg.Checks.Add(archivedRows!.Status == PgRowCountStatus.Counted
            ? RowCountCheck.Evaluate(archivedRows.Tables, facts)
            : new CheckResult(RowCountCheck.Name, "Every table holds exactly the rows stored for it in the archive", "rows counted in the archive",
                $"not counted offline: {archivedRows.Reason}", CheckVerdict.Warning, []));
        leg.Checks.AddRange(ProfileChecks.Evaluate(options.Profile, facts, BackupStore.Postgres));
        leg.Checks.Add(SequenceCheck.Evaluate(facts.Sequences));
        leg.Checks.Add(LedgerCheck.Evaluate(options.Profile, facts.Ledger));
        leg.Checks.Add(RecencyCheck.Evaluate(options.Profile, facts.Activity, selection!.Backup.Timestamp));
        leg.Checks.Add(DrillAge.Check(options, selection!.Backup.Timestamp));

        IReadOnlyList<TableFact>? liveTables = null;
        if (live is not null)
        {
            await options.Log.WriteLineAsync("Counting rows in the live database (read-only transaction)");
            liveTables = await live.ReadTablesAsync(schemas, ct);
        }

        leg.Checks.Add(LiveComparisonCheck.Evaluate(options.Profile, facts.Tables, liveTables));
    }

    private async Task PublishChunksAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        // The Qdrant leg runs after this one, when this scratch database is gone: hand it the chunk ids, 8 bytes a row.
        if (handoff is null || options.Profile.Qdrant is not { } qdrant
            || !facts!.Tables.Any(t => t.Schema == options.Profile.Schema && t.Name == qdrant.ChunksTable))
        {
            return;
        }

        var table = SqlNames.Quote(options.Profile.Schema, qdrant.ChunksTable);
        await using var command = new NpgsqlCommand($"SELECT {SqlNames.Quote(qdrant.ChunkIdColumn)}::text FROM {table}", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        handoff.PublishChunks(RepoChunkIndex.Create("postgres", $"{options.Profile.Schema}.{qdrant.ChunksTable}", Ids(reader, ct)));
    }

    // Streams the ids into the index as they are read, so only their 8-byte hashes are ever held, never the table's text.
    private static IEnumerable<string> Ids(NpgsqlDataReader reader, CancellationToken ct)
    {
        while (reader.Read())
        {
            ct.ThrowIfCancellationRequested();
            if (!reader.IsDBNull(0))
            {
                yield return reader.GetString(0);
            }
        }
    }

    private List<TableReport> TableReports()
    {
        var archived = archivedRows?.Tables ?? new Dictionary<string, long>();
        var restored = facts?.Tables.ToDictionary(t => t.QualifiedName, t => t.Rows, StringComparer.Ordinal) ?? [];
        var names = archive?.Entries.Where(e => e.Desc == "TABLE").Select(e => e.QualifiedName) ?? [];
        return [.. names.Union(restored.Keys).Order(StringComparer.Ordinal)
            .Select(n => new TableReport(n, archived.TryGetValue(n, out var a) ? a : archivedRows is null ? null : 0, restored.TryGetValue(n, out var r) ? r : null))];
    }
}
