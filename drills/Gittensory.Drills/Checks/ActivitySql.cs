using System.Data.Common;
using System.Globalization;
using Gittensory.Drills.Profiles;

namespace Gittensory.Drills.Checks;

/// <summary>Reads the newest value of an activity column, taken per time stamp shape (text maxima of two shapes do not compare).</summary>
public static class ActivitySql
{
    /// <summary>
    /// Reads one activity column with one scan: the newest value of each shape, the count of values in neither shape, and the
    /// table's row count (a reader need not count the table again); portable to PostgreSQL and SQLite. The scan compares no value
    /// with the sentinels: a maximum cannot be a sentinel unless no other value of its shape is larger, so only a shape whose maximum
    /// is a sentinel is asked again, without them. <paramref name="asText"/> follows the column: Postgres gives
    /// <c>::text COLLATE "C"</c>, so that values compare byte by byte, as SQLite's BINARY does.
    /// </summary>
    public static async Task<(ActivityFact Fact, long Rows)> ReadAsync(
        DbConnection connection, string quotedTable, ActivityColumn activity, IReadOnlyList<string> sentinels, string asText = "", CancellationToken ct = default)
    {
        var column = SqlNames.Quote(activity.Column) + asText;
        var patterns = ActivityTimestamp.ShapePatterns;
        var newest = new string?[patterns.Count];
        long unparseable, rows;
        await using (var scan = connection.CreateCommand())
        {
            var shapes = patterns.Select(p => $"max({column}) FILTER (WHERE {column} LIKE {SqlNames.Literal(p)})");
            var inAShape = string.Join(" OR ", patterns.Select(p => $"{column} LIKE {SqlNames.Literal(p)}").Append($"{column} = ''"));
            scan.CommandText = $"SELECT {string.Join(", ", shapes)}, count(*) FILTER (WHERE NOT ({inAShape})), count(*) FROM {quotedTable}";
            await using var reader = await scan.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            for (var i = 0; i < patterns.Count; i++)
            {
                newest[i] = reader.IsDBNull(i) ? null : reader.GetString(i);
            }

            unparseable = Convert.ToInt64(reader.GetValue(patterns.Count));
            rows = Convert.ToInt64(reader.GetValue(patterns.Count + 1));
        }

        for (var i = 0; i < patterns.Count; i++)
        {
            if (newest[i] is { } value && sentinels.Contains(value, StringComparer.Ordinal))
            {
                await using var again = connection.CreateCommand();
                again.CommandText = $"SELECT max({column}) FROM {quotedTable} WHERE {column} LIKE {SqlNames.Literal(patterns[i])} " +
                                    $"AND {column} NOT IN ({string.Join(", ", sentinels.Select(SqlNames.Literal))})";
                newest[i] = await again.ExecuteScalarAsync(ct) is { } left and not DBNull ? Convert.ToString(left, CultureInfo.InvariantCulture) : null;
            }
        }

        return (ToFact(activity, newest, unparseable), rows);
    }

    private static ActivityFact ToFact(ActivityColumn activity, IReadOnlyList<string?> newestPerShape, long unparseable)
    {
        DateTimeOffset? newest = null;
        foreach (var text in newestPerShape.OfType<string>())
        {
            if (ActivityTimestamp.TryParse(text, out var value))
            {
                newest = newest is null || value > newest ? value : newest;
            }
            else
            {
                unparseable++;
            }
        }

        return new ActivityFact(activity.Table, activity.Column, newest, unparseable);
    }
}
