using Gittensory.Drills.Stores.Postgres;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Pipeline;
using Xunit;

namespace Gittensory.Drills.Scenarios;

/// <summary>Runs the Postgres drill once for <see cref="PostgresRestoreDrill"/>.</summary>
public sealed class PostgresDrillScenario() : DrillScenario(BackupStore.Postgres);

/// <summary>The newest Postgres backup restores whole: each check of the drill is one test.</summary>
public sealed class PostgresRestoreDrill(PostgresDrillScenario scenario) : IClassFixture<PostgresDrillScenario>
{
    [Fact]
    public async Task TheManifestAgreesWithTheDisk() => (await scenario.LegAsync()).ShouldHavePassed(BackupFinder.ManifestCheckName);

    [Fact]
    public async Task TheBackupIsAWholeReadableCustomFormatArchive() => (await scenario.LegAsync()).ShouldHavePassed(PostgresCheckNames.Archive);

    [Fact]
    public async Task TheRestoreImageCanReadTheArchive() => (await scenario.LegAsync()).ShouldHavePassed(PostgresCheckNames.Image);

    [Fact]
    public async Task PgRestoreFinishesWithNoError() => (await scenario.LegAsync()).ShouldHavePassed(RestoreCheck.Name);

    [Fact]
    public async Task EveryArchivedTableExistsAfterTheRestoreAndNoOther() => (await scenario.LegAsync()).ShouldHavePassed(TableSetCheck.Name);

    [Fact]
    public async Task EveryTablesDataIsInTheArchive() => (await scenario.LegAsync()).ShouldHavePassed(TableDataCheck.Name);

    [Fact]
    public async Task EveryTableHoldsExactlyTheRowsArchivedForIt() => (await scenario.LegAsync()).ShouldHavePassed(RowCountCheck.Name);

    [Fact]
    public async Task EveryTableTheApplicationHasExists() => (await scenario.LegAsync()).ShouldHavePassed(ProfileChecks.ExpectedTables);

    [Fact]
    public async Task TheDatabaseHasTheApplicationsNumberOfTables() => (await scenario.LegAsync()).ShouldHavePassed(ProfileChecks.ApplicationTables);

    [Fact]
    public async Task TheTablesThatMustHoldRowsDo() => (await scenario.LegAsync()).ShouldHavePassed(ProfileChecks.NonEmptyTables);

    [Fact]
    public async Task EachSeedTableHoldsExactlyOneRow() => (await scenario.LegAsync()).ShouldHavePassed(ProfileChecks.SingletonRows);

    [Fact]
    public async Task EverySequenceIsAtLeastTheLargestValueInItsColumn() => (await scenario.LegAsync()).ShouldHavePassed(SequenceCheck.Name);

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

    [Fact]
    public async Task TheLiveDatabaseHasEveryRestoredTable() => (await scenario.LegAsync()).ShouldHavePassed(LiveComparisonCheck.Name);
}
