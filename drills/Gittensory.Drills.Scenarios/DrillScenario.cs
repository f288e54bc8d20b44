using Gittensory.Drills.Backups;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Sandbox;
using Xunit;

namespace Gittensory.Drills.Scenarios;

/// <summary>
/// Runs one drill of a store once for the whole scenario class and keeps its report, so that each check is its own test.
/// What to drill comes from the environment: <c>DRILL_BACKUP_ROOT</c> (default: the bundled sample set),
/// <c>DRILL_MAX_BACKUP_AGE_HOURS</c>, <c>DRILL_LIVE_DATABASE_URL</c>, <c>DRILL_REPORT_DIR</c> (default: reports/).
/// </summary>
public abstract class DrillScenario(BackupStore store, params BackupStore[] alongside) : IAsyncLifetime
{
    private EngineStatus? engine;
    private string? notRun;
    private string? nothingToDrill;

    /// <summary>The drill's report, once it has run.</summary>
    public DrillReport? Report { get; private set; }

    /// <summary>The store this scenario drills.</summary>
    public BackupStore Store { get; } = store;

    /// <summary>Whether the leg needs a container engine.</summary>
    protected virtual bool NeedsEngine => true;

    /// <summary>Why this scenario should not run here (its tests are then skipped with it), or null to run it.</summary>
    protected virtual Task<string?> NotRunReasonAsync() => Task.FromResult<string?>(null);

    /// <summary>The drill's options, changed as this scenario needs (e.g. to boot the application).</summary>
    protected virtual DrillOptions Configure(DrillOptions options) => options;

    public async ValueTask InitializeAsync()
    {
        var root = Environment.GetEnvironmentVariable("DRILL_BACKUP_ROOT");
        var backupRoot = string.IsNullOrEmpty(root) ? RepoPaths.SampleBackups : root;
        (notRun, nothingToDrill) = ScenarioRoot.Decide(backupRoot, string.IsNullOrEmpty(root) ? "The bundled sample set" : "DRILL_BACKUP_ROOT", Store);
        if (notRun is not null || nothingToDrill is not null)
        {
            return;
        }

        engine = await ContainerEngine.PrepareAsync();
        notRun = await NotRunReasonAsync();
        if (notRun is not null)
        {
            return;
        }

        if (NeedsEngine && !engine.Answers)
        {
            return;
        }

        var maxAge = Environment.GetEnvironmentVariable("DRILL_MAX_BACKUP_AGE_HOURS");
        var outcome = await DrillPipeline.RunAsync(Configure(new DrillOptions
        {
            BackupRoot = backupRoot,
            BundledSample = string.IsNullOrEmpty(root),
            Stores = new HashSet<BackupStore>([Store, .. alongside]),
            MaxBackupAge = double.TryParse(maxAge, System.Globalization.CultureInfo.InvariantCulture, out var hours) ? TimeSpan.FromHours(hours) : null,
            LiveDatabaseUrl = Safety.PostgresUrl.FromEnvironment(),
            ReportsRoot = Environment.GetEnvironmentVariable("DRILL_REPORT_DIR") is { Length: > 0 } dir ? dir : Path.Combine(RepoPaths.Root, "reports"),
            Log = TextWriter.Null,
        }));
        Report = outcome.Report;
    }

    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    /// <summary>The leg's report; fails when the root has nothing to drill, skips when only this store has no backups, and skips (laptop) or fails (CI) when no engine answered and the leg needs one.</summary>
    public async Task<LegReport> LegAsync()
    {
        if (nothingToDrill is not null)
        {
            throw new InvalidOperationException(nothingToDrill);
        }

        if (notRun is not null)
        {
            Assert.Skip(notRun);
        }

        if (Report is null)
        {
            await EngineGate.RequireEngineAsync(TestContext.Current.CancellationToken);
            throw new InvalidOperationException($"The {Store} drill did not run: {engine?.Problem}");
        }

        return Report.Leg(BackupFinder.FolderOf(Store))!;
    }
}
