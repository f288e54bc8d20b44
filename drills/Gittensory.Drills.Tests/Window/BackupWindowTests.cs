using FluentAssertions;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Window;
using Xunit;

namespace Gittensory.Drills.Tests.Window;

/// <summary>The retention window read offline over real pg_dump archives and real SQLite backups: sound, bit-rotten, shrinking, losing a migration, a counter going down, over budget.</summary>
public sealed class BackupWindowTests : IDisposable
{
    private readonly WindowSet set = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => set.Dispose();

    [Fact]
    public async Task GivenTheSampleSet_WhenItsWindowIsRead_ThenEveryRetainedBackupIsWholeCountedAndHashedAndNothingShrank()
    {
        // When
        var (report, checks) = await set.ReadAsync(ct: Ct);

        // Then
        checks.Should().OnlyContain(c => c.Verdict == CheckVerdict.Passed, string.Join("; ", checks.Select(c => $"{c.Name}: {c.Found}")));
        checks.Select(c => c.Name).Should().Equal(
            "window.postgres/loopover-20260702T090939Z.dump", "window.postgres/loopover-20260703T090939Z.dump", "window.postgres/loopover-20260704T090939Z.dump",
            "window.sqlite/loopover-20260702T090939Z.sqlite.gz", "window.sqlite/loopover-20260703T090939Z.sqlite.gz", "window.sqlite/loopover-20260704T090939Z.sqlite.gz",
            WindowChecks.BudgetName,
            "window.grow-only.postgres", "window.migrations.postgres", "window.job-stats.postgres",
            "window.grow-only.sqlite", "window.migrations.sqlite", "window.job-stats.sqlite");
        report.Backups.Select(b => (b.File, b.Rows["review_audit"], b.Migrations!.Count)).Should().Equal(
            (WindowSet.OldestDump, 60L, 178), (WindowSet.MiddleDump, 120L, 178), (WindowSet.NewestDump, 180L, 178),
            (WindowSet.OldestSqlite, 60L, 178), (WindowSet.MiddleSqlite, 120L, 178), (WindowSet.NewestSqlite, 180L, 178));
        report.Backups.Should().OnlyContain(b => b.Sha256 == set.Sha256(b.File));
        report.Backups.Should().OnlyContain(b => b.JobStats!.Count == 8);
        report.Backups[0].JobStats.Should().Equal(report.Backups[3].JobStats, "both stores of a run hold the same counters");
        report.Skipped.Should().BeEmpty();
        report.BytesRead.Should().Be(report.Backups.Sum(b => b.Bytes));
        Directory.EnumerateFileSystemEntries(set.Copy.TempRoot).Should().BeEmpty("each expanded SQLite copy is removed once read");
    }

    [Fact]
    public async Task GivenBytesFlippedInTheThirdNewestDump_WhenTheWindowIsRead_ThenThatBackupsCheckFailsByNameAndTheOthersPass()
    {
        // Given
        await set.FlipDataBytesAsync(WindowSet.OldestDump, ct: Ct);

        // When
        var (report, checks) = await set.ReadAsync(ct: Ct);

        // Then
        var failed = checks.Where(c => c.Verdict == CheckVerdict.Failed).ToList();
        failed.Select(c => c.Name).Should().Equal(WindowChecks.NameOf(WindowSet.OldestDump));
        failed[0].Title.Should().Be("Retained backup postgres/loopover-20260702T090939Z.dump is whole when read offline");
        failed[0].Found.Should().StartWith(
            "Backup 'postgres/loopover-20260702T090939Z.dump' has corrupt data for table public.repo_chunks (TOC entry 3974, data block at byte 130227): its compressed data does not inflate");
        report.Backups[0].Counted.Should().BeFalse();
        checks.Single(c => c.Name == WindowChecks.GrowOnlyName("postgres")).Found.Should().Contain("over 1 consecutive pairs of 2 postgres backups", "the broken backup is left out of the comparison");
    }

    [Fact]
    public async Task GivenAGzipByteFlippedInTheThirdNewestSqliteBackup_WhenTheWindowIsRead_ThenThatBackupsCheckFailsByName()
    {
        // Given
        set.FlipBytes(WindowSet.OldestSqlite, 1);

        // When
        var (_, checks) = await set.ReadAsync(ct: Ct);

        // Then
        var failed = checks.Where(c => c.Verdict == CheckVerdict.Failed).ToList();
        failed.Select(c => c.Name).Should().Equal(WindowChecks.NameOf(WindowSet.OldestSqlite));
        failed[0].Found.Should().StartWith("Backup 'sqlite/loopover-20260702T090939Z.sqlite.gz' is corrupt");
    }

    [Fact]
    public async Task GivenReviewAuditShrinkingBetweenTwoDumps_WhenTheWindowIsRead_ThenTheGrowOnlyCheckNamesBothBackupsAndBothCounts()
    {
        // Given the oldest run's data under the newest name and the other way round: 180, 120, 60 review_audit rows in time order
        set.Swap(WindowSet.OldestDump, WindowSet.NewestDump);

        // When
        var (_, checks) = await set.ReadAsync(ct: Ct);

        // Then
        var check = checks.Single(c => c.Name == WindowChecks.GrowOnlyName("postgres"));
        check.Verdict.Should().Be(CheckVerdict.Failed);
        check.Found.Should().Be(
            "review_audit: 180 rows in postgres/loopover-20260702T090939Z.dump, but 120 in the newer postgres/loopover-20260703T090939Z.dump (60 rows lost) (and 3 more): " +
            "data was lost between the two backups; restore the older one to get it back");
        check.Details.Should().Contain("webhook_events: 80 rows in postgres/loopover-20260703T090939Z.dump, but 40 in the newer postgres/loopover-20260704T090939Z.dump (40 rows lost)");
        checks.Where(c => c.Name.StartsWith("window.postgres/", StringComparison.Ordinal)).Should().OnlyContain(c => c.Verdict == CheckVerdict.Passed, "each backup is whole on its own");
        checks.Single(c => c.Name == WindowChecks.GrowOnlyName("sqlite")).Verdict.Should().Be(CheckVerdict.Passed);
    }

    [Fact]
    public async Task GivenAPrunedTableShrinkingBetweenTwoBackups_WhenTheWindowIsRead_ThenTheGrowOnlyCheckPassesAndSaysItWasAllowed()
    {
        // Given
        await set.EditSqliteAsync(WindowSet.NewestSqlite, "DELETE FROM signal_snapshots WHERE rowid = (SELECT min(rowid) FROM signal_snapshots)", Ct);

        // When
        var (_, checks) = await set.ReadAsync(ct: Ct);

        // Then
        var check = checks.Single(c => c.Name == WindowChecks.GrowOnlyName("sqlite"));
        check.Verdict.Should().Be(CheckVerdict.Passed);
        check.Details.Should().Equal("signal_snapshots (pruned, may shrink): 3 rows in sqlite/loopover-20260703T090939Z.sqlite.gz, 2 in sqlite/loopover-20260704T090939Z.sqlite.gz");
    }

    [Fact]
    public async Task GivenAMigrationNameLostFromAnOlderBackupToANewerOne_WhenTheWindowIsRead_ThenTheMigrationsCheckNamesTheMigrationAndBothBackups()
    {
        // Given the newest SQLite backup's ledger without one of its names
        await set.EditSqliteAsync(WindowSet.NewestSqlite, "DELETE FROM _selfhost_migrations WHERE name = '0100_review_nag_monitored_mentions.sql'", Ct);

        // When
        var (_, checks) = await set.ReadAsync(ct: Ct);

        // Then
        var check = checks.Single(c => c.Name == WindowChecks.MigrationsName("sqlite"));
        check.Verdict.Should().Be(CheckVerdict.Failed);
        check.Found.Should().Be(
            "0100_review_nag_monitored_mentions.sql: in _selfhost_migrations of sqlite/loopover-20260703T090939Z.sqlite.gz, missing from the newer sqlite/loopover-20260704T090939Z.sqlite.gz: " +
            "the ledger lost a row, so booting the newer backup would run that migration again");
        checks.Single(c => c.Name == WindowChecks.MigrationsName("postgres")).Verdict.Should().Be(CheckVerdict.Passed);
    }

    [Fact]
    public async Task GivenAJobCounterThatDecreases_WhenTheWindowIsRead_ThenTheJobStatsCheckNamesTheCounterBothBackupsAndBothValues()
    {
        // Given
        await set.EditSqliteAsync(WindowSet.NewestSqlite, "UPDATE _selfhost_job_stats SET value = 7 WHERE name = 'jobs_completed'", Ct);
        using var pristine = new WindowSet();
        var (before, _) = await pristine.ReadAsync(ct: Ct);
        var previous = before.Backups.Single(b => b.File == WindowSet.MiddleSqlite).JobStats!["jobs_completed"];

        // When
        var (_, checks) = await set.ReadAsync(ct: Ct);

        // Then
        var check = checks.Single(c => c.Name == WindowChecks.JobStatsName("sqlite"));
        check.Verdict.Should().Be(CheckVerdict.Failed);
        check.Found.Should().Be(
            $"_selfhost_job_stats counter jobs_completed: {previous:N0} in sqlite/loopover-20260703T090939Z.sqlite.gz, but 7 in the newer sqlite/loopover-20260704T090939Z.sqlite.gz: " +
            "counters only grow, so the newer backup lost data");
    }

    [Fact]
    public async Task GivenABudgetSmallerThanTheWindow_WhenTheWindowIsRead_ThenTheNewestBackupsAreReadAndTheRestAreReportedAsSkipped()
    {
        // Given room for the newest backup of each store only
        var budget = new FileInfo(set.PathOf(WindowSet.NewestDump)).Length + new FileInfo(set.PathOf(WindowSet.NewestSqlite)).Length;

        // When
        var (report, checks) = await set.ReadAsync(set.Options() with { WindowBudgetBytes = budget }, Ct);

        // Then
        report.Skipped.Should().Equal(WindowSet.OldestDump, WindowSet.MiddleDump, WindowSet.OldestSqlite, WindowSet.MiddleSqlite);
        var check = checks.Single(c => c.Name == WindowChecks.BudgetName);
        check.Verdict.Should().Be(CheckVerdict.Warning);
        check.Found.Should().StartWith($"{budget:N0} bytes read; 4 backups (").And.EndWith(
            "bytes) not read within the budget: postgres/loopover-20260702T090939Z.dump, postgres/loopover-20260703T090939Z.dump, " +
            "sqlite/loopover-20260702T090939Z.sqlite.gz, sqlite/loopover-20260703T090939Z.sqlite.gz. Raise --window-budget (-WindowBudget) to verify them too.");
        checks.Single(c => c.Name == WindowChecks.NameOf(WindowSet.OldestDump)).Verdict.Should().Be(CheckVerdict.NotApplicable);
        checks.Single(c => c.Name == WindowChecks.GrowOnlyName("postgres")).Verdict.Should().Be(CheckVerdict.NotApplicable);
    }

    [Fact]
    public async Task GivenABudgetOfZero_WhenTheWindowIsRead_ThenNothingIsReadAndTheReportSaysTheWindowIsOff()
    {
        // When
        var (report, checks) = await set.ReadAsync(set.Options() with { WindowBudgetBytes = 0 }, Ct);

        // Then
        report.Backups.Should().BeEmpty();
        checks.Should().ContainSingle().Which.Found.Should().Be("the window is off (--window-budget 0): only the drilled backup was read");
    }
}
