using FluentAssertions;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Tests.Stores.Postgres;
using Gittensory.Drills.Window;
using Npgsql;
using Xunit;

namespace Gittensory.Drills.Tests.Window;

/// <summary>
/// The window's cross-backup checks and the restored job state on Postgres, with a newest dump made by a real <c>pg_dump -Fc</c> of
/// the sample's newest data after a change (a migration row deleted, a counter lowered), beside the sample's two older dumps.
/// </summary>
public sealed class PostgresWindowTests(SourceDatabaseFixture source) : IClassFixture<SourceDatabaseFixture>, IDisposable
{
    private readonly WindowSet set = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => set.Dispose();

    [Fact]
    public async Task GivenAMigrationNameLostFromTheMiddleDumpToTheNewest_WhenTheWindowIsRead_ThenTheMigrationsCheckNamesTheMigrationAndBothDumps()
    {
        // Given
        await ReplaceNewestDumpAsync("DELETE FROM _selfhost_migrations WHERE name = '0100_review_nag_monitored_mentions.sql'");

        // When
        var (_, checks) = await set.ReadAsync(ct: Ct);

        // Then
        var check = checks.Single(c => c.Name == WindowChecks.MigrationsName("postgres"));
        check.Verdict.Should().Be(CheckVerdict.Failed);
        check.Found.Should().Be(
            "0100_review_nag_monitored_mentions.sql: in _selfhost_migrations of postgres/loopover-20260703T090939Z.dump, missing from the newer postgres/loopover-20260704T090939Z.dump: " +
            "the ledger lost a row, so booting the newer backup would run that migration again");
        checks.Single(c => c.Name == WindowChecks.NameOf(WindowSet.NewestDump)).Verdict.Should().Be(CheckVerdict.Passed, "the dump itself is whole");
    }

    [Fact]
    public async Task GivenAJobCounterThatDecreasesInTheNewestDump_WhenItIsDrilled_ThenTheWindowAndTheRestoredJobStatsBothNameTheCounterAndBothDumps()
    {
        await EngineGate.RequireEngineAsync(Ct);

        // Given
        var previous = await CounterAsync("jobs_completed");
        await ReplaceNewestDumpAsync("UPDATE _selfhost_job_stats SET value = 7 WHERE name = 'jobs_completed'");

        // When
        var report = (await DrillPipeline.RunAsync(set.Options() with { Stores = new HashSet<BackupStore> { BackupStore.Postgres } }, Ct)).Report;

        // Then
        var drop = $"_selfhost_job_stats counter jobs_completed: {previous:N0} in postgres/loopover-20260703T090939Z.dump, but 7 in the newer postgres/loopover-20260704T090939Z.dump";
        report.SetChecks.Single(c => c.Name == WindowChecks.JobStatsName("postgres")).Found.Should().Be(drop + ": counters only grow, so the newer backup lost data");
        var check = report.Leg("postgres")!.Check(JobStateChecks.StatsName)!;
        check.Verdict.Should().Be(CheckVerdict.Failed);
        check.Found.Should().Be(drop + ": counters only grow, so the restored backup lost data");
        report.Verdict.Should().Be(DrillVerdict.Failed);
    }

    [Fact]
    public async Task GivenAProfileThatAllowsNoDeadJob_WhenTheSampleDumpIsDrilled_ThenThePostgresJobStateWarnsOnItsDeadJob()
    {
        await EngineGate.RequireEngineAsync(Ct);

        // Given
        var options = set.Options() with { Stores = new HashSet<BackupStore> { BackupStore.Postgres } };
        var strict = options with { Profile = options.Profile with { Jobs = options.Profile.Jobs! with { MaxDeadJobs = 0 } } };

        // When
        var report = (await DrillPipeline.RunAsync(strict, Ct)).Report;

        // Then
        var leg = report.Leg("postgres")!;
        var dead = leg.Jobs!.Statuses.Single(s => s.Status == "dead");
        leg.Check(JobStateChecks.DeadName)!.Should().Match<CheckResult>(c => c.Verdict == CheckVerdict.Warning && c.Found ==
            $"1 dead jobs (oldest queued {dead.OldestCreatedAt:u}), more than the 0 the profile allows: jobs failed for good before this backup; look at their last_error before relying on it");
        report.Verdict.Should().Be(DrillVerdict.Passed, report.Problem);
    }

    private async Task<long> CounterAsync(string name)
    {
        var (report, _) = await set.ReadAsync(ct: Ct);
        return report.Backups.Single(b => b.File == WindowSet.MiddleDump).JobStats![name];
    }

    // The sample's newest data, changed by sql, dumped by a real pg_dump -Fc in place of the newest dump (and in the manifest's size).
    private async Task ReplaceNewestDumpAsync(string sql)
    {
        await EngineGate.RequireEngineAsync(Ct);
        byte[] dump;
        try
        {
            await using (var connection = new NpgsqlConnection(source.ConnectionString))
            {
                await connection.OpenAsync(Ct);
                await using var command = new NpgsqlCommand(sql, connection);
                (await command.ExecuteNonQueryAsync(Ct)).Should().Be(1);
            }

            dump = await source.DumpAsync("-Fc");
        }
        finally
        {
            await source.ReloadAsync();
        }

        await File.WriteAllBytesAsync(set.PathOf(WindowSet.NewestDump), dump, Ct);
        set.Copy.EditManifest(m => m["postgres"]!["bytes"] = dump.Length);
    }
}
