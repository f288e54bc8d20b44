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
/// Backup runs that did not finish, drilled end to end: a newest dump cut short (the backup job killed mid-dump), or still being
/// written while the drill reads it (the nightly job is running). The drill drills the newest finished backup instead, with a
/// warning, and passes: never a false failure of a backup that was not done.
/// </summary>
public sealed class UnfinishedBackupDrillTests : IDisposable
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

    [Theory]
    [InlineData(true, "postgres/loopover-20260704T090939Z.dump")]
    [InlineData(false, "postgres/loopover-20260704T090939Z.dump")]
    public async Task ANewestDumpCutShortIsSkippedForTheNewestCompleteOneWithAWarningAndTheDrillPasses(bool withManifest, string drilled)
    {
        // Given the sample set plus a newer run whose dump was cut short (its first 60 %), with the manifest still naming the
        // finished run before it, or with no manifest at all (an older set)
        var ct = TestContext.Current.CancellationToken;
        await EngineGate.RequireEngineAsync(ct);
        var whole = await File.ReadAllBytesAsync(Path.Combine(root, "postgres", "loopover-20260704T090939Z.dump"), ct);
        await File.WriteAllBytesAsync(Path.Combine(root, "postgres", "loopover-20260705T090939Z.dump"), whole[..(whole.Length * 6 / 10)], ct);
        if (!withManifest)
        {
            File.Delete(Path.Combine(root, "manifest.json"));
        }

        // When the drill runs
        var report = (await DrillPipeline.RunAsync(new DrillOptions
        {
            BackupRoot = root,
            BundledSample = true,
            Stores = new HashSet<BackupStore> { BackupStore.Postgres },
            ReportsRoot = reports,
        }, ct)).Report;

        // Then it drilled the newest complete dump, said it skipped the unfinished one, and passed
        report.Verdict.Should().Be(DrillVerdict.Passed, report.Problem);
        report.ExitCode.Should().Be(0);
        report.Leg("postgres")!.Backup!.File.Should().Be(drilled);
        var choice = report.SetCheck("set.choice.postgres")!;
        choice.Verdict.Should().Be(CheckVerdict.Warning);
        choice.Found.Should().StartWith("the newest postgres/ run did not finish: loopover-20260705T090939Z.dump is cut short inside table ");
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
