using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Xunit;

namespace Gittensory.Drills.Scenarios;

/// <summary>Runs the Postgres and Qdrant legs together once for <see cref="QdrantRestoreDrill"/>, so the cross-store checks apply.</summary>
public sealed class QdrantDrillScenario() : DrillScenario(BackupStore.Qdrant, BackupStore.Postgres);

/// <summary>The newest Qdrant snapshot restores and agrees with the restored repo_chunks: each check is one test (skipped, with the reason, where the root has no snapshot).</summary>
public sealed class QdrantRestoreDrill(QdrantDrillScenario scenario) : IClassFixture<QdrantDrillScenario>
{
    [Fact]
    public async Task TheSnapshotIsAWholeQdrantSnapshot() => (await scenario.LegAsync()).ShouldHavePassed(QdrantChecks.Snapshot);

    [Fact]
    public async Task TheSnapshotMatchesItsChecksumFile() => (await scenario.LegAsync()).ShouldHavePassed(QdrantChecks.Checksum);

    [Fact]
    public async Task TheSnapshotsOwnConfigurationIsTheProfiles() => (await scenario.LegAsync()).ShouldHavePassed(QdrantChecks.SnapshotConfig);

    [Fact]
    public async Task TheSnapshotIsOfTheSameRunAsTheDump() => (await scenario.LegAsync()).ShouldHavePassed(QdrantChecks.Skew);

    [Fact]
    public async Task QdrantRestoresTheSnapshot() => (await scenario.LegAsync()).ShouldHavePassed(QdrantChecks.Restore);

    [Fact]
    public async Task TheProfilesCollectionsExist() => (await scenario.LegAsync()).ShouldHavePassed(QdrantChecks.Collections);

    [Fact]
    public async Task EveryCollectionIsGreen() => (await scenario.LegAsync()).ShouldHavePassed(QdrantChecks.Status);

    [Fact]
    public async Task VectorSizeAndDistanceAreAsConfigured() => (await scenario.LegAsync()).ShouldHavePassed(QdrantChecks.Vectors);

    [Fact]
    public async Task TheCollectionHoldsEnoughPoints() => (await scenario.LegAsync()).ShouldHavePassed(QdrantChecks.Points);

    [Fact]
    public async Task ThePointsMatchTheRestoredChunksWithinTolerance() => (await scenario.LegAsync()).ShouldHavePassed(QdrantChecks.PointsVsChunks);

    [Fact]
    public async Task SampledPointsPointAtRestoredChunks() => (await scenario.LegAsync()).ShouldHavePassed(QdrantChecks.Orphans);
}
