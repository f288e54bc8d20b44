using Gittensory.Drills.Profiles;

namespace Gittensory.Drills.Checks;

/// <summary>
/// The job state of a restored database, measured before boot (docs/window.md): the queue by status, dead jobs against the
/// profile's threshold, processing jobs (boot reclaims them), the counters present and never below the previous backup's, and
/// the newest queued job within the recovery-point bound of the backup's time stamp.
/// </summary>
public static class JobStateChecks
{
    /// <summary>The name of the check of the queue by status.</summary>
    public const string QueueName = "jobs.queue";

    /// <summary>The name of the check of dead jobs against the threshold.</summary>
    public const string DeadName = "jobs.dead";

    /// <summary>The name of the check of the counters.</summary>
    public const string StatsName = "jobs.stats";

    /// <summary>The name of the check of the newest queued job against the backup's time stamp.</summary>
    public const string RecentName = "jobs.recent";

    /// <summary>
    /// Judges <paramref name="state"/> of the backup <paramref name="backup"/> taken at <paramref name="taken"/>; <paramref name="previousStats"/> are the
    /// counters read offline from the backup before it, <paramref name="previousFile"/> (null: there is none, or it was not read).
    /// </summary>
    public static IReadOnlyList<CheckResult> Evaluate(
        DrillProfile profile, JobState? state, string backup, DateTimeOffset? taken, IReadOnlyDictionary<string, long>? previousStats, string? previousFile)
    {
        if (profile.Jobs is not { } jobs || state is null)
        {
            return [CheckResult.NotApplicable(QueueName, "The job queue was restored", $"profile '{profile.Name}' names no job queue")];
        }

        return [Queue(jobs, state), Dead(jobs, state), Stats(jobs, state, backup, previousStats, previousFile), Recent(profile, jobs, state, taken)];
    }

    private static CheckResult Queue(JobQueueProfile jobs, JobState state)
    {
        const string title = "The job queue was restored (jobs by status, before boot)";
        var expected = $"{jobs.Table} present; jobs by status ({string.Join(", ", jobs.Statuses)})";
        if (!state.QueueExists)
        {
            return CheckResult.Fail(QueueName, title, expected, $"the table {jobs.Table} is missing from the restored database: the application's queue was not backed up");
        }

        var details = state.Statuses.Select(s => s.Count == 0
            ? $"{s.Status}: 0"
            : $"{s.Status}: {s.Count:N0}, oldest run_after {s.OldestRunAfter:u}, oldest created_at {s.OldestCreatedAt:u}, newest created_at {s.NewestCreatedAt:u}").ToList();
        var summary = string.Join(", ", state.Statuses.Select(s => $"{s.Count:N0} {s.Status}"));
        var processing = state.CountOf(jobs.ProcessingStatus);
        var found = state.Total == 0
            ? "the queue is empty (finished jobs are deleted, so this is normal)"
            : summary + (processing > 0 ? $"; {processing:N0} {jobs.ProcessingStatus} jobs were claimed when the backup was taken: boot reclaims them and runs them again" : "");
        return CheckResult.Pass(QueueName, title, expected, found, details);
    }

    private static CheckResult Dead(JobQueueProfile jobs, JobState state)
    {
        const string title = "Dead jobs are within the profile's threshold";
        var dead = state.Statuses.FirstOrDefault(s => s.Status == jobs.DeadStatus);
        var count = dead?.Count ?? 0;
        var expected = $"at most {jobs.MaxDeadJobs:N0} {jobs.DeadStatus} jobs in {jobs.Table}";
        return count > jobs.MaxDeadJobs
            ? new CheckResult(DeadName, title, expected,
                $"{count:N0} {jobs.DeadStatus} jobs (oldest queued {dead!.OldestCreatedAt:u}), more than the {jobs.MaxDeadJobs:N0} the profile allows: jobs failed for good before this backup; look at their last_error before relying on it",
                CheckVerdict.Warning, [])
            : CheckResult.Pass(DeadName, title, expected, $"{count:N0} {jobs.DeadStatus} jobs");
    }

    private static CheckResult Stats(JobQueueProfile jobs, JobState state, string backup, IReadOnlyDictionary<string, long>? previous, string? previousFile)
    {
        const string title = "The job counters are present and never below the previous backup's";
        var expected = $"{jobs.StatsTable} present and not empty; every counter at least its value in the previous backup (read offline)";
        if (state.Stats is not { } stats)
        {
            return CheckResult.Fail(StatsName, title, expected, $"the table {jobs.StatsTable} is missing from the restored database");
        }

        if (stats.Count == 0)
        {
            return CheckResult.Fail(StatsName, title, expected, $"{jobs.StatsTable} is empty: the application's counters were lost");
        }

        if (previous is null || previousFile is null)
        {
            return CheckResult.Pass(StatsName, title, expected, $"{stats.Count} counters; no previous backup was read to compare with",
                [.. stats.Select(p => $"{p.Key}: {p.Value:N0}")]);
        }

        var drops = Window.WindowChecks.CounterDrops(jobs, previous, previousFile, stats, backup).ToList();
        return drops.Count == 0
            ? CheckResult.Pass(StatsName, title, expected, $"{stats.Count} counters, none below {previousFile}", [.. stats.Select(p => $"{p.Key}: {p.Value:N0}")])
            : CheckResult.Fail(StatsName, title, expected,
                $"{drops[0]}{(drops.Count > 1 ? $" (and {drops.Count - 1} more)" : "")}: counters only grow, so the restored backup lost data", drops);
    }

    private static CheckResult Recent(DrillProfile profile, JobQueueProfile jobs, JobState state, DateTimeOffset? taken)
    {
        const string title = "The newest queued job is as recent as the backup's time stamp";
        var limit = profile.MaxRecoveryPointHours is double h ? TimeSpan.FromHours(h) : (TimeSpan?)null;
        if (state.NewestCreatedAt is not { } newest)
        {
            return CheckResult.NotApplicable(RecentName, title, "the queue is empty");
        }

        if (taken is not { } ts)
        {
            return CheckResult.NotApplicable(RecentName, title, "the backup's file name carries no time stamp to compare with");
        }

        var expected = $"newest {jobs.CreatedAtColumn} in {jobs.Table} at most {(limit is null ? "(no limit in the profile)" : $"{limit.Value.TotalHours:0.#} h")} before {ts:u}";
        var lag = ts - newest;
        if (lag < -RecencyCheck.AllowedSkew)
        {
            return CheckResult.Fail(RecentName, title, expected,
                $"the newest job was queued at {newest:u}, {-lag.TotalMinutes:0} minutes AFTER the backup's time stamp {ts:u}: the file name or a clock is wrong");
        }

        return limit is { } max && lag > max
            ? CheckResult.Fail(RecentName, title, expected,
                $"the newest job was queued at {newest:u}, {lag.TotalHours:0.#} h before the backup's time stamp, more than {max.TotalHours:0.#} h: the queue holds old jobs only, or the backup holds old data")
            : CheckResult.Pass(RecentName, title, expected, $"newest job queued at {newest:u}, {lag.TotalMinutes:0} minutes before the backup's time stamp");
    }
}
