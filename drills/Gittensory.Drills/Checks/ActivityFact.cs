namespace Gittensory.Drills.Checks;

/// <summary>The newest time stamp found in one activity column (sentinels ignored), or null when it holds none.</summary>
/// <param name="Table">The table.</param>
/// <param name="Column">The column.</param>
/// <param name="Newest">The newest parseable time stamp, UTC.</param>
/// <param name="Unparseable">How many non-empty values were in neither time stamp shape.</param>
public sealed record ActivityFact(string Table, string Column, DateTimeOffset? Newest, long Unparseable);
