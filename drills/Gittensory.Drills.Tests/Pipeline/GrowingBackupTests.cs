using FluentAssertions;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Sandbox;
using Gittensory.Drills.Tests.Stores.Postgres;
using Xunit;

namespace Gittensory.Drills.Tests.Pipeline;

/// <summary>
/// A backup still being written while the drill reads it (the nightly job is running): the drill notices that the file changed
/// under it and drills the newest finished backup instead, with a warning, never a false failure of a backup that was not done.
/// </summary>
public sealed class GrowingBackupTests : IDisposable
{
    private readonly string root = BrokenBackups.CopyOfSampleSet();
    private readonly string reports = Directory.CreateTempSubdirectory("gdrill-test-reports-").FullName;

    public void Dispose()
    {
        Directory.Delete(root, recursive: true);
        Directory.Delete(reports, recursive: true);
    }

    [Fact]
    public async Task ADumpThatGrowsWhileTheDrillReadsItFallsBackToTheNewestFinishedDumpWithAWarningAndPasses()
    {
        // Given the sample set without its manifest (an older set, chosen by name), whose newest dump grows (as pg_dump still
        // writing it would make it) right after the scan chose it; with a manifest, the finished run it names is drilled anyway
        var ct = TestContext.Current.CancellationToken;
        await EngineGate.RequireEngineAsync(ct);
        File.Delete(Path.Combine(root, "manifest.json"));
        var newest = Path.Combine(root, "postgres", "loopover-20260704T090939Z.dump");
        var log = new TriggeringWriter("postgres backup: postgres/loopover-20260704T090939Z.dump", () =>
        {
            using var file = new FileStream(newest, FileMode.Append, FileAccess.Write);
            file.Write(new byte[4096]);
        });

        // When the drill runs
        var outcome = await DrillPipeline.RunAsync(new DrillOptions
        {
            BackupRoot = root,
            BundledSample = true,
            Stores = new HashSet<BackupStore> { BackupStore.Postgres },
            ReportsRoot = reports,
            Log = log,
        }, ct);

        // Then it drilled the dump before it, said why, and passed
        log.Fired.Should().BeTrue();
        var report = outcome.Report;
        report.Verdict.Should().Be(DrillVerdict.Passed, report.Problem);
        report.Leg("postgres")!.Backup!.File.Should().Be("postgres/loopover-20260703T090939Z.dump");
        report.SetCheck("set.choice.postgres")!.Should().Match<CheckResult>(c => c.Verdict == CheckVerdict.Warning
            && c.Found.Contains("loopover-20260704T090939Z.dump", StringComparison.Ordinal)
            && c.Found.Contains("grew from", StringComparison.Ordinal));
        report.Phases.Select(p => p.Name).Should().Contain("redrill-postgres");
        (await ContainerEngine.CountRunResourcesAsync(report.RunId, ct)).Should().Be((0, 0), "both scratch servers are removed");
    }

    /// <summary>A log that runs an action once, when a line containing <paramref name="trigger"/> is written.</summary>
    private sealed class TriggeringWriter(string trigger, Action action) : StringWriter
    {
        public bool Fired { get; private set; }

        public override Task WriteLineAsync(string? value)
        {
            Fire(value);
            return base.WriteLineAsync(value);
        }

        public override void WriteLine(string? value)
        {
            Fire(value);
            base.WriteLine(value);
        }

        private void Fire(string? value)
        {
            if (!Fired && value is not null && value.Contains(trigger, StringComparison.Ordinal))
            {
                Fired = true;
                action();
            }
        }
    }
}
