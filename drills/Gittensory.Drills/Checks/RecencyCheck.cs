using Gittensory.Drills.Profiles;

namespace Gittensory.Drills.Checks;

/// <summary>
/// The recovery point: how far the newest activity in the restored data lies before the backup's time stamp. Activity
/// later than the backup's own time stamp means the name or a clock is wrong.
/// </summary>
public static class RecencyCheck
{
    /// <summary>The check's name in reports.</summary>
    public const string Name = "backup.recovery-point";

    /// <summary>Activity may be this much later than the backup's time stamp (clock skew, a run that takes time to reach the table).</summary>
    public static readonly TimeSpan AllowedSkew = TimeSpan.FromMinutes(15);

    /// <summary>Judges the newest activity against the backup's time stamp.</summary>
    public static CheckResult Evaluate(DrillProfile profile, IReadOnlyList<ActivityFact> activity, DateTimeOffset? backupTime)
    {
        const string title = "The data is as recent as the backup's time stamp";
        if (profile.ActivityColumns.Count == 0)
        {
            return CheckResult.NotApplicable(Name, title, $"profile '{profile.Name}' names no activity column");
        }

        if (backupTime is not { } taken)
        {
            return CheckResult.NotApplicable(Name, title, "the backup's file name carries no time stamp to compare with");
        }

        var columns = string.Join(", ", profile.ActivityColumns.Select(a => $"{a.Table}.{a.Column}"));
        var newest = activity.Where(a => a.Newest is not null).MaxBy(a => a.Newest);
        var limit = profile.MaxRecoveryPointHours is double h ? TimeSpan.FromHours(h) : (TimeSpan?)null;
        var expected = $"newest activity in {columns} at most {(limit is null ? "(no limit in the profile)" : $"{limit.Value.TotalHours:0.#} h")} before {taken:u}";
        var details = activity.Select(a => $"{a.Table}.{a.Column}: {(a.Newest is null ? "no time stamp" : a.Newest.Value.ToString("u"))}" +
                                           (a.Unparseable > 0 ? $", {a.Unparseable} values in neither shape" : "")).ToList();
        if (newest?.Newest is not { } last)
        {
            return CheckResult.Fail(Name, title, expected, $"no activity time stamp at all in {columns}: is the data there?", details);
        }

        var lag = taken - last;
        var found = $"recovery point {lag.TotalMinutes:0} minutes: newest activity {last:u} in {newest.Table}.{newest.Column}";
        if (lag < -AllowedSkew)
        {
            return CheckResult.Fail(Name, title, expected,
                $"newest activity {last:u} in {newest.Table}.{newest.Column} is {-lag.TotalMinutes:0} minutes AFTER the backup's time stamp {taken:u}: the file name or a clock is wrong",
                details);
        }

        return limit is not null && lag > limit
            ? CheckResult.Fail(Name, title, expected, found + $", more than {limit.Value.TotalHours:0.#} h: the application had stopped writing, or the backup holds old data", details)
            : CheckResult.Pass(Name, title, expected, found, details);
    }

    /// <summary>Minutes between the newest activity and the backup's time stamp, or null when unknown.</summary>
    public static double? RecoveryPointMinutes(IReadOnlyList<ActivityFact> activity, DateTimeOffset? backupTime) =>
        backupTime is { } taken && activity.Where(a => a.Newest is not null).Max(a => a.Newest) is { } last
            ? Math.Round((taken - last).TotalMinutes, 1)
            : null;
}
