namespace Gittensory.Drills.Checks;

/// <summary>The job queue and its counters as restored, measured before the application could reclaim or run anything.</summary>
/// <param name="QueueExists">Whether the queue table exists.</param>
/// <param name="Statuses">The jobs by status, the profile's statuses first (with zero counts), then any other found.</param>
/// <param name="Stats">Each counter's value by name; null when the counters table does not exist.</param>
public sealed record JobState(bool QueueExists, IReadOnlyList<JobStatusFact> Statuses, IReadOnlyDictionary<string, long>? Stats)
{
    /// <summary>How many jobs have <paramref name="status"/>.</summary>
    public long CountOf(string status) => Statuses.FirstOrDefault(s => s.Status == status)?.Count ?? 0;

    /// <summary>How many jobs the queue holds.</summary>
    public long Total => Statuses.Sum(s => s.Count);

    /// <summary>When the newest job was queued; null when the queue is empty.</summary>
    public DateTimeOffset? NewestCreatedAt => Statuses.Select(s => s.NewestCreatedAt).Max();
}
