using System.Diagnostics;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.Preflight;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Restore;
using Gittensory.Drills.Safety;
using Gittensory.Drills.Sandbox;
using Npgsql;

namespace Gittensory.Drills.Stores.Postgres;

/// <summary>
/// The PostgreSQL store: read the chosen dump offline (header and TOC first, then every table's rows, while the scratch container
/// starts), restore it into a scratch Postgres in the drill's sandbox, and measure the restored database before anything can change it.
/// </summary>
internal sealed class PostgresStore : IDatabaseStore, IRestoredDatabase
{
    private const string ArchiveCheck = PostgresCheckNames.Archive;
    private const string ImageCheck = PostgresCheckNames.Image;
    private const string LiveSafetyCheck = PostgresCheckNames.LiveSafety;

    private const string ArchiveTitle = "The backup is a whole, readable pg_dump custom-format archive";
    private const string ArchiveExpected = "custom-format header and table of contents, every table's data readable to the end";

    private readonly DrillOptions options;
    private readonly BackupSelection selection;
    private readonly LegRecorder leg;
    private readonly Func<CancellationToken, Task>? beforeCount;
    private readonly bool removeScratchOnceMeasured;
    private readonly Stopwatch clock = new();
    private PgArchive? archive;
    private PgArchiveRowCounts? archivedRows;
    private RestoreOutcome? restore;
    private DatabaseFacts? facts;
    private SandboxReport? sandboxReport;
    private ScratchPostgres? scratch;
    private HashSet<string>? schemas;
    private DrillSandbox? drillSandbox;
    private bool removed;
    private long lastProgressTicks;

    /// <param name="options">The drill's options.</param>
    /// <param name="selection">The dump the scan chose.</param>
    /// <param name="removeScratchOnceMeasured">
    /// True when no later stage of the drill queries the restored database (no cross-store check, no boot): the scratch server is
    /// then removed as soon as it is measured, while the offline count finishes.
    /// </param>
    /// <param name="beforeCount">Awaited before the offline row count starts (tests; null = start at once).</param>
    public PostgresStore(DrillOptions options, BackupSelection selection, bool removeScratchOnceMeasured = false, Func<CancellationToken, Task>? beforeCount = null)
    {
        this.options = options;
        this.selection = selection;
        this.removeScratchOnceMeasured = removeScratchOnceMeasured;
        this.beforeCount = beforeCount;
        leg = new LegRecorder("postgres", options.Log);
        leg.Checks.Add(selection.ManifestCheck);
    }

    /// <inheritdoc />
    public BackupStore Store => BackupStore.Postgres;

    /// <inheritdoc />
    public bool NeedsEngine => true;

    /// <summary>The restored database once it was measured; null when the store stopped before.</summary>
    public IRestoredDatabase? Restored => facts is not null && scratch is not null && leg.StoppedWith is null ? this : null;

    /// <inheritdoc />
    string IRestoredDatabase.Store => "postgres";

    /// <inheritdoc />
    public BackupFile Backup => selection.Backup;

    /// <inheritdoc />
    public DatabaseFacts Facts => facts ?? throw new InvalidOperationException("The Postgres store has not been measured.");

    /// <summary>The scratch server holding the restored copy, once started.</summary>
    public ScratchPostgres? Scratch => scratch;

    /// <inheritdoc />
    public async Task RunAsync(SandboxLease sandbox, CancellationToken ct = default)
    {
        clock.Start();
        await options.Log.WriteLineAsync($"postgres backup: {selection.Backup.RelativePath} ({selection.Backup.Bytes:N0} bytes), chosen by {selection.SelectedBy}");
        await leg.RunAsync(token => RestoreAndMeasureAsync(sandbox, token), ct);
    }

    /// <inheritdoc />
    public void Add(CheckResult check) => leg.Add(check);

    /// <inheritdoc />
    public Task RunStageAsync(Func<CancellationToken, Task> stage, CancellationToken ct = default) => leg.RunAsync(stage, ct);

    /// <inheritdoc />
    public void RecordBoot(AppReport app, IEnumerable<PhaseTiming> phases, IEnumerable<string> containers)
    {
        leg.App = app;
        leg.Phases.AddRange(phases);
        if (sandboxReport is not null)
        {
            sandboxReport = sandboxReport with { Containers = [.. sandboxReport.Containers, .. containers] };
        }
    }

    /// <inheritdoc />
    public LegReport Report() => leg.Report(selection, archivedRows?.Sha256) with
    {
        Archive = archive is null ? null : new ArchiveReport(
            "custom", archive.Header.ArchiveVersion.ToString(), archive.Header.Compression.ToString(), archive.Header.CreatedAt,
            archive.Header.DatabaseName, archive.Header.DumpedFrom, archive.Header.DumpedBy, archive.Summary),
        Sandbox = sandboxReport,
        Tables = TableReports(),
        Restore = restore is null ? null : new RestoreReport(
            restore.Command, restore.Jobs, restore.ExitCode, [.. restore.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(30)]),
        RecoveryPointMinutes = facts is null ? null : RecencyCheck.RecoveryPointMinutes(facts.Activity, selection.Backup.Timestamp),
    };

    /// <summary>Nothing to do: the sandbox removes the scratch container.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <inheritdoc />
    public string DisplayName(string table) => $"{options.Profile.Schema}.{table}";

    /// <inheritdoc />
    public async Task<IReadOnlySet<string>> ExistingIdsAsync(string table, string column, IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(LiveScratch().ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            $"SELECT {SqlNames.Quote(column)}::text FROM {SqlNames.Quote(options.Profile.Schema, table)} WHERE {SqlNames.Quote(column)}::text = ANY(@ids)", connection);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (!reader.IsDBNull(0))
            {
                found.Add(reader.GetString(0));
            }
        }

        return found;
    }

    /// <inheritdoc />
    public Task<AppDatabase> PrepareForBootAsync(DrillSandbox? sandbox, bool hostCommand, CancellationToken ct = default)
    {
        _ = LiveScratch();
        var url = hostCommand
            ? $"postgres://{ScratchPostgres.User}:{scratch!.Password}@127.0.0.1:{scratch.Container.GetMappedPublicPort(5432)}/{ScratchPostgres.Database}"
            : $"postgres://{ScratchPostgres.User}:{scratch!.Password}@postgres:5432/{ScratchPostgres.Database}";
        return Task.FromResult(new AppDatabase(
            new Dictionary<string, string> { ["DATABASE_URL"] = url }, [scratch.Password],
            "drill: the scratch Postgres holding the restored copy", scratch.Container.Id, "postgres", []));
    }

    /// <inheritdoc />
    public async Task<DatabaseFacts> MeasureAfterBootAsync(CancellationToken ct = default) =>
        await PostgresFactsReader.ReadAsync(LiveScratch().ConnectionString, schemas!, options.Profile, ct);

    // The scratch server, for a stage after the measure; the pipeline asked for its early removal only when no such stage runs.
    private ScratchPostgres LiveScratch() => removed
        ? throw new InvalidOperationException("The scratch Postgres was removed once measured: this drill was set up with no later stage that queries it.")
        : scratch!;

    private async Task RestoreAndMeasureAsync(SandboxLease lease, CancellationToken ct)
    {
        // The header and TOC are quick and name the server version (and so the image). The row count reads every byte, so it runs
        // while the container starts and the restore runs: a rejected archive cancels the start, or the restore, and is the reason reported.
        await leg.TimedAsync("preflight-header", ReadHeaderAsync, ct);
        var choice = PostgresImagePreflight.Choose(options, leg, archive!, selection.Backup.RelativePath);
        var image = choice.Image!;

        using var startLimit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var restoreLimit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var counting = CountOrStopAsync();
        LiveDatabase? live;
        PostgresTableMeasurer? tables = null;
        var starting = leg.TimedAsync("sandbox", token => StartScratchAsync(lease, image, token), startLimit.Token);
        try
        {
            scratch = await starting;
            // Side by side (each a round trip to the new server): pg_restore's version with the CPUs it may use, and the extensions the
            // image ships; judged in that order once both have answered (an image too old for the dump is the first thing to say).
            var tool = scratch.RestoreToolAsync(ct);
            var extensions = PostgresImagePreflight.RequireExtensionsAsync(leg, archive!, selection.Backup.RelativePath, scratch, ct);
            await Task.WhenAll(tool, extensions).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            var (restoreMajor, cpus) = await tool;
            CheckImage(image, restoreMajor, "its pg_restore --version");
            lock (leg.Checks)
            {
                PostgresImagePreflight.RequireBootableServer(options, leg, image, restoreMajor);
            }

            await extensions;
            live = await OpenLiveAsync(scratch, ct);
            // Each table is counted as soon as pg_restore has committed its data, beside the rest of the restore.
            tables = new PostgresTableMeasurer(scratch.ConnectionString, Schemas(), options.Profile, ct);
            var dataItems = archive!.Entries.Where(e => e.Desc == "TABLE DATA").ToDictionary(e => e.DumpId, e => e.Table);
            restore = await leg.TimedAsync("restore", async token =>
            {
                await options.Log.WriteLineAsync($"Restoring {selection.Backup.RelativePath} with pg_restore inside the container (at most {PgRestoreRunner.Describe(options.RestoreTimeout)})");
                try
                {
                    return await PgRestoreRunner.RunAsync(
                        scratch, cpus, () => archivedRows?.Tables.Values.Sum() ?? 0, options.Log, options.ProgressInterval, options.RestoreTimeout,
                        item => { if (dataItems.TryGetValue(item, out var table)) tables.DataRestored(table); }, token);
                }
                catch (RestoreTimeoutException e)
                {
                    // A stalled restore says nothing about the backup: the drill could not finish (exit 2), with the reason.
                    throw new DrillAbortedException(DrillVerdict.Error, e.Message, RestoreCheck.TimedOut(e));
                }
            }, restoreLimit.Token);
        }
        catch
        {
            if (tables is not null)
            {
                await tables.DisposeAsync();
            }

            if (!counting.IsCompletedSuccessfully)
            {
                // The archive's rejection (or the count still running when the start failed) decides: a start or restore cut short by
                // it says nothing more.
                await counting;
            }

            throw;
        }

        await using var counted = tables!;
        var restored = RestoreCheck.Evaluate(restore, scratch!.Storage);
        if (restored.Verdict != CheckVerdict.Failed)
        {
            await leg.TimedAsync("verify", token => VerifyAsync(counted, counting, restored, live, token), ct);
            return;
        }

        await counting;
        leg.Checks.Add(restored);

        // What a failed restore left is no evidence about the backup: no cascade of false claims about its tables or ledger.
        const string reason = "not applicable: the restore failed (see postgres.restore), so the restored database proves nothing about the backup";
        leg.Checks.Add(TableDataCheck.Evaluate(ArchivedTables(), archive!.TablesWithData.ToHashSet()));
        foreach (var (name, title) in DependsOnRestore)
        {
            leg.Checks.Add(CheckResult.NotApplicable(name, title, reason));
        }

        leg.Checks.Add(DrillAge.Check(options, selection.Backup.Timestamp));
        throw new DrillAbortedException(DrillVerdict.Failed, $"{restored.Title}: {restored.Found}");

        async Task CountOrStopAsync()
        {
            try
            {
                await leg.TimedAsync("preflight", CountRowsAsync, ct);
            }
            catch
            {
                await startLimit.CancelAsync();
                await restoreLimit.CancelAsync();
                throw;
            }
        }
    }

    private async Task ReadHeaderAsync(CancellationToken ct)
    {
        try
        {
            archive = await PgArchiveReader.ReadHeaderAndTocAsync(selection.Backup.FullPath, selection.Backup.RelativePath, ct);
        }
        catch (BackupRejectedException e)
        {
            throw new DrillAbortedException(DrillVerdict.Failed, e.Message, CheckResult.Fail(ArchiveCheck, ArchiveTitle, ArchiveExpected, e.Message));
        }
    }

    private async Task CountRowsAsync(CancellationToken ct)
    {
        try
        {
            if (beforeCount is not null)
            {
                await beforeCount(ct);
            }

            var progress = new InlineProgress<PgReadProgress>(ReportReadProgress);
            // On a thread of its own at idle priority: the read runs beside the container start and the restore.
            archivedRows = await IdlePriorityThread.RunAsync(
                "offline archive read", () => PgArchiveReader.CountRowsAsync(selection.Backup.FullPath, archive!, progress, ct), AddReadPriorityNote);
        }
        catch (BackupRejectedException e)
        {
            throw new DrillAbortedException(DrillVerdict.Failed, e.Message, CheckResult.Fail(ArchiveCheck, ArchiveTitle, ArchiveExpected, e.Message));
        }

        lock (leg.Checks)
        {
            leg.Checks.Add(CheckResult.Pass(ArchiveCheck, ArchiveTitle, ArchiveExpected,
                $"archive {archive!.Header.ArchiveVersion}, {archive.Entries.Count} entries, {archivedRows.Tables.Values.Sum():N0} rows in {archivedRows.Tables.Count} tables, " +
                $"dumped from PostgreSQL {archive.Header.DumpedFrom} by pg_dump {archive.Header.DumpedBy}"));
        }
    }

    private async Task<ScratchPostgres> StartScratchAsync(SandboxLease lease, string image, CancellationToken ct)
    {
        var sandbox = drillSandbox = await lease.GetAsync(ct);
        var environment = await ContainerEngine.ImageEnvironmentAsync(image, ct);
        if (environment is not null && environment.TryGetValue("PG_MAJOR", out var major) && int.TryParse(major, out var imageMajor))
        {
            // Before the container starts: an image too old for the dump, or for the application, is refused without one.
            CheckImage(image, imageMajor, "its PG_MAJOR");
            lock (leg.Checks)
            {
                PostgresImagePreflight.RequireBootableServer(options, leg, image, imageMajor);
            }
        }

        var storage = ScratchStorage.Choose(options.ScratchStorage, selection.Backup.Bytes, environment, await EngineApi.MemoryBytesAsync(ct));
        lock (leg.Checks)
        {
            leg.Notes.Add($"Scratch Postgres data: {storage.Reason}.");
        }

        sandboxReport = new SandboxReport(options.RunId, sandbox.Network.Name, [sandbox.ContainerName("postgres")], options.KeepSandbox, null, lease.EngineVersion);
        await options.Log.WriteLineAsync($"Starting scratch Postgres '{image}' on network {sandbox.Network.Name}");
        try
        {
            var started = await ScratchPostgres.StartAsync(sandbox, image, selection.Backup.FullPath, storage, ct);
            sandboxReport = sandboxReport with { ScratchConnection = started.RedactedConnectionString };
            return started;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new DrillAbortedException(DrillVerdict.Error,
                $"The scratch Postgres from image '{image}' did not start: {e.Message}. If the image is not on this engine and there is no registry, " +
                $"build the local images offline with fixtures/engine/ensure-engine.sh (it builds gittensory-drills/postgres:15 and {PostgresImageChoice.NewestBuiltLocally}).");
        }
    }

    private void AddReadPriorityNote(string how)
    {
        lock (leg.Checks)
        {
            leg.Notes.Add($"The offline archive read ran beside the restore {how}.");
        }
    }

    private void ReportReadProgress(PgReadProgress progress)
    {
        var now = clock.ElapsedTicks;
        if (now - Interlocked.Read(ref lastProgressTicks) < options.ProgressInterval.TotalSeconds * Stopwatch.Frequency && progress.BytesRead < progress.TotalBytes)
        {
            return;
        }

        Interlocked.Exchange(ref lastProgressTicks, now);
        options.Log.WriteLine($"  reading the archive: {progress.Fraction:P0} of {progress.TotalBytes:N0} bytes");
    }

    private void CheckImage(string image, int imageMajor, string source)
    {
        var needed = new[] { archive!.ServerMajor ?? 0, archive.DumpedByMajor ?? 0, archive.MinimumRestoreMajor }.Max();
        const string title = "The restore image can read the archive";
        var expected = $"pg_restore {needed} or newer (the dump is from PostgreSQL {archive.Header.DumpedFrom}, pg_dump {archive.Header.DumpedBy}, archive {archive.Header.ArchiveVersion})";
        if (imageMajor >= needed)
        {
            lock (leg.Checks)
            {
                leg.Checks.RemoveAll(c => c.Name == ImageCheck);
                leg.Checks.Add(CheckResult.Pass(ImageCheck, title, expected, $"'{image}' has PostgreSQL {imageMajor} ({source})"));
            }

            return;
        }

        var message = $"Backup '{selection.Backup.RelativePath}' was dumped from PostgreSQL {archive.Header.DumpedFrom} by pg_dump {archive.Header.DumpedBy}, " +
                      $"but the restore image '{image}' has pg_restore {imageMajor}. Use an image of major version {needed} or newer (set DRILL_POSTGRES_IMAGE, e.g. pgvector/pgvector:pg{{major}}).";
        throw new DrillAbortedException(DrillVerdict.Error, message, CheckResult.Fail(ImageCheck, title, expected, message));
    }

    private async Task<LiveDatabase?> OpenLiveAsync(ScratchPostgres target, CancellationToken ct)
    {
        if (options.LiveDatabaseUrl is null)
        {
            return null;
        }

        const string title = "The live database given for comparison is not the restore target";
        try
        {
            var live = await LiveDatabase.OpenAsync(options.LiveDatabaseUrl, target.ConnectionString, ct);
            lock (leg.Checks)
            {
                leg.Checks.Add(CheckResult.Pass(LiveSafetyCheck, title, "two different fingerprints (current_database() || '@' || system_identifier)",
                    $"live is '{live.Fingerprint}', read only in read-only transactions"));
            }

            return live;
        }
        catch (LiveDatabaseRefusedException e)
        {
            throw new DrillAbortedException(DrillVerdict.Error, e.Message,
                CheckResult.Fail(LiveSafetyCheck, title, "two different fingerprints (current_database() || '@' || system_identifier)", e.Message));
        }
    }

    // The checks that read the restored database, with their titles: not applicable when the restore failed.
    private static readonly (string Name, string Title)[] DependsOnRestore =
    [
        (TableSetCheck.Name, "Every table in the archive exists after the restore, and no other"),
        (RowCountCheck.Name, "Every table holds exactly the rows stored for it in the archive"),
        (ProfileChecks.ExpectedTables, "Every table the application has exists"),
        (ProfileChecks.ApplicationTables, "The database has the application's number of tables"),
        (ProfileChecks.NonEmptyTables, "The tables that must hold rows do"),
        (ProfileChecks.SingletonRows, "Each seed table holds exactly its one row"),
        (SequenceCheck.Name, "Every sequence is at least the largest value in its column"),
        (LedgerCheck.Name, "The migration ledger is whole"),
        (RecencyCheck.Name, "The data is as recent as the backup's time stamp"),
        (LiveComparisonCheck.Name, "The live database has every restored table, and no fewer rows where rows are never deleted"),
    ];

    private HashSet<TableName> ArchivedTables() =>
        archive!.Entries.Where(e => e.Desc == "TABLE").Select(e => e.Table).ToHashSet();

    // The schemas measured: the archive's tables' and the application's.
    private HashSet<string> Schemas() =>
        schemas ??= ArchivedTables().Select(t => t.Schema).Append(options.Profile.Schema).ToHashSet(StringComparer.Ordinal);

    // Measures the restored database, lets the scratch server go when no later stage queries it, then judges it against the
    // archive once the offline count is done (the archive's rejection, if any, is what the drill reports).
    private async Task VerifyAsync(PostgresTableMeasurer tables, Task counting, CheckResult restored, LiveDatabase? live, CancellationToken ct)
    {
        var archivedTables = ArchivedTables();
        DatabaseFacts measured;
        try
        {
            measured = await PostgresFactsReader.ReadAsync(tables, ct);
        }
        catch
        {
            await counting;
            throw;
        }

        // The offline count may still run and add its own note: the leg's lists are shared with it under one lock.
        lock (leg.Checks)
        {
            if (tables.MeasuredBeside > 0)
            {
                leg.Notes.Add($"{tables.MeasuredBeside} of {measured.Tables.Count} tables were counted beside the restore, each once pg_restore had committed its data.");
            }

            if (removeScratchOnceMeasured && drillSandbox!.RemoveEarly(scratch!.Container.Id))
            {
                // Killed while the offline count finishes: nothing after this store's checks asks the scratch server anything.
                removed = true;
                leg.Notes.Add("The scratch Postgres was removed once measured, while the offline count finished: no later stage of this drill queries it.");
            }
        }

        await counting;
        leg.Checks.Add(restored);

        leg.Checks.Add(TableSetCheck.Evaluate(archivedTables, measured));
        leg.Checks.Add(TableDataCheck.Evaluate(archivedTables, archive!.TablesWithData.ToHashSet()));
        leg.Checks.Add(archivedRows!.Status == PgRowCountStatus.Counted
            ? RowCountCheck.Evaluate(archivedRows.Tables, measured)
            : new CheckResult(RowCountCheck.Name, "Every table holds exactly the rows stored for it in the archive", "rows counted in the archive",
                $"not counted offline: {archivedRows.Reason}", CheckVerdict.Warning, []));
        leg.Checks.AddRange(ProfileChecks.Evaluate(options.Profile, measured, BackupStore.Postgres));
        leg.Checks.Add(SequenceCheck.Evaluate(measured.Sequences));
        leg.Checks.Add(LedgerCheck.Evaluate(options.Profile, measured.Ledger));
        leg.Checks.Add(RecencyCheck.Evaluate(options.Profile, measured.Activity, selection.Backup.Timestamp));
        leg.Checks.Add(DrillAge.Check(options, selection.Backup.Timestamp));

        IReadOnlyList<TableFact>? liveTables = null;
        if (live is not null)
        {
            await options.Log.WriteLineAsync("Counting rows in the live database (read-only transaction)");
            liveTables = await live.ReadTablesAsync(Schemas(), ct);
        }

        leg.Checks.Add(LiveComparisonCheck.Evaluate(options.Profile, measured.Tables, liveTables));
        facts = measured;
    }

    private List<TableReport> TableReports()
    {
        var archived = archivedRows?.Tables ?? new Dictionary<TableName, long>();
        var restored = facts?.Tables.ToDictionary(t => t.Key, t => t.Rows) ?? [];
        var names = archive?.Entries.Where(e => e.Desc == "TABLE").Select(e => e.Table) ?? [];
        return [.. names.Union(restored.Keys).Order()
            .Select(n => new TableReport(n.ToString(), archived.TryGetValue(n, out var a) ? a : archivedRows is null ? null : 0, restored.TryGetValue(n, out var r) ? r : null)
            {
                Schema = n.Schema,
                Table = n.Name,
            })];
    }
}
