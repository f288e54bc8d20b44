using System.Text.Json;
using Gittensory.Drills.QdrantStandIn;

namespace Gittensory.Drills.Tests.Stores.Qdrant;

/// <summary>One collection of a test snapshot, and what to leave out of it for a negative control.</summary>
internal sealed record TestCollection(string Name = "loopover", long VectorSize = 1024, string Distance = "Cosine")
{
    public int ShardNumber { get; init; } = 1;

    public IReadOnlyList<int>? ShardFolders { get; init; }

    public int SegmentsPerShard { get; init; } = 2;

    public bool WithConfig { get; init; } = true;

    public bool WithSegmentState { get; init; } = true;

    public ulong PeerId { get; init; } = 5_183_452_357_126_393;

    public DateTimeOffset Taken { get; init; } = new(2026, 7, 4, 9, 12, 5, TimeSpan.Zero);

    /// <summary>
    /// Points for the Qdrant stand-in, written as the test-only member <c>standin-points.jsonl</c> of this collection's snapshot
    /// (see <see cref="StandInPointsFile"/>; a real Qdrant ignores it and could not restore these snapshots anyway); null: none.
    /// </summary>
    public IReadOnlyList<StandInPoint>? StandInPoints { get; init; }

    /// <summary>The name Qdrant gives this collection's snapshot.</summary>
    public string SnapshotName => $"{Name}-{PeerId}-{Taken:yyyy-MM-dd-HH-mm-ss}.snapshot";
}

/// <summary>
/// Builds archives shaped like Qdrant's snapshots (see QdrantSnapshotReader's notes for the source of each member), with
/// opaque bytes where Qdrant keeps binary data: a real Qdrant could not restore them, so they exist only inside tests.
/// Preallocated files (WAL segments, mmap chunks) are GNU sparse members, as Qdrant's writer stores them.
/// </summary>
internal static class QdrantLayout
{
    public static string FullName(DateTimeOffset taken) => $"full-snapshot-{taken:yyyy-MM-dd-HH-mm-ss}.snapshot";

    /// <summary>A full-storage snapshot of <paramref name="collections"/>; without config.json when <paramref name="withConfig"/> is false.</summary>
    public static byte[] Full(IReadOnlyList<TestCollection> collections, bool withConfig = true, IReadOnlyDictionary<string, string>? mappingOverride = null)
    {
        var tar = new TestTar();
        foreach (var collection in collections)
        {
            tar.File(collection.SnapshotName, Collection(collection));
        }

        if (withConfig)
        {
            var mapping = mappingOverride ?? collections.ToDictionary(c => c.Name, c => c.SnapshotName);
            tar.File("config.json", JsonSerializer.Serialize(new { collections_mapping = mapping, collections_aliases = new Dictionary<string, string>() }, new JsonSerializerOptions { WriteIndented = true }));
        }

        return tar.Finish();
    }

    public static byte[] Full(params TestCollection[] collections) => Full((IReadOnlyList<TestCollection>)collections);

    /// <summary>One collection's snapshot.</summary>
    public static byte[] Collection(TestCollection c)
    {
        var tar = new TestTar();
        foreach (var shard in c.ShardFolders ?? [.. Enumerable.Range(0, c.ShardNumber)])
        {
            for (var s = 0; s < c.SegmentsPerShard; s++)
            {
                tar.File($"{shard}/segments/{SegmentId(c.Name, shard, s)}.tar", Segment(c.WithSegmentState, seed: shard * 10 + s));
            }

            tar.Sparse($"{shard}/wal/open-1", 32L << 20, (0, Bytes(3000, 1)), (8192, Bytes(700, 2)));
            tar.File($"{shard}/wal/first-index", """{"first_index":0}""");
            tar.File($"{shard}/newest_clocks.json", """{"clocks":[]}""");
            tar.File($"{shard}/oldest_clocks.json", """{"clocks":[]}""");
            tar.File($"{shard}/replica_state.json", $$$"""{"is_local":true,"this_peer_id":{{{c.PeerId}}},"peers":{"{{{c.PeerId}}}":"Active"},"peer_metadata":{}}""");
            tar.File($"{shard}/shard_config.json", """{"type":"ReplicaSet"}""");
        }

        tar.File("version.info", "1.18.2");
        if (c.WithConfig)
        {
            tar.File("config.json", CollectionConfig(c));
        }

        tar.File("shard_key_mapping.json", "{}");
        tar.File("payload_index.json", """{"schema":{}}""");
        if (c.StandInPoints is { } points)
        {
            WithStandInPoints(tar, points);
        }

        return tar.Finish();
    }

    /// <summary>Adds the Qdrant stand-in's test-only points member (<c>standin-points.jsonl</c>) to a snapshot being written.</summary>
    public static TestTar WithStandInPoints(TestTar tar, IEnumerable<StandInPoint> points) =>
        tar.File(StandInPointsFile.MemberName, StandInPointsFile.Write(points));

    /// <summary>The collection's config.json as Qdrant saves it (CollectionConfigInternal).</summary>
    public static string CollectionConfig(TestCollection c) => $$"""
        {"params":{"vectors":{"size":{{c.VectorSize}},"distance":"{{c.Distance}}"},"shard_number":{{c.ShardNumber}},"replication_factor":1,"write_consistency_factor":1,"on_disk_payload":true},
         "hnsw_config":{"m":16,"ef_construct":100,"full_scan_threshold":10000,"max_indexing_threads":0,"on_disk":false},
         "optimizer_config":{"deleted_threshold":0.2,"vacuum_min_vector_number":1000,"default_segment_number":0,"max_segment_size":null,"memmap_threshold":null,"indexing_threshold":20000,"flush_interval_sec":5,"max_optimization_threads":null},
         "wal_config":{"wal_capacity_mb":32,"wal_segments_ahead":0},"quantization_config":null,"strict_mode_config":{"enabled":false},"uuid":"{{Guid.NewGuid()}}"}
        """;

    /// <summary>One segment's snapshot (SnapshotFormat::Regular): a tar of snapshot/files/..., ending with segment.json and version.info.</summary>
    public static byte[] Segment(bool withState = true, int seed = 0)
    {
        var tar = new TestTar()
            .Sparse("snapshot/files/vector_storage/vectors/chunk_0.mmap", 32L << 20,
                (0, Bytes(4096, seed)), (1 << 20, Bytes(4096, seed + 1)), (2 << 20, Bytes(512, seed + 2)), (3 << 20, Bytes(512, seed + 3)),
                (4 << 20, Bytes(512, seed + 4)), (5 << 20, Bytes(100, seed + 5)))
            .File("snapshot/files/vector_storage/vectors/status.dat", Bytes(16, seed))
            .File("snapshot/files/id_tracker/mappings", Bytes(2048, seed))
            .File("snapshot/files/id_tracker/versions", Bytes(1024, seed))
            .Sparse("snapshot/files/payload_storage/page_0.dat", 8L << 20, (0, Bytes(5000, seed)))
            .File("snapshot/files/payload_index/config.json", """{"indexed_fields":{}}""");
        if (withState)
        {
            tar.File("snapshot/files/segment.json", """{"version":42,"config":{"vector_data":{"":{"size":1024,"distance":"Cosine","storage_type":"ChunkedMmap","index":{"type":"plain","options":{}}}},"payload_storage_type":{"type":"mmap"}}}""")
                .File("snapshot/files/version.info", "1.18.2");
        }

        return tar.Finish();
    }

    private static string SegmentId(string collection, int shard, int segment) =>
        new Guid(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{collection}/{shard}/{segment}"))[..16]).ToString();

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
