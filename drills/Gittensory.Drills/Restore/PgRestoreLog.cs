using System.Globalization;

namespace Gittensory.Drills.Restore;

/// <summary>
/// The lines <c>pg_restore --verbose</c> writes: which one says that a table's data is in (committed), and which only tell its
/// progress. Progress lines are left out of what the drill keeps of pg_restore's standard error; every other line (errors,
/// warnings, their "from TOC entry" context, anything unknown) is kept.
/// </summary>
public static class PgRestoreLog
{
    private const string FinishedTableData = "pg_restore: finished item ";

    // What --verbose adds (pg_log_info in src/bin/pg_dump): the start of each progress message.
    private static readonly string[] ProgressStarts =
    [
        "pg_restore: connecting ", "pg_restore: creating ", "pg_restore: processing ", "pg_restore: launching item ",
        "pg_restore: finished item ", "pg_restore: finished main parallel loop", "pg_restore: entering ", "pg_restore: executing ",
        "pg_restore: setting owner and privileges ", "pg_restore: dropping ", "pg_restore: disabling triggers ", "pg_restore: enabling triggers ",
        "pg_restore: implied data-only restore", "pg_restore: skipping item ", "pg_restore: transferring dependency ",
        "pg_restore: reducing dependencies ", "pg_restore: restoring large object ", "pg_restore: restored ", "pg_restore: no item ready",
    ];

    /// <summary>
    /// The TOC entry's dump id when <paramref name="line"/> says a parallel worker finished a table's data
    /// ("pg_restore: finished item 4001 TABLE DATA webhook_events"), else null. The leader writes it once the worker has committed.
    /// </summary>
    public static int? FinishedTableDataItem(string line)
    {
        if (!line.StartsWith(FinishedTableData, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = line.AsSpan(FinishedTableData.Length);
        var space = rest.IndexOf(' ');
        return space > 0 && rest[(space + 1)..].StartsWith("TABLE DATA ", StringComparison.Ordinal)
               && int.TryParse(rest[..space], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    /// <summary>True for a line that only tells pg_restore's progress (see <see cref="ProgressStarts"/>).</summary>
    public static bool IsProgress(string line) => ProgressStarts.Any(p => line.StartsWith(p, StringComparison.Ordinal));
}
