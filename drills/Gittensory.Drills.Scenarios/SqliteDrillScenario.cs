using Gittensory.Drills.Stores.Sqlite;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Pipeline;
using Xunit;

namespace Gittensory.Drills.Scenarios;

/// <summary>Runs the SQLite drill once for <see cref="SqliteRestoreDrill"/>; it needs no container engine.</summary>
public sealed class SqliteDrillScenario() : DrillScenario(BackupStore.Sqlite)
{
    protected override bool NeedsEngine => false;
}

/// <summary>The newest SQLite backup (LoopOver's default install) is whole: each check of the drill is one test.</summary>
public sealed class SqliteRestoreDrill(SqliteDrillScenario scenario) : IClassFixture<SqliteDrillScenario>
{
    [Fact]
    public async Task TheManifestAgreesWithTheDisk() => (await scenario.LegAsync()).ShouldHavePassed(BackupFinder.ManifestCheckName);

    [Fact]
    public async Task TheGzipIsWholeWithItsChecksums() => (await scenario.LegAsync()).ShouldHavePassed(SqliteCheckNames.Gzip);

    [Fact]
    public async Task SqlitesFullIntegrityCheckAnswersOk() => (await scenario.LegAsync()).ShouldHavePassed(SqliteCheckNames.Integrity);

    [Fact]
    public async Task NoRowPointsAtAMissingParent() => (await scenario.LegAsync()).ShouldHavePassed(SqliteCheckNames.ForeignKeys);

    [Fact]
    public async Task EveryTableIsReadAndCounted() => (await scenario.LegAsync()).ShouldHavePassed(SqliteCheckNames.Tables);

    [Fact]
    public async Task EveryTableTheApplicationHasExists() => (await scenario.LegAsync()).ShouldHavePassed(ProfileChecks.ExpectedTables);

    [Fact]
    public async Task TheDatabaseHasTheApplicationsNumberOfTables() => (await scenario.LegAsync()).ShouldHavePassed(ProfileChecks.ApplicationTables);

    [Fact]
    public async Task TheTablesThatMustHoldRowsDo() => (await scenario.LegAsync()).ShouldHavePassed(ProfileChecks.NonEmptyTables);

    [Fact]
    public async Task EachSeedTableHoldsExactlyOneRow() => (await scenario.LegAsync()).ShouldHavePassed(ProfileChecks.SingletonRows);

    [Fact]
    public async Task TheMigrationLedgerIsWhole() => (await scenario.LegAsync()).ShouldHavePassed(LedgerCheck.Name);

    [Fact]
    public async Task TheDataIsAsRecentAsTheBackupsTimeStamp() => (await scenario.LegAsync()).ShouldHavePassed(RecencyCheck.Name);

    [Fact]
    public async Task TheBackupIsRecentEnough() => (await scenario.LegAsync()).ShouldHavePassed(BackupAgeCheck.Name);

    [Fact]
    public async Task TheJobQueueWasRestored() => (await scenario.LegAsync()).ShouldHavePassed(JobStateChecks.QueueName);

    [Fact]
    public async Task DeadJobsAreWithinTheProfilesThreshold() => (await scenario.LegAsync()).ShouldHavePassed(JobStateChecks.DeadName);

    [Fact]
    public async Task TheJobCountersAreNeverBelowThePreviousBackups() => (await scenario.LegAsync()).ShouldHavePassed(JobStateChecks.StatsName);

    [Fact]
    public async Task TheNewestQueuedJobIsAsRecentAsTheBackup() => (await scenario.LegAsync()).ShouldHavePassed(JobStateChecks.RecentName);
}

/// <summary>The backup set as a whole, judged from names and sizes before any restore.</summary>
public sealed class BackupSetHealth(SqliteDrillScenario scenario) : IClassFixture<SqliteDrillScenario>
{
    [Fact]
    public async Task EveryFileTheManifestNamesExistsWithItsByteCount() => await SetCheckAsync(Backups.BackupSetHealth.ManifestCheck);

    [Fact]
    public async Task TheManifestIsOfTheNewestRun() => await SetCheckAsync(Backups.BackupSetHealth.ManifestNewestCheck);

    [Fact]
    public async Task EveryFolderHoldsTheNewestRun() => await SetCheckAsync(Backups.BackupSetHealth.NewestRunCheck);

    [Fact]
    public async Task NoFileThatDoesNotBelongIsInTheRoot() => await SetCheckAsync(Backups.BackupSetHealth.StrayFilesCheck);

    private async Task SetCheckAsync(string name)
    {
        var leg = await scenario.LegAsync();
        var check = scenario.Report!.SetCheck(name);
        (leg with { Checks = check is null ? [] : [check] }).ShouldHavePassed(name);
    }
}
