using Gittensory.Drills.Backups;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Pipeline;

namespace Gittensory.Drills.Tests.Reporting;

/// <summary>Real drills of the bundled sample set's SQLite leg (a real .sqlite.gz expanded and checked; no engine needed), into a reports root of a test's own.</summary>
internal static class SqliteDrills
{
    /// <summary>The older SQLite backup of the sample set (fewer rows in the tables that grow than the newest).</summary>
    public const string OlderBackup = "sqlite/loopover-20260703T090939Z.sqlite.gz";

    /// <summary>A drill that passes (the sample's age is not judged).</summary>
    public static Task<DrillOutcome> PassingAsync(string reports, string? backup = null, string? metricsFile = null, CancellationToken ct = default) =>
        DrillPipeline.RunAsync(Options(reports, backup, metricsFile), ct);

    /// <summary>A drill that fails: the sample set is months old and may be at most 1 h old here (<c>backup.age</c>, <c>set.age.*</c>).</summary>
    public static Task<DrillOutcome> FailingAsync(string reports, string? metricsFile = null, CancellationToken ct = default) =>
        DrillPipeline.RunAsync(Options(reports, null, metricsFile) with { MaxBackupAge = TimeSpan.FromHours(1) }, ct);

    /// <summary>A drill of <paramref name="root"/>'s SQLite backups.</summary>
    public static Task<DrillOutcome> OfRootAsync(string root, string reports, string? metricsFile = null, CancellationToken ct = default) =>
        DrillPipeline.RunAsync(Options(reports, null, metricsFile) with { BackupRoot = root, BundledSample = false }, ct);

    /// <summary>The command-line arguments of the same drills, for the drill command.</summary>
    public static List<string> Arguments(string reports, bool failing) =>
        ["--backup-root", RepoPaths.SampleBackups, "--bundled-sample", "--store", "sqlite", "--report-dir", reports, .. failing ? new[] { "--max-backup-age", "1" } : []];

    private static DrillOptions Options(string reports, string? backup, string? metricsFile) => new()
    {
        BackupRoot = RepoPaths.SampleBackups,
        BundledSample = true,
        Stores = new HashSet<BackupStore> { BackupStore.Sqlite },
        Backup = backup,
        ReportsRoot = reports,
        MetricsFile = metricsFile,
    };
}
