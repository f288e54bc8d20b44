namespace Gittensory.Drills.Restore;

/// <summary>One point read back from Qdrant: its id (UUID or number, as text) and the payload value the cross-store check needs.</summary>
/// <param name="Id">The point's id.</param>
/// <param name="RowId">The payload's row id (LoopOver: <c>_orig_id</c>), or null when the payload has none.</param>
public sealed record QdrantPoint(string Id, string? RowId);
