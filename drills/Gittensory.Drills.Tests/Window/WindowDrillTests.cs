using FluentAssertions;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Window;
using Xunit;

namespace Gittensory.Drills.Tests.Window;

/// <summary>The window and the job-state checks inside whole drills: a bit-rotten older backup fails the drill by name while the newest passes; the restored job state is judged before boot.</summary>
public sealed class WindowDrillTests : IDisposable
{
    private readonly WindowSet set = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => set.Dispose();

    [Fact]
    public async Task GivenBytesFlippedInTheThirdNewestSqliteBackup_WhenTheNewestIsDrilled_ThenTheLegPassesAndOnlyThatBackupsWindowCheckFailsTheDrill()
    {
        // Given
        set.FlipBytes(WindowSet.OldestSqlite, 1);

        // When
        var report = (await DrillPipeline.RunAsync(set.Copy.Options(), Ct)).Report;

        // Then
        report.Leg("sqlite")!.Verdict.Should().Be(DrillVerdict.Passed, report.Leg("sqlite")!.Problem);
        report.Verdict.Should().Be(DrillVerdict.Failed);
        report.AllChecks.Where(c => c.Verdict == CheckVerdict.Failed).Select(c => c.Name).Should().Equal(WindowChecks.NameOf(WindowSet.OldestSqlite));
        report.Problem.Should().StartWith("Retained backup sqlite/loopover-20260702T090939Z.sqlite.gz is whole when read offline: Backup 'sqlite/loopover-20260702T090939Z.sqlite.gz' is corrupt");
        report.Phases.Select(p => p.Name).Should().Equal("scan", "stores", "window", "cross-store", "teardown");
        report.Window!.Backups.Select(b => b.File).Should().Equal(WindowSet.OldestSqlite, WindowSet.MiddleSqlite, WindowSet.NewestSqlite);
        Directory.EnumerateFileSystemEntries(set.Copy.TempRoot).Should().BeEmpty();
    }

    [Fact]
    public async Task GivenBytesFlippedInTheThirdNewestDump_WhenTheNewestDumpIsDrilled_ThenThePostgresLegPassesWithItsJobStateAndOnlyTheWindowCheckFails()
    {
        await EngineGate.RequireEngineAsync(Ct);

        // Given
        await set.FlipDataBytesAsync(WindowSet.OldestDump, ct: Ct);

        // When
        var report = (await DrillPipeline.RunAsync(set.Options() with { Stores = new HashSet<BackupStore> { BackupStore.Postgres } }, Ct)).Report;

        // Then
        var leg = report.Leg("postgres")!;
        leg.Verdict.Should().Be(DrillVerdict.Passed, leg.Problem);
        report.Verdict.Should().Be(DrillVerdict.Failed);
        report.AllChecks.Where(c => c.Verdict == CheckVerdict.Failed).Select(c => c.Name).Should().Equal(WindowChecks.NameOf(WindowSet.OldestDump));
        leg.Checks.Where(c => c.Name.StartsWith("jobs.", StringComparison.Ordinal)).Select(c => (c.Name, c.Verdict)).Should().Equal(
            (JobStateChecks.QueueName, CheckVerdict.Passed), (JobStateChecks.DeadName, CheckVerdict.Passed),
            (JobStateChecks.StatsName, CheckVerdict.Passed), (JobStateChecks.RecentName, CheckVerdict.Passed));
        leg.Check(JobStateChecks.StatsName)!.Found.Should().Be("8 counters, none below postgres/loopover-20260703T090939Z.dump");
        leg.Jobs!.Statuses.Select(s => (s.Status, s.Count)).Should().Equal(("pending", 3L), ("processing", 0L), ("dead", 1L));
        leg.Jobs.Statuses[0].OldestRunAfter.Should().NotBeNull();
        report.Phases.Select(p => p.Name).Should().Contain("window");
    }

    [Fact]
    public async Task GivenAJobCounterSmallerThanInThePreviousBackup_WhenTheNewestIsDrilled_ThenTheRestoredJobStatsCheckNamesBothBackupsAndBothValues()
    {
        // Given
        var previous = await CounterAsync(WindowSet.MiddleSqlite, "jobs_completed");
        await set.EditSqliteAsync(WindowSet.NewestSqlite, "UPDATE _selfhost_job_stats SET value = 7 WHERE name = 'jobs_completed'", Ct);

        // When
        var report = (await DrillPipeline.RunAsync(set.Copy.Options(), Ct)).Report;

        // Then
        var check = report.Leg("sqlite")!.Check(JobStateChecks.StatsName)!;
        check.Verdict.Should().Be(CheckVerdict.Failed);
        check.Found.Should().Be(
            $"_selfhost_job_stats counter jobs_completed: {previous:N0} in sqlite/loopover-20260703T090939Z.sqlite.gz, but 7 in the newer sqlite/loopover-20260704T090939Z.sqlite.gz: " +
            "counters only grow, so the restored backup lost data");
        report.SetChecks.Single(c => c.Name == WindowChecks.JobStatsName("sqlite")).Verdict.Should().Be(CheckVerdict.Failed);
    }

    [Fact]
    public async Task GivenDeadJobsAboveTheProfilesThresholdAndAProcessingJob_WhenDrilled_ThenDeadWarnsAndProcessingIsReportedAsReclaimedAtBoot()
    {
        // Given one job claimed by a worker when the backup was taken, and a profile that allows no dead job
        await set.EditSqliteAsync(WindowSet.NewestSqlite,
            "UPDATE _selfhost_jobs SET status = 'processing' WHERE id = (SELECT min(id) FROM _selfhost_jobs WHERE status = 'pending')", Ct);
        var options = set.Copy.Options();
        var strict = options with { Profile = options.Profile with { Jobs = options.Profile.Jobs! with { MaxDeadJobs = 0 } } };

        // When
        var report = (await DrillPipeline.RunAsync(strict, Ct)).Report;

        // Then
        var leg = report.Leg("sqlite")!;
        var dead = leg.Jobs!.Statuses.Single(s => s.Status == "dead");
        var warning = leg.Check(JobStateChecks.DeadName)!;
        warning.Verdict.Should().Be(CheckVerdict.Warning);
        warning.Found.Should().Be(
            $"1 dead jobs (oldest queued {dead.OldestCreatedAt:u}), more than the 0 the profile allows: jobs failed for good before this backup; look at their last_error before relying on it");
        leg.Check(JobStateChecks.QueueName)!.Found.Should().Be(
            "2 pending, 1 processing, 1 dead; 1 processing jobs were claimed when the backup was taken: boot reclaims them and runs them again");
        leg.Check(JobStateChecks.QueueName)!.Details[1].Should().StartWith("processing: 1, oldest run_after ");
        report.Verdict.Should().Be(DrillVerdict.Passed, "a warning does not fail the drill");
    }

    [Fact]
    public async Task GivenTheDefaultProfile_WhenTheSampleIsDrilled_ThenNoDeadJobWarningIsRaised()
    {
        // The negative control's counterpart: the sample's single dead job is within LoopOver's threshold.
        var report = (await DrillPipeline.RunAsync(set.Copy.Options(), Ct)).Report;

        report.Verdict.Should().Be(DrillVerdict.Passed, report.Problem);
        report.Leg("sqlite")!.Check(JobStateChecks.DeadName)!.Found.Should().Be("1 dead jobs");
        report.Leg("sqlite")!.Check(JobStateChecks.RecentName)!.Verdict.Should().Be(CheckVerdict.Passed);
    }

    [Fact]
    public async Task GivenRestorePointOldest_WhenDrilled_ThenTheOldestBackupIsRestoredAndTheReportSaysSo()
    {
        // When
        var report = (await DrillPipeline.RunAsync(set.Copy.Options() with { RestorePoint = new RestorePoint { Kind = RestorePointKind.Oldest } }, Ct)).Report;

        // Then
        report.Verdict.Should().Be(DrillVerdict.Passed, report.Problem);
        report.RestorePoint.Should().Be("oldest");
        report.Leg("sqlite")!.Reason.Should().Be("sqlite/loopover-20260702T090939Z.sqlite.gz, chosen by restore point oldest");
        report.Leg("sqlite")!.Check(BackupAgeCheck.Name)!.Verdict.Should().Be(CheckVerdict.NotApplicable, "an older point is old by choice; set.age judges the newest");
        report.Leg("sqlite")!.Check(JobStateChecks.StatsName)!.Found.Should().Be("8 counters; no previous backup was read to compare with");
    }

    private async Task<long> CounterAsync(string file, string counter)
    {
        var (report, _) = await set.ReadAsync(ct: Ct);
        return report.Backups.Single(b => b.File == file).JobStats![counter];
    }
}
