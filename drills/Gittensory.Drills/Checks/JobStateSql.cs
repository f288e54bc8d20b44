using System.Data.Common;
using System.Globalization;
using Gittensory.Drills.Profiles;

namespace Gittensory.Drills.Checks;

/// <summary>The two queries that read a queue's state (the same SQL on Postgres and SQLite: LoopOver keeps the same columns on both) and what their rows mean.</summary>
public static class JobStateSql
{
    /// <summary>Jobs by status with the oldest <c>run_after</c> and the oldest and newest <c>created_at</c>; <paramref name="table"/> is quoted already.</summary>
    public static string ByStatus(JobQueueProfile jobs, string table) =>
        $"SELECT CAST({SqlNames.Quote(jobs.StatusColumn)} AS TEXT), count(*), min({SqlNames.Quote(jobs.RunAfterColumn)}), " +
        $"min({SqlNames.Quote(jobs.CreatedAtColumn)}), max({SqlNames.Quote(jobs.CreatedAtColumn)}) FROM {table} GROUP BY 1 ORDER BY 1";

    /// <summary>Every counter's name and value; <paramref name="table"/> is quoted already.</summary>
    public static string Stats(JobQueueProfile jobs, string table) =>
        $"SELECT CAST({SqlNames.Quote(jobs.StatsNameColumn)} AS TEXT), {SqlNames.Quote(jobs.StatsValueColumn)} FROM {table} ORDER BY 1";

    /// <summary>Reads the rows of <see cref="ByStatus"/>, the profile's statuses first (zero when absent).</summary>
    public static async Task<IReadOnlyList<JobStatusFact>> ReadStatusesAsync(DbDataReader reader, JobQueueProfile jobs, CancellationToken ct = default)
    {
        var found = new List<JobStatusFact>();
        while (await reader.ReadAsync(ct))
        {
            found.Add(new JobStatusFact(
                reader.IsDBNull(0) ? "" : reader.GetString(0),
                Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture),
                EpochMilliseconds(reader.GetValue(2)),
                EpochMilliseconds(reader.GetValue(3)),
                EpochMilliseconds(reader.GetValue(4))));
        }

        return Ordered(found, jobs);
    }

    /// <summary>Reads the rows of <see cref="Stats"/> into counters by name; a value that is no integer is left out.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> ReadStatsAsync(DbDataReader reader, CancellationToken ct = default)
    {
        var stats = new SortedDictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            if (!reader.IsDBNull(0) && Integer(reader.GetValue(1)) is { } value)
            {
                stats[reader.GetString(0)] = value;
            }
        }

        return stats;
    }

    /// <summary>The profile's statuses first (zero counts for those absent), then any other found, by name.</summary>
    public static IReadOnlyList<JobStatusFact> Ordered(IEnumerable<JobStatusFact> found, JobQueueProfile jobs)
    {
        var byStatus = found.ToDictionary(f => f.Status, StringComparer.Ordinal);
        return
        [
            .. jobs.Statuses.Select(s => byStatus.GetValueOrDefault(s) ?? new JobStatusFact(s, 0, null, null, null)),
            .. byStatus.Values.Where(f => !jobs.Statuses.Contains(f.Status)).OrderBy(f => f.Status, StringComparer.Ordinal),
        ];
    }

    /// <summary>An integer from a database value (a number, or text holding one), else null.</summary>
    public static long? Integer(object? value) => value switch
    {
        null or DBNull => null,
        long l => l,
        int i => i,
        decimal d => (long)d,
        double f when double.IsFinite(f) => (long)f,
        string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    /// <summary>A UTC time from epoch milliseconds (LoopOver's job columns), else null.</summary>
    public static DateTimeOffset? EpochMilliseconds(object? value) =>
        Integer(value) is { } ms && ms is >= -62_135_596_800_000 and <= 253_402_300_799_999 ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}
