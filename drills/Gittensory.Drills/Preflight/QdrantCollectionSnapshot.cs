namespace Gittensory.Drills.Preflight;

/// <summary>What one collection snapshot inside a backup holds, read offline from its own archive.</summary>
/// <param name="Collection">The collection's name (from the full snapshot's <c>config.json</c>, or the snapshot's file name).</param>
/// <param name="Member">The collection snapshot's name inside the full snapshot, or the file's own name.</param>
/// <param name="Bytes">Its size in bytes.</param>
/// <param name="Vector">The unnamed vector's parameters (LoopOver uses one), or null when the collection has only named vectors.</param>
/// <param name="NamedVectors">Named vectors by name (empty for LoopOver).</param>
/// <param name="ShardNumber">The shard count its <c>config.json</c> sets (<c>params.shard_number</c>, default 1).</param>
/// <param name="Shards">Shard folders found with their <c>shard_config.json</c>.</param>
/// <param name="Segments">Segments found across its shards.</param>
public sealed record QdrantCollectionSnapshot(
    string Collection,
    string Member,
    long Bytes,
    QdrantVectorParams? Vector,
    IReadOnlyDictionary<string, QdrantVectorParams> NamedVectors,
    int ShardNumber,
    int Shards,
    int Segments);
