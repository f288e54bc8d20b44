using System.Globalization;
using System.Text.RegularExpressions;

namespace Gittensory.Drills.Restore;

/// <summary>
/// The lines <c>pg_restore --verbose</c> writes: which ones say that a table's data is in (committed), and which only tell its
/// progress. Progress lines are left out of what the drill keeps of pg_restore's standard error; every other line (errors,
/// warnings, their "from TOC entry" context, anything unknown) is kept.
/// </summary>
/// <remarks>
/// With parallel jobs several processes write to one stderr, and pg_restore writes each message in three pieces (its
/// "pg_restore:" prefix, the message, the line end), so pieces of two messages can share a line
/// ("pg_restore:pg_restore: processing data for table ..." then " finished item 3994 TABLE DATA sync_runs"). The message itself is
/// one write, so it is looked for anywhere in a line, and a line is progress when every piece of it is.
/// </remarks>
public static partial class PgRestoreLog
{
    // Written apart from the message, and even apart from its space ("pg_restore:pg_restore: processing ..." is seen).
    private const string Prefix = "pg_restore:";

    // What --verbose adds (pg_log_info in src/bin/pg_dump): the start of each progress message.
    private static readonly string[] ProgressStarts =
    [
        "connecting ", "creating ", "processing ", "launching item ", "finished item ", "finished main parallel loop", "entering ",
        "executing ", "setting owner and privileges ", "dropping ", "disabling triggers ", "enabling triggers ", "implied data-only restore",
        "skipping item ", "transferring dependency ", "reducing dependencies ", "restoring large object ", "restored ", "no item ready",
    ];

    /// <summary>
    /// The TOC entries' dump ids of the tables <paramref name="line"/> says a parallel job finished ("finished item 4001 TABLE DATA
    /// webhook_events"; the leader writes it once the job has committed), wherever in the line each message is; none for any other line.
    /// </summary>
    public static IEnumerable<int> FinishedTableDataItems(string line) =>
        FinishedTableData().Matches(line).Select(m => int.Parse(m.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture));

    /// <summary>
    /// True for a line that only tells pg_restore's progress: every piece of it (split at "pg_restore:") is a progress message
    /// (see <see cref="ProgressStarts"/>), and nothing in it speaks of an error or a warning.
    /// </summary>
    public static bool IsProgress(string line)
    {
        if (line.Contains("error", StringComparison.OrdinalIgnoreCase) || line.Contains("warning", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var pieces = line.Split(Prefix, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return pieces.Length > 0 && pieces.All(p => ProgressStarts.Any(s => p.StartsWith(s, StringComparison.Ordinal)));
    }

    [GeneratedRegex(@"finished item (\d{1,9}) TABLE DATA ", RegexOptions.CultureInvariant)]
    private static partial Regex FinishedTableData();
}
