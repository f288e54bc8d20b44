using FluentAssertions;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Restore;
using Gittensory.Drills.Sandbox;
using Xunit;

namespace Gittensory.Drills.Tests.Checks;

public sealed class DatabaseChecksTests
{
    [Fact]
    public void RowCountsEqualToTheArchivePass()
    {
        var result = RowCountCheck.Evaluate(new Dictionary<TableName, long> { [new TableName("public", "a")] = 3, [new TableName("public", "b")] = 0 }, Facts.Of(("a", 3), ("b", 0)));

        result.Verdict.Should().Be(CheckVerdict.Passed);
    }

    [Fact]
    public void ATableWithFewerRowsThanTheArchiveFailsNamingTheTable()
    {
        var result = RowCountCheck.Evaluate(new Dictionary<TableName, long> { [new TableName("public", "a")] = 3, [new TableName("public", "b")] = 7 }, Facts.Of(("a", 3), ("b", 0)));

        result.Verdict.Should().Be(CheckVerdict.Failed);
        result.Found.Should().Be("1 tables differ: public.b: 7 rows in the archive, 0 restored");
    }

    [Fact]
    public void ATableMissingAfterRestoreFailsTheTableSet()
    {
        var result = TableSetCheck.Evaluate([new TableName("public", "a"), new TableName("public", "b")], Facts.Of(("a", 1), ("c", 1)));

        result.Verdict.Should().Be(CheckVerdict.Failed);
        result.Found.Should().Be("2 tables: 1 missing, 1 not in the archive");
        result.Details.Should().Equal("missing after restore: public.b", "not in the archive: public.c");
    }

    [Fact]
    public void ATableWithoutDataInTheArchiveFails()
    {
        var result = TableDataCheck.Evaluate([new TableName("public", "a"), new TableName("public", "b")], [new TableName("public", "a")]);

        result.Verdict.Should().Be(CheckVerdict.Failed);
        result.Found.Should().Be("1 tables have no data in the archive (dumped with --exclude-table-data?): public.b");
    }

    [Fact]
    public void ASequenceBehindItsColumnFailsSayingTheNextInsertWouldCollide()
    {
        var result = SequenceCheck.Evaluate([new SequenceFact("public.jobs_id_seq", 5, true, "public.jobs.id", 9)]);

        result.Verdict.Should().Be(CheckVerdict.Failed);
        result.Found.Should().Be("public.jobs_id_seq is at 5, but public.jobs.id holds 9: the next insert would collide");
    }

    [Fact]
    public void ASequenceAtItsColumnsMaximumPasses()
    {
        SequenceCheck.Evaluate([new SequenceFact("public.jobs_id_seq", 9, true, "public.jobs.id", 9)]).Verdict.Should().Be(CheckVerdict.Passed);
    }

    [Fact]
    public void ARestoreThatIgnoredErrorsFailsWithItsFirstErrorLine()
    {
        var outcome = new RestoreOutcome("pg_restore", 2, 1,
            "pg_restore: error: could not execute query: ERROR:  relation \"x\" already exists\npg_restore: warning: errors ignored on restore: 1", TimeSpan.FromSeconds(1));

        var result = RestoreCheck.Evaluate(outcome);

        result.Verdict.Should().Be(CheckVerdict.Failed);
        result.Found.Should().Be("exit code 1: pg_restore: error: could not execute query: ERROR:  relation \"x\" already exists");
    }

    [Fact]
    public void ARestoreThatFilledTheInMemoryScratchDataSaysSoAndHowToRunAgain()
    {
        var outcome = new RestoreOutcome("pg_restore", 2, 1,
            "pg_restore: error: could not execute query: ERROR:  could not extend file \"base/16384/16402\": No space left on device\nHINT:  Check free disk space.", TimeSpan.FromSeconds(9));
        var memory = new ScratchStorage("/var/lib/postgresql/data", 3L << 30, "in memory");

        var result = RestoreCheck.Evaluate(outcome, memory);

        result.Verdict.Should().Be(CheckVerdict.Failed);
        result.Found.Should().Be("exit code 1: pg_restore: error: could not execute query: ERROR:  could not extend file \"base/16384/16402\": No space left on device. "
            + "The scratch Postgres kept its data in memory (a tmpfs of 3.0 GiB on /var/lib/postgresql/data) and filled it: the restored copy is larger than "
            + "the drill's estimate (10 times the dump). This says nothing against the backup: run the drill again with -ScratchStorage Disk "
            + "(--scratch-storage disk), or on an engine with more memory.");
        RestoreCheck.Evaluate(outcome, ScratchStorage.OnDisk("on disk")).Found.Should().NotContain("-ScratchStorage", "on disk the engine's own disk is full: no tmpfs to blame");
        RestoreCheck.Evaluate(outcome).Found.Should().NotContain("-ScratchStorage");
    }

    [Fact]
    public void ARestoreWithExitCodeZeroButErrorsIgnoredStillFails()
    {
        var outcome = new RestoreOutcome("pg_restore", 1, 0, "pg_restore: warning: errors ignored on restore: 3", TimeSpan.Zero);

        RestoreCheck.Evaluate(outcome).Verdict.Should().Be(CheckVerdict.Failed);
    }

    [Fact]
    public void TheProfileCatchesAMissingTableAnEmptyLedgerAndADoubledSeedRow()
    {
        var facts = Facts.Of(("_selfhost_migrations", 0), ("global_agent_controls", 2));

        var results = ProfileChecks.Evaluate(Facts.Profile(), facts, BackupStore.Postgres).ToDictionary(r => r.Name);

        results[ProfileChecks.ExpectedTables].Found.Should().Be("1 missing: webhook_events");
        results[ProfileChecks.ApplicationTables].Found.Should().Be("1 application tables");
        results[ProfileChecks.NonEmptyTables].Found.Should().Be("_selfhost_migrations is empty");
        results[ProfileChecks.SingletonRows].Found.Should().Be("global_agent_controls holds 2 rows");
        results.Values.Should().OnlyContain(r => r.Verdict == CheckVerdict.Failed);
    }

    [Fact]
    public void AProfileWithoutFactsMakesItsChecksNotApplicableNeverPassed()
    {
        var profile = new Gittensory.Drills.Profiles.DrillProfile { Name = "bare" };

        var results = ProfileChecks.Evaluate(profile, Facts.Of(("a", 1)), BackupStore.Postgres);

        results.Should().OnlyContain(r => r.Verdict == CheckVerdict.NotApplicable);
        LedgerCheck.Evaluate(profile, null).Verdict.Should().Be(CheckVerdict.NotApplicable);
        RecencyCheck.Evaluate(profile, [], DateTimeOffset.UtcNow).Verdict.Should().Be(CheckVerdict.NotApplicable);
    }
}
