namespace Gittensory.Drills.Profiles;

/// <summary>Where the application keeps its job queue and its counters, and how many dead jobs a healthy install may hold.</summary>
public sealed record JobQueueProfile
{
    /// <summary>The queue table (LoopOver: <c>_selfhost_jobs</c>); finished jobs are deleted, so it may be empty.</summary>
    public string Table { get; init; } = "_selfhost_jobs";

    /// <summary>The column holding each job's status (<c>pending</c>, <c>processing</c>, <c>dead</c>).</summary>
    public string StatusColumn { get; init; } = "status";

    /// <summary>The column holding when a job may run next, in epoch milliseconds.</summary>
    public string RunAfterColumn { get; init; } = "run_after";

    /// <summary>The column holding when a job was queued, in epoch milliseconds.</summary>
    public string CreatedAtColumn { get; init; } = "created_at";

    /// <summary>The statuses reported, in this order (others found are reported after them).</summary>
    public IReadOnlyList<string> Statuses { get; init; } = ["pending", "processing", "dead"];

    /// <summary>The status of a job that will not be retried.</summary>
    public string DeadStatus { get; init; } = "dead";

    /// <summary>The status of a job a worker had claimed; boot reclaims them.</summary>
    public string ProcessingStatus { get; init; } = "processing";

    /// <summary>The most dead jobs a healthy install holds; more warns (default 100).</summary>
    public long MaxDeadJobs { get; init; } = 100;

    /// <summary>The counters table (LoopOver: <c>_selfhost_job_stats</c>, name / value), whose values only grow.</summary>
    public string StatsTable { get; init; } = "_selfhost_job_stats";

    /// <summary>The counters table's name column.</summary>
    public string StatsNameColumn { get; init; } = "name";

    /// <summary>The counters table's value column.</summary>
    public string StatsValueColumn { get; init; } = "value";
}
