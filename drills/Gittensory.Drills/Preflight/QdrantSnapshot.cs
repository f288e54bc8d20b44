namespace Gittensory.Drills.Preflight;

/// <summary>A Qdrant snapshot verified offline: its kind, checksum, size, and each collection it holds.</summary>
/// <param name="Kind">Full-storage or one collection.</param>
/// <param name="File">The file as the report names it (relative to the backups root).</param>
/// <param name="Bytes">Its size in bytes.</param>
/// <param name="Sha256">The lowercase hex SHA-256 of the whole file.</param>
/// <param name="Members">Tar members read, at every level of nesting.</param>
/// <param name="SparseMembers">GNU sparse members among them (Qdrant writes its preallocated files that way).</param>
/// <param name="Collections">Each collection snapshot, in archive order.</param>
/// <param name="Aliases">Collection aliases the full snapshot's <c>config.json</c> records (alias → collection).</param>
public sealed record QdrantSnapshot(
    QdrantSnapshotKind Kind,
    string File,
    long Bytes,
    string Sha256,
    long Members,
    long SparseMembers,
    IReadOnlyList<QdrantCollectionSnapshot> Collections,
    IReadOnlyDictionary<string, string> Aliases)
{
    /// <summary>The collection named <paramref name="name"/>, or null.</summary>
    public QdrantCollectionSnapshot? Collection(string name) => Collections.FirstOrDefault(c => c.Collection == name);
}
