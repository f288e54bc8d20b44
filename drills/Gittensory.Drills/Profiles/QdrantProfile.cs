namespace Gittensory.Drills.Profiles;

/// <summary>What the drill knows of the application's Qdrant store; a fact left out makes its check "not applicable".</summary>
public sealed record QdrantProfile
{
    /// <summary>The collection's names, newest naming first (LoopOver: <c>loopover</c>, then <c>gittensory</c> for older sets); one must exist.</summary>
    public IReadOnlyList<string> Collections { get; init; } = [];

    /// <summary>The vector size (dimensions) of the collection's one unnamed vector (LoopOver: <c>QDRANT_DIM</c>, default 1024).</summary>
    public long? VectorSize { get; init; }

    /// <summary>The vector distance (<c>Cosine</c>, <c>Euclid</c>, <c>Dot</c>, <c>Manhattan</c>; LoopOver: <c>Cosine</c>).</summary>
    public string? Distance { get; init; }

    /// <summary>The fewest points a healthy collection holds; null = not checked.</summary>
    public long? MinPoints { get; init; }

    /// <summary>The table holding one row per point (LoopOver: <c>repo_chunks</c>), in the profile's schema.</summary>
    public string ChunksTable { get; init; } = "repo_chunks";

    /// <summary>The table's id column, whose value each point carries in its payload.</summary>
    public string ChunkIdColumn { get; init; } = "id";

    /// <summary>The payload key holding the row's id (LoopOver: <c>_orig_id</c>).</summary>
    public string ChunkIdPayloadKey { get; init; } = "_orig_id";

    /// <summary>How far points_count may drift from the table's row count, as a fraction of the rows (the snapshot is taken after the dump); null = not checked.</summary>
    public double? PointsDriftFraction { get; init; }

    /// <summary>A drift of this many points is always tolerated, whatever the fraction (default 0).</summary>
    public long PointsDriftMinimum { get; init; }

    /// <summary>How many points the orphan check samples (default 1000; point ids are hashes, so the first ones by id are a fair sample).</summary>
    public int OrphanSampleSize { get; init; } = 1000;

    /// <summary>The largest share of sampled points whose row is missing from the table; null = reported, not checked.</summary>
    public double? MaxOrphanRate { get; init; }

    /// <summary>The most the snapshot's time stamp may differ from the Postgres dump's, in minutes; null = reported, not checked.</summary>
    public double? MaxSkewMinutes { get; init; }
}
