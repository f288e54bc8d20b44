using Gittensory.Drills.Preflight;

namespace Gittensory.Drills.Drills;

/// <summary>What the Qdrant leg asks of whoever starts its scratch Qdrant: the image, the snapshot and its kind, and the run.</summary>
internal sealed record QdrantHostRequest(string RunId, bool Keep, string Image, string SnapshotPath, QdrantSnapshotKind Kind, TimeSpan Timeout);
