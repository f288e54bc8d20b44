using System.Security.Cryptography;
using FluentAssertions;
using Gittensory.Drills.Stores.Sqlite;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Reporting;
using Xunit;

namespace Gittensory.Drills.Tests.Stores.Sqlite;

/// <summary>The SQLite leg on sound backups: it passes, proves what it says, leaves nothing behind and never writes beside the backup.</summary>
public sealed class SqliteDrillTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("gdrill-test-sqlite-drill-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public async Task GivenTheCommittedSampleSet_WhenOnlyItsSqliteLegIsDrilled_ThenEveryCheckPassesAndTheSetIsUntouched()
    {
        // Given
        var ct = TestContext.Current.CancellationToken;
        var before = Fingerprint(RepoPaths.SampleBackups);
        var temp = Directory.CreateDirectory(Path.Combine(scratch, "tmp")).FullName;

        // When
        var outcome = await DrillPipeline.RunAsync(new DrillOptions
        {
            BackupRoot = RepoPaths.SampleBackups,
            BundledSample = true,
            Stores = new HashSet<BackupStore> { BackupStore.Sqlite },
            ReportsRoot = Path.Combine(scratch, "reports"),
            TempRoot = temp,
        }, ct);

        // Then
        var report = outcome.Report;
        report.Verdict.Should().Be(DrillVerdict.Passed, report.Problem);
        report.ExitCode.Should().Be(0);
        var leg = report.Leg("sqlite")!;
        leg.Ran.Should().BeTrue();
        leg.Reason.Should().Be("sqlite/loopover-20260704T090939Z.sqlite.gz, chosen by manifest");
        leg.Checks.Select(c => c.Name).Should().Equal(
            BackupFinder.ManifestCheckName, SqliteCheckNames.Gzip, SqliteCheckNames.Integrity, SqliteCheckNames.ForeignKeys, SqliteCheckNames.Tables,
            ProfileChecks.ExpectedTables, ProfileChecks.ApplicationTables, ProfileChecks.NonEmptyTables, ProfileChecks.SingletonRows,
            LedgerCheck.Name, RecencyCheck.Name, BackupAgeCheck.Name,
            JobStateChecks.QueueName, JobStateChecks.DeadName, JobStateChecks.StatsName, JobStateChecks.RecentName);
        leg.Check(SqliteCheckNames.Gzip)!.Found.Should().Be("1 gzip member, 141,272 bytes expanded to 1,372,160 (9.7 to 1), CRC-32 and length as recorded");
        leg.Check(SqliteCheckNames.Integrity)!.Found.Should().Be("ok: 1,372,160 bytes, 335 pages of 4,096 bytes, WAL journal mode");
        leg.Check(SqliteCheckNames.ForeignKeys)!.Verdict.Should().Be(CheckVerdict.NotApplicable, "LoopOver declares no foreign key");
        leg.Check(SqliteCheckNames.Tables)!.Found.Should().Be("97 tables, 814 rows");
        leg.Check(ProfileChecks.ExpectedTables)!.Found.Should().Be("all 96 present");
        leg.Check(LedgerCheck.Name)!.Found.Should().Be("all 178 migrations, up to 0174_gate_backtest_regression.sql");
        leg.Check(BackupAgeCheck.Name)!.Verdict.Should().Be(CheckVerdict.NotApplicable, "the bundled sample set is old by construction");
        leg.Tables.Should().HaveCount(97).And.Contain(new TableReport("review_audit", 180, 180));
        leg.Backup!.Sha256.Should().Be(before["sqlite/loopover-20260704T090939Z.sqlite.gz"]);
        leg.RecoveryPointMinutes.Should().BeInRange(2, 5);
        report.SetChecks.Should().NotContain(c => c.Verdict == CheckVerdict.Failed);
        report.Leg("postgres")!.Reason.Should().Be("not selected: -Store Sqlite");
        Fingerprint(RepoPaths.SampleBackups).Should().Equal(before, "the drill never writes beside the backups (no -wal, no -shm)");
        Directory.EnumerateFileSystemEntries(temp).Should().BeEmpty("the expanded copy is removed at the end");
    }

    [Fact]
    public async Task GivenASqliteInstallsRoot_WhenEveryStoreIsDrilled_ThenOnlyTheSqliteLegRunsAndTheReportSaysWhyTheOthersDidNot()
    {
        // Given a root with only sqlite/ and a manifest naming only it, as LoopOver's default install writes
        using var set = new SampleSetCopy(withPostgres: false);

        // When
        var outcome = await DrillPipeline.RunAsync(set.Options() with { Stores = null }, TestContext.Current.CancellationToken);

        // Then
        var report = outcome.Report;
        report.Verdict.Should().Be(DrillVerdict.Passed, report.Problem);
        report.Legs.Select(l => (l.Store, l.Ran, l.Reason)).Should().Equal(
            ("postgres", false, "no backups in postgres/"),
            ("sqlite", true, "sqlite/loopover-20260704T090939Z.sqlite.gz, chosen by manifest"),
            ("qdrant", false, "no backups in qdrant/"));
        report.SetCheck(BackupSetHealth.NewestRunCheck)!.Found.Should().Be("the manifest names only a sqlite backup, so each run writes one folder");
        var markdown = await File.ReadAllTextAsync(Path.Combine(outcome.ReportFolder, "report.md"), TestContext.Current.CancellationToken);
        markdown.Should().Contain("- Leg postgres: did not run (no backups in postgres/)")
            .And.Contain("- Leg sqlite: ran, PASSED (sqlite/loopover-20260704T090939Z.sqlite.gz, chosen by manifest)");
        Path.GetFileName(outcome.ReportFolder).Should().Contain("-sqlite-");
    }

    [Fact]
    public async Task GivenACopyOfTheSampleSetJudgedAnHourAfterItsNewestRun_WhenDrilled_ThenItsAgeIsJudgedAndPasses()
    {
        using var set = new SampleSetCopy();

        var report = (await DrillPipeline.RunAsync(set.Options(), TestContext.Current.CancellationToken)).Report;

        report.Verdict.Should().Be(DrillVerdict.Passed, report.Problem);
        report.Leg("sqlite")!.Check(BackupAgeCheck.Name)!.Found.Should().Be("taken 2026-07-04 09:09:39Z, 1 h ago");
        report.SetCheck(BackupSetHealth.AgeCheck(BackupStore.Sqlite))!.Verdict.Should().Be(CheckVerdict.Passed);
        Directory.EnumerateFileSystemEntries(set.TempRoot).Should().BeEmpty();
    }

    [Fact]
    public async Task GivenKeepSandbox_WhenDrilled_ThenTheExpandedCopyIsKeptAndTheReportSaysWhere()
    {
        // Given
        using var set = new SampleSetCopy();
        var options = set.Options() with { KeepSandbox = true };

        // When
        var leg = (await DrillPipeline.RunAsync(options, TestContext.Current.CancellationToken)).Report.Leg("sqlite")!;

        // Then
        var kept = Path.Combine(set.TempRoot, $"gdrill-{options.RunId}-sqlite");
        leg.Notes.Should().ContainSingle().Which.Should().Be($"The expanded copy was kept for inspection in '{kept}' (-KeepSandbox); delete that folder when done.");
        File.Exists(Path.Combine(kept, "loopover-20260704T090939Z.sqlite")).Should().BeTrue();
    }

    [Theory]
    [InlineData("Expanding ")]
    [InlineData("Running PRAGMA integrity_check")]
    public async Task GivenADrillCancelledWhileItWorks_WhenItStops_ThenItsScratchFolderIsGoneAndTheReportSaysItWasCancelled(string cancelAt)
    {
        // Given a log that cancels the drill when it reaches a phase
        using var set = new SampleSetCopy();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var options = set.Options() with { Log = new CancellingLog(cancelAt, cancel) };
        var before = set.Fingerprint();

        // When
        var report = (await DrillPipeline.RunAsync(options, cancel.Token)).Report;

        // Then
        report.Verdict.Should().Be(DrillVerdict.Cancelled);
        report.ExitCode.Should().Be(130, "a cancelled drill never passes");
        report.Leg("sqlite")!.Problem.Should().Be("The drill was cancelled before this leg finished.");
        Directory.EnumerateFileSystemEntries(set.TempRoot).Should().BeEmpty();
        set.Fingerprint().Should().Equal(before);
    }

    private static SortedDictionary<string, string> Fingerprint(string root) =>
        new(Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f), f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))), StringComparer.Ordinal);

    /// <summary>A drill log that cancels the drill when a line starts with <paramref name="trigger"/>.</summary>
    private sealed class CancellingLog(string trigger, CancellationTokenSource cancel) : StringWriter
    {
        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (value?.StartsWith(trigger, StringComparison.Ordinal) == true)
            {
                cancel.Cancel();
            }
        }

        public override Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return Task.CompletedTask;
        }
    }
}
