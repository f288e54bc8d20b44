using Gittensory.Drills.Preflight;

namespace Gittensory.Drills.Restore;

/// <summary>What Qdrant's <c>GET /collections/{name}</c> answered (CollectionInfo in Qdrant's API reference).</summary>
/// <param name="Name">The collection.</param>
/// <param name="Status"><c>green</c>, <c>yellow</c>, <c>grey</c> or <c>red</c>.</param>
/// <param name="PointsCount"><c>points_count</c> (approximate in Qdrant's words; exact on one node after a restore).</param>
/// <param name="SegmentsCount"><c>segments_count</c>.</param>
/// <param name="Vector">The unnamed vector's <c>config.params.vectors</c>, or null when vectors are named.</param>
/// <param name="NamedVectors">Named vectors, by name.</param>
public sealed record QdrantCollectionInfo(
    string Name,
    string Status,
    long? PointsCount,
    long? SegmentsCount,
    QdrantVectorParams? Vector,
    IReadOnlyDictionary<string, QdrantVectorParams> NamedVectors);
