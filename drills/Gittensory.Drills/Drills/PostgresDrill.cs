using System.Diagnostics;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Preflight;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Restore;
using Gittensory.Drills.Safety;
using Gittensory.Drills.Sandbox;
using Npgsql;

namespace Gittensory.Drills.Drills;

/// <summary>
/// The PostgreSQL restore drill, end to end: find the newest dump, read it offline, restore it into a scratch container
/// this drill created, measure the restored database, judge every check, and write the dated report (also on failure).
/// </summary>
public sealed class PostgresDrill
{
    /// <summary>Name of the preflight check (the archive is a whole, readable custom-format dump).</summary>
    public const string ArchiveCheck = "postgres.archive";

    /// <summary>Name of the check that the restore image can read the archive.</summary>
    public const string ImageCheck = "postgres.image";

    /// <summary>Name of the safety check on the live database URL.</summary>
    public const string LiveSafetyCheck = "live.not-the-target";

    private readonly DrillOptions options;
    private readonly List<CheckResult> checks = [];
    private readonly List<PhaseTiming> phases = [];
    private readonly Dictionary<string, string> images = [];
    private readonly List<string> notes = [];
    private readonly Stopwatch clock = new();
    private BackupSelection? selection;
    private PgArchive? archive;
    private PgArchiveRowCounts? archivedRows;
    private RestoreOutcome? restore;
    private DatabaseFacts? facts;
    private SandboxReport? sandboxReport;

    private PostgresDrill(DrillOptions options) => this.options = options;

    /// <summary>Runs the drill and writes its report; returns the report whatever the verdict (exceptions become an error verdict).</summary>
    public static async Task<DrillOutcome> RunAsync(DrillOptions options, CancellationToken ct = default)
    {
        var drill = new PostgresDrill(options);
        var report = await drill.RunAsync(ct);
        var folder = await ReportWriter.WriteAsync(report, options.ReportsRoot, "postgres", CancellationToken.None);
        await options.Log.WriteLineAsync($"Report: {Path.Combine(folder, "report.md")}");
        return new DrillOutcome(report, folder);
    }

    private async Task<DrillReport> RunAsync(CancellationToken ct)
    {
        var started = options.Clock.GetUtcNow();
        clock.Start();
        DrillVerdict? stopped = null;
        string? problem = null;
        try
        {
            await PhaseAsync("discover", DiscoverAsync, ct);
            await PhaseAsync("preflight", PreflightAsync, ct);
            await SandboxAsync(ct);
        }
        catch (DrillAbortedException e)
        {
            (stopped, problem) = (e.Verdict, e.Message);
            if (e.Check is not null)
            {
                checks.Add(e.Check);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            (stopped, problem) = (DrillVerdict.Error, "The drill was cancelled before it finished; everything it created was removed (unless kept).");
        }
        catch (Exception e)
        {
            (stopped, problem) = (DrillVerdict.Error, $"The drill stopped on an unexpected {e.GetType().Name}: {Secrets.Redact(e.Message)}");
        }

        var verdict = stopped ?? (checks.Any(c => c.Verdict == CheckVerdict.Failed) ? DrillVerdict.Failed : DrillVerdict.Passed);
        if (verdict == DrillVerdict.Failed && problem is null)
        {
            var failed = checks.First(c => c.Verdict == CheckVerdict.Failed);
            problem = $"{failed.Title}: {failed.Found}";
        }

        await options.Log.WriteLineAsync($"Drill {verdict}" + (problem is null ? "" : $": {problem}"));
        return new DrillReport
        {
            RunId = options.RunId,
            Profile = options.Profile.Name,
            BackupRoot = Path.GetFullPath(options.BackupRoot),
            StartedAt = started,
            FinishedAt = options.Clock.GetUtcNow(),
            Verdict = verdict,
            Problem = problem,
            Legs = [new LegReport("postgres", selection is not null, selection is null ? "no Postgres backup to drill" : $"{selection.Backup.RelativePath}, chosen by {selection.SelectedBy}")],
            Backup = selection is null ? null : new BackupReport(
                selection.Backup.RelativePath, selection.Backup.Bytes, archivedRows?.Sha256, selection.Backup.Timestamp, selection.SelectedBy, [.. selection.Notes, .. notes]),
            Archive = archive is null ? null : new ArchiveReport(
                "custom", archive.Header.ArchiveVersion.ToString(), archive.Header.Compression.ToString(), archive.Header.CreatedAt,
                archive.Header.DatabaseName, archive.Header.DumpedFrom, archive.Header.DumpedBy, archive.Summary),
            Images = images,
            Sandbox = sandboxReport,
            Phases = phases,
            Checks = checks,
            Tables = TableReports(),
            Restore = restore is null ? null : new RestoreReport(
                restore.Command, restore.Jobs, restore.ExitCode, [.. restore.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(30)]),
            RecoveryPointMinutes = facts is null ? null : RecencyCheck.RecoveryPointMinutes(facts.Activity, selection?.Backup.Timestamp),
        };
    }

    private async Task DiscoverAsync(CancellationToken ct)
    {
        try
        {
            selection = await BackupFinder.FindAsync(options.BackupRoot, BackupStore.Postgres, options.Profile.BackupPrefixes, options.Backup, ct);
        }
        catch (BackupRejectedException e)
        {
            throw new DrillAbortedException(DrillVerdict.Error, e.Message);
        }

        checks.Add(selection.ManifestCheck);
        await options.Log.WriteLineAsync($"Backup: {selection.Backup.RelativePath} ({selection.Backup.Bytes:N0} bytes), chosen by {selection.SelectedBy}");
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

        checks.Add(CheckResult.Pass(ArchiveCheck, title, expected,
            $"archive {archive.Header.ArchiveVersion}, {archive.Entries.Count} entries, {archivedRows.Tables.Values.Sum():N0} rows in {archivedRows.Tables.Count} tables, " +
            $"dumped from PostgreSQL {archive.Header.DumpedFrom} by pg_dump {archive.Header.DumpedBy}"));

        var image = options.Images.PostgresFor(archive.ServerMajor ?? 16);
        images["postgres"] = image;
        var environment = await ContainerEngine.ImageEnvironmentAsync(image, ct);
        if (environment is not null && environment.TryGetValue("PG_MAJOR", out var major) && int.TryParse(major, out var imageMajor))
        {
            CheckImage(image, imageMajor, "its PG_MAJOR");
        }
    }

    private long lastProgressTicks;

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
            checks.RemoveAll(c => c.Name == ImageCheck);
            checks.Add(CheckResult.Pass(ImageCheck, title, expected, $"'{image}' has PostgreSQL {imageMajor} ({source})"));
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

        var image = images["postgres"];
        await using var sandbox = await DrillSandbox.CreateAsync(options.RunId, options.KeepSandbox, ct);
        sandboxReport = new SandboxReport(options.RunId, sandbox.Network.Name, [sandbox.ContainerName("postgres")], options.KeepSandbox, null, $"{engine.Version} (API {engine.ApiVersion})");
        var scratch = await TimedAsync("sandbox", async token =>
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
                    "build one offline with fixtures/engine/ensure-engine.sh and set DRILL_POSTGRES_IMAGE=gittensory-drills/postgres:15.");
            }
        }, ct);
        sandboxReport = sandboxReport with { ScratchConnection = scratch.RedactedConnectionString };
        CheckImage(image, await scratch.PgRestoreMajorAsync(ct), "its pg_restore --version");

        var live = await OpenLiveAsync(scratch, ct);

        restore = await TimedAsync("restore", async token =>
        {
            await options.Log.WriteLineAsync($"Restoring {selection!.Backup.RelativePath} with pg_restore inside the container");
            return await PgRestoreRunner.RunAsync(scratch, archivedRows!.Tables.Values.Sum(), options.Log, options.ProgressInterval, token);
        }, ct);
        checks.Add(RestoreCheck.Evaluate(restore));

        await TimedAsync("verify", async token =>
        {
            await VerifyAsync(scratch, live, token);
            return true;
        }, ct);
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
            checks.Add(CheckResult.Pass(LiveSafetyCheck, title, "two different fingerprints (current_database() || '@' || system_identifier)",
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
        await using (var connection = new NpgsqlConnection(scratch.ConnectionString))
        {
            await connection.OpenAsync(ct);
            facts = await PostgresFactsReader.ReadAsync(connection, schemas, options.Profile, ct);
        }

        checks.Add(TableSetCheck.Evaluate(archivedTables, facts));
        checks.Add(TableDataCheck.Evaluate(archivedTables, archive.TablesWithData.ToHashSet(StringComparer.Ordinal)));
        checks.Add(archivedRows!.Status == PgRowCountStatus.Counted
            ? RowCountCheck.Evaluate(archivedRows.Tables, facts)
            : new CheckResult(RowCountCheck.Name, "Every table holds exactly the rows stored for it in the archive", "rows counted in the archive",
                $"not counted offline: {archivedRows.Reason}", CheckVerdict.Warning, []));
        checks.AddRange(ProfileChecks.Evaluate(options.Profile, facts, BackupStore.Postgres));
        checks.Add(SequenceCheck.Evaluate(facts.Sequences));
        checks.Add(LedgerCheck.Evaluate(options.Profile, facts.Ledger));
        checks.Add(RecencyCheck.Evaluate(options.Profile, facts.Activity, selection!.Backup.Timestamp));
        checks.Add(AgeCheck());

        IReadOnlyList<TableFact>? liveTables = null;
        if (live is not null)
        {
            await options.Log.WriteLineAsync("Counting rows in the live database (read-only transaction)");
            liveTables = await live.ReadTablesAsync(schemas, ct);
        }

        checks.Add(LiveComparisonCheck.Evaluate(options.Profile, facts.Tables, liveTables));
    }

    private CheckResult AgeCheck()
    {
        var maxAge = options.MaxBackupAge ?? (options.Profile.MaxBackupAgeHours is double h ? TimeSpan.FromHours(h) : null);
        var reason = options.BundledSample && options.MaxBackupAge is null
            ? "the bundled sample set is old by construction; set -MaxBackupAge to judge its age anyway (any other backups root gets the profile's maximum, 26 h for LoopOver)"
            : null;
        return BackupAgeCheck.Evaluate(selection!.Backup.Timestamp, options.Clock.GetUtcNow(), maxAge, reason);
    }

    private List<TableReport> TableReports()
    {
        var archived = archivedRows?.Tables ?? new Dictionary<string, long>();
        var restored = facts?.Tables.ToDictionary(t => t.QualifiedName, t => t.Rows, StringComparer.Ordinal) ?? [];
        var names = archive?.Entries.Where(e => e.Desc == "TABLE").Select(e => e.QualifiedName) ?? [];
        return [.. names.Union(restored.Keys).Order(StringComparer.Ordinal)
            .Select(n => new TableReport(n, archived.TryGetValue(n, out var a) ? a : archivedRows is null ? null : 0, restored.TryGetValue(n, out var r) ? r : null))];
    }

    private async Task PhaseAsync(string name, Func<CancellationToken, Task> phase, CancellationToken ct)
    {
        await TimedAsync(name, async token =>
        {
            await phase(token);
            return true;
        }, ct);
    }

    private async Task<T> TimedAsync<T>(string name, Func<CancellationToken, Task<T>> phase, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var completed = false;
        try
        {
            var result = await phase(ct);
            completed = true;
            return result;
        }
        finally
        {
            phases.Add(new PhaseTiming(name, Math.Round(watch.Elapsed.TotalSeconds, 3), completed));
        }
    }
}
