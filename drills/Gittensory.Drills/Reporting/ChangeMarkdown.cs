using System.Globalization;
using System.Text;

namespace Gittensory.Drills.Reporting;

/// <summary>The "since the previous drill" section of report.md (and so of the HTML report).</summary>
public static class ChangeMarkdown
{
    /// <summary>How many changed tables are listed; the rest are counted.</summary>
    public const int MaxTables = 30;

    /// <summary>The section, or a line saying this is the first drill of its backups root in the history.</summary>
    public static string Render(DrillChange? change)
    {
        var md = new StringBuilder();
        md.AppendLine();
        md.AppendLine("## Since the previous drill");
        md.AppendLine();
        if (change is null)
        {
            md.AppendLine("This is the first drill of this backups root in the reports root's history.jsonl: nothing to compare with.");
            return md.ToString();
        }

        var previous = change.Previous;
        md.AppendLine(CultureInfo.InvariantCulture, $"Previous drill `{previous.RunId}`, started {previous.StartedAt:u}, {previous.Verdict.ToString().ToLowerInvariant()} (report `{previous.Report}`). " +
                      $"The whole drill took {change.DurationNow:0.00} s ({Signed(change.DurationNow - change.DurationBefore, "0.00")} s).");
        md.AppendLine();
        md.AppendLine("| Store | Restore (s) before | Restore (s) now | Change | Recovery point (min) before | now |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var leg in change.Legs)
        {
            var delta = leg.RestoreSecondsBefore is { } b && leg.RestoreSecondsNow is { } n ? Signed(n - b, "0.00") : "-";
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {leg.Store} | {Number(leg.RestoreSecondsBefore, "0.00")} | {Number(leg.RestoreSecondsNow, "0.00")} | {delta} | {Number(leg.RecoveryPointBefore, "0")} | {Number(leg.RecoveryPointNow, "0")} |");
        }

        md.AppendLine();
        if (change.Tables.Count == 0)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"Rows: every table has the same restored rows as before ({change.UnchangedTables} tables).");
            return md.ToString();
        }

        md.AppendLine(CultureInfo.InvariantCulture, $"Rows: {change.Tables.Count} tables changed, {change.UnchangedTables} unchanged.");
        md.AppendLine();
        md.AppendLine("| Store | Table | Rows before | Rows now | Change |");
        md.AppendLine("|---|---|---:|---:|---:|");
        foreach (var table in change.Tables.OrderByDescending(t => Math.Abs(t.Delta ?? long.MaxValue)).Take(MaxTables))
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {table.Store} | {MarkdownText.Inline(table.Table)} | {table.RowsBefore?.ToString("N0", CultureInfo.InvariantCulture) ?? "(none)"} | {table.RowsNow?.ToString("N0", CultureInfo.InvariantCulture) ?? "(none)"} | " +
                $"{(table.Delta is { } d ? Signed(d, "N0") : table.RowsNow is null ? "gone" : "new")} |");
        }

        if (change.Tables.Count > MaxTables)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| ... | {change.Tables.Count - MaxTables} more in history.jsonl | | | |");
        }

        return md.ToString();
    }

    private static string Number(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";

    private static string Signed(double value, string format) => (value >= 0 ? "+" : "") + value.ToString(format, CultureInfo.InvariantCulture);

    private static string Signed(long value, string format) => (value >= 0 ? "+" : "") + value.ToString(format, CultureInfo.InvariantCulture);
}
