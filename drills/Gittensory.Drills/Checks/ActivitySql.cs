using System.Data.Common;
using Gittensory.Drills.Profiles;

namespace Gittensory.Drills.Checks;

/// <summary>The query for the newest value of an activity column, taken per time stamp shape (text maxima of two shapes do not compare).</summary>
public static class ActivitySql
{
    /// <summary>
    /// SQL returning, for each shape, the largest value, then the count of values in neither shape, then the table's row count (one
    /// scan gives both: a reader need not count the table again); portable to PostgreSQL and SQLite. <paramref name="asText"/> follows
    /// the column: Postgres gives <c>::text COLLATE "C"</c>, so that values compare byte by byte, as SQLite's BINARY does.
    /// </summary>
    public static string NewestPerShape(string quotedTable, string quotedColumn, IReadOnlyList<string> sentinels, string asText = "")
    {
        var column = quotedColumn + asText;
        var notSentinel = sentinels.Count == 0 ? "" : $" AND {column} NOT IN ({string.Join(", ", sentinels.Select(SqlNames.Literal))})";
        var shapes = ActivityTimestamp.ShapePatterns.Select(p => $"max(CASE WHEN {column} LIKE {SqlNames.Literal(p)}{notSentinel} THEN {column} END)");
        var neither = string.Join(" AND ", ActivityTimestamp.ShapePatterns.Select(p => $"{column} NOT LIKE {SqlNames.Literal(p)}"));
        return $"SELECT {string.Join(", ", shapes)}, sum(CASE WHEN {column} <> '' AND {neither} THEN 1 ELSE 0 END), count(*) FROM {quotedTable}";
    }

    /// <summary>The table's row count from one row of <see cref="NewestPerShape"/>.</summary>
    public static long RowCount(DbDataReader reader) => Convert.ToInt64(reader.GetValue(ActivityTimestamp.ShapePatterns.Count + 1));

    /// <summary>The fact from one row of <see cref="NewestPerShape"/>.</summary>
    public static ActivityFact ToFact(ActivityColumn activity, DbDataReader reader)
    {
        DateTimeOffset? newest = null;
        long unparseable = reader.IsDBNull(ActivityTimestamp.ShapePatterns.Count) ? 0 : Convert.ToInt64(reader.GetValue(ActivityTimestamp.ShapePatterns.Count));
        for (var i = 0; i < ActivityTimestamp.ShapePatterns.Count; i++)
        {
            if (reader.IsDBNull(i))
            {
                continue;
            }

            if (ActivityTimestamp.TryParse(reader.GetString(i), out var value))
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
