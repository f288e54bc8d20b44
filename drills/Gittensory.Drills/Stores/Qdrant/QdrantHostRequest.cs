using Gittensory.Drills.Preflight;
using Gittensory.Drills.Sandbox;

namespace Gittensory.Drills.Stores.Qdrant;

/// <summary>What the Qdrant store asks of whoever starts its scratch Qdrant: the drill's sandbox (null for a stand-in outside it), the image, the snapshot and its kind.</summary>
internal sealed record QdrantHostRequest(DrillSandbox? Sandbox, string RunId, bool Keep, string Image, string SnapshotPath, QdrantSnapshotKind Kind, TimeSpan Timeout);
