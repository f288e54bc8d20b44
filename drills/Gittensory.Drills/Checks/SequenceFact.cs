namespace Gittensory.Drills.Checks;

/// <summary>A sequence of a restored database, its value, and the largest value in the column that owns it (null when none or empty).</summary>
public sealed record SequenceFact(string QualifiedName, long LastValue, bool IsCalled, string? OwnedBy, long? MaxInColumn);
