using Gittensory.Drills.Checks;

namespace Gittensory.Drills.Drills;

/// <summary>
/// What one leg of a drill leaves for the legs after it, so the stores can be checked against each other without keeping
/// a scratch database alive: the Postgres leg (which runs first) hands over the ids of its restored chunk table and its
/// dump's time stamp; the Qdrant leg hands over where its scratch Qdrant was and the vectors' dimension (what booting the
/// application needs: QDRANT_URL, QDRANT_DIM).
/// </summary>
public sealed class StoreHandoff
{
    /// <summary>The restored chunk table's ids, once a leg has published them.</summary>
    public RepoChunkIndex? Chunks { get; private set; }

    /// <summary>Why there are no chunk ids (the leg that would publish them did not run or stopped), for "not applicable" checks.</summary>
    public string? ChunksMissingReason { get; private set; }

    /// <summary>The drilled dump's file, relative to the backups root.</summary>
    public string? DumpFile { get; private set; }

    /// <summary>The drilled dump's time stamp (when the backup run started).</summary>
    public DateTimeOffset? DumpTimestamp { get; private set; }

    /// <summary>The scratch Qdrant's URL on the drill's network (e.g. <c>http://qdrant:6333</c>), once the Qdrant leg restored it.</summary>
    public Uri? QdrantNetworkUrl { get; private set; }

    /// <summary>The restored collection and its vectors' dimension (QDRANT_DIM).</summary>
    public (string Collection, long Dimension)? QdrantCollection { get; private set; }

    /// <summary>Records the dump the Postgres leg chose.</summary>
    public void PublishDump(string file, DateTimeOffset? timestamp) => (DumpFile, DumpTimestamp) = (file, timestamp);

    /// <summary>Records the restored chunk table's ids.</summary>
    public void PublishChunks(RepoChunkIndex chunks) => (Chunks, ChunksMissingReason) = (chunks, null);

    /// <summary>Records why no chunk ids will come.</summary>
    public void ChunksUnavailable(string reason)
    {
        if (Chunks is null)
        {
            ChunksMissingReason ??= reason;
        }
    }

    /// <summary>Records the restored Qdrant, for a later leg that boots the application.</summary>
    public void PublishQdrant(Uri? networkUrl, string collection, long dimension) => (QdrantNetworkUrl, QdrantCollection) = (networkUrl, (collection, dimension));
}
