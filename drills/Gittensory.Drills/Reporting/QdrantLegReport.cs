namespace Gittensory.Drills.Reporting;

/// <summary>What the Qdrant leg found: the snapshot read offline, the restored collection, and how it compares with the restored rows.</summary>
public sealed record QdrantLegReport
{
    /// <summary><c>Full</c> or <c>Collection</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Tar members read at every level of nesting, and how many were GNU sparse.</summary>
    public long Members { get; init; }

    /// <summary>GNU sparse members among them.</summary>
    public long SparseMembers { get; init; }

    /// <summary>Each collection in the snapshot, as its own config.json describes it.</summary>
    public IReadOnlyList<QdrantCollectionReport> SnapshotCollections { get; init; } = [];

    /// <summary>The Postgres dump the snapshot was paired with.</summary>
    public string? DumpFile { get; init; }

    /// <summary>Minutes from the dump's time stamp to the snapshot's (positive: the snapshot is later, as LoopOver takes it).</summary>
    public double? SkewMinutes { get; init; }

    /// <summary>The collection checked after the restore.</summary>
    public string? Collection { get; init; }

    /// <summary>Its status as Qdrant reported it.</summary>
    public string? Status { get; init; }

    /// <summary>Its points_count.</summary>
    public long? Points { get; init; }

    /// <summary>Rows of the restored chunk table, when the Postgres leg handed them over.</summary>
    public long? ChunkRows { get; init; }

    /// <summary>Points sampled for the orphan check.</summary>
    public int? Sampled { get; init; }

    /// <summary>Sampled points with no row.</summary>
    public int? Orphans { get; init; }

    /// <summary>The vectors' dimension (QDRANT_DIM for booting the application against this Qdrant).</summary>
    public long? Dimension { get; init; }

    /// <summary>The scratch Qdrant's URL on the drill network (QDRANT_URL for the application).</summary>
    public string? NetworkUrl { get; init; }
}
