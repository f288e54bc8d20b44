namespace Gittensory.Drills.Checks;

/// <summary>The jobs of one status in a restored queue: how many, and the oldest <c>run_after</c> and the oldest and newest <c>created_at</c> (UTC).</summary>
/// <param name="Status">The status (<c>pending</c>, <c>processing</c>, <c>dead</c>, or another the table holds).</param>
/// <param name="Count">How many jobs have it.</param>
/// <param name="OldestRunAfter">The earliest time one of them may run; null when none.</param>
/// <param name="OldestCreatedAt">When the oldest of them was queued; null when none.</param>
/// <param name="NewestCreatedAt">When the newest of them was queued; null when none.</param>
public sealed record JobStatusFact(string Status, long Count, DateTimeOffset? OldestRunAfter, DateTimeOffset? OldestCreatedAt, DateTimeOffset? NewestCreatedAt);
