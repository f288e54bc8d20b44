using System.Text;
using Gittensory.Drills.Window;

namespace Gittensory.Drills.Reporting;

/// <summary>The retention window's section of report.md: one row per retained backup, oldest first per store.</summary>
internal static class WindowMarkdown
{
    public static void Append(StringBuilder md, WindowReport? window)
    {
        if (window is null || window.Backups.Count == 0)
        {
            return;
        }

        md.AppendLine();
        md.AppendLine($"## Retention window ({window.BytesRead:N0} of at most {window.BudgetBytes:N0} bytes read)");
        md.AppendLine();
        md.AppendLine("| backup | bytes | rows | migrations | seconds | SHA-256 / why not |");
        md.AppendLine("|---|---:|---:|---:|---:|---|");
        foreach (var b in window.Backups)
        {
            var why = b.Skipped ?? b.Problem ?? b.NotCounted;
            md.AppendLine($"| `{b.File}` | {b.Bytes:N0} | {(b.Counted ? b.Rows.Values.Sum().ToString("N0") : "-")} | {b.Migrations?.Count.ToString() ?? "-"} | {b.Seconds:0.00} | " +
                          $"{(why is null ? $"`{b.Sha256}`" : why.Replace("|", "\\|", StringComparison.Ordinal))} |");
        }
    }
}
