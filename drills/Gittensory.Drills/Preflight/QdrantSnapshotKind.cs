namespace Gittensory.Drills.Preflight;

/// <summary>The two kinds of snapshot Qdrant writes.</summary>
public enum QdrantSnapshotKind
{
    /// <summary>A full-storage snapshot (<c>POST /snapshots</c>): one collection snapshot per collection plus <c>config.json</c>; restored with <c>--storage-snapshot</c>.</summary>
    Full,

    /// <summary>One collection's snapshot (<c>POST /collections/{name}/snapshots</c>): <c>config.json</c> and numbered shard folders; restored by upload.</summary>
    Collection,
}
