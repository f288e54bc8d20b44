using FluentAssertions;
using Gittensory.Drills.Preflight;
using Gittensory.Drills.Restore;
using Gittensory.Drills.Sandbox;
using Xunit;

namespace Gittensory.Drills.Tests.Stores.Qdrant;

/// <summary>
/// A full snapshot on an engine taken as remote (issue 11, item 10): Qdrant reads it at start, so the starter streams it into the
/// container between create and start instead of mounting it; the stand-in image then serves every point, and the engine's
/// description of the container shows no bind mount. On a local engine it is a read-only bind mount (the negative control).
/// </summary>
public sealed class QdrantRemoteEngineTests(QdrantStandInImageFixture qdrant) : IClassFixture<QdrantStandInImageFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 1)]
    public async Task AFullSnapshotIsCopiedIntoQdrantsContainerOnARemoteEngineAndMountedOnALocalOne(bool remote, int bindMounts)
    {
        await QdrantStandInImageFixture.RequireImageAsync(Ct);
        var runId = "test-qrem-" + Secrets.NewSecret(3);
        await using var sandbox = await DrillSandbox.CreateAsync(runId, keep: false, new EngineLocation(remote, "as the test says"), Ct);

        var scratch = await ScratchQdrant.StartAsync(sandbox, QdrantStandInImageFixture.Image, qdrant.FullSnapshotPath, QdrantSnapshotKind.Full, TimeSpan.FromSeconds(60), Ct);

        using var client = new QdrantClient(scratch.Url);
        (await client.GetCollectionAsync("loopover", Ct))!.PointsCount.Should().Be(QdrantStandInImageFixture.FullPoints);
        var engine = await EngineClient.GetAsync(Ct);
        var container = await engine.Containers.InspectContainerAsync(scratch.ContainerName!, Ct);
        container.Mounts.Where(m => m.Type == "bind").Select(m => m.Destination).Should()
            .Equal(Enumerable.Repeat($"{ScratchQdrant.BackupMountFolder}/{Path.GetFileName(qdrant.FullSnapshotPath)}", bindMounts));
    }
}
