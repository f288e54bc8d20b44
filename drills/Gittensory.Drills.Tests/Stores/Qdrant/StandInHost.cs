using System.Text.Json.Nodes;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Stores.Qdrant;
using Gittensory.Drills.Preflight;
using Gittensory.Drills.QdrantStandIn;
using Gittensory.Drills.Sandbox;

namespace Gittensory.Drills.Tests.Stores.Qdrant;

/// <summary>Starts the Qdrant stand-in in this process on a loopback port where the drill would start a Qdrant container.</summary>
internal static class StandInHost
{
    /// <summary>A starter for the Qdrant store serving <paramref name="points"/> once a collection is restored.</summary>
    public static Func<QdrantHostRequest, CancellationToken, Task<ScratchQdrant>> Serving(IReadOnlyList<StandInPoint> points, string status = "green") =>
        async (request, ct) =>
        {
            var standIn = await QdrantStandIn.QdrantStandIn.StartAsync(new StandInOptions
            {
                StorageSnapshot = request.Kind == QdrantSnapshotKind.Full ? request.SnapshotPath : null,
                Points = points,
                Status = status,
            }, ct);
            return ScratchQdrant.Elsewhere(standIn.Url, "Qdrant stand-in (fixtures/Gittensory.Drills.QdrantStandIn)", standIn.DisposeAsync);
        };

    /// <summary>One point per chunk id, as LoopOver writes them: a UUID id and the chunk id as _orig_id.</summary>
    public static List<StandInPoint> PointsFor(string collection, IEnumerable<string> chunkIds) =>
        [.. chunkIds.Select(id => new StandInPoint(collection, PointId(id), new JsonObject { ["_orig_id"] = id, ["kind"] = "code" }))];

    /// <summary>The chunk ids of a made-up repository.</summary>
    public static List<string> ChunkIds(int count, string repo = "loopover/api") =>
        [.. Enumerable.Range(0, count).Select(i => $"proj:{repo}|src/file{i / 4}.ts::{i % 4}")];

    private static string PointId(string chunkId) =>
        new Guid(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(chunkId))[..16]).ToString();
}
