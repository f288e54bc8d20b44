using System.Globalization;
using System.Text;
using Gittensory.Drills.Checks;

namespace Gittensory.Drills.Reporting;

/// <summary>
/// What a drill gives a GitHub Actions job when <c>GITHUB_STEP_SUMMARY</c> is set: the job summary (failures and warnings
/// first, then report.md) and one workflow command per failed check (<c>::error</c>) and warning (<c>::warning</c>).
/// </summary>
public static class GitHubActions
{
    /// <summary>The environment variable GitHub Actions sets to the job summary's file.</summary>
    public const string StepSummaryVariable = "GITHUB_STEP_SUMMARY";

    /// <summary>The job summary: the verdict, the failures and warnings with what to do, then <paramref name="markdown"/> (report.md).</summary>
    public static string StepSummary(DrillReport report, string markdown)
    {
        var md = new StringBuilder();
        var attention = ReportAttention.Of(report).ToList();
        var failed = attention.Count(a => a.Check.Verdict == CheckVerdict.Failed);
        md.AppendLine(CultureInfo.InvariantCulture, $"## Restore drill {report.Verdict.ToString().ToUpperInvariant()}: {failed} failed, {attention.Count - failed} warnings");
        md.AppendLine();
        if (report.Verdict == DrillVerdict.Error && report.Problem is not null)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"> **The drill could not run:** {MarkdownText.Inline(report.Problem)}");
            md.AppendLine();
        }

        foreach (var (where, check) in attention)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"- **{(check.Verdict == CheckVerdict.Failed ? "FAIL" : "WARN")}** `{check.Name}` ({where}): {MarkdownText.Inline(check.Title)}. Expected {MarkdownText.Inline(check.Expected)}; found {MarkdownText.Inline(check.Found)}. " +
                $"*What to do:* {CheckAdvice.For(check)}");
        }

        if (attention.Count == 0)
        {
            md.AppendLine("Every check passed or did not apply.");
        }

        md.AppendLine();
        md.AppendLine("<details><summary>The whole report (report.md)</summary>");
        md.AppendLine();
        md.AppendLine(markdown);
        md.AppendLine("</details>");
        md.AppendLine();
        return md.ToString();
    }

    /// <summary>One <c>::error</c> per failed check (and for a drill that could not run), then one <c>::warning</c> per warning.</summary>
    public static IEnumerable<string> Annotations(DrillReport report)
    {
        if (report.Verdict == DrillVerdict.Error && report.Problem is not null)
        {
            yield return $"::error title={Property("drill")}::{Data("The drill could not run: " + report.Problem)}";
        }

        foreach (var (where, check) in ReportAttention.Of(report))
        {
            var kind = check.Verdict == CheckVerdict.Failed ? "error" : "warning";
            yield return $"::{kind} title={Property(check.Name)}::{Data($"{check.Title} ({where}): expected {check.Expected}; found {check.Found}")}";
        }
    }

    // The escaping of GitHub's workflow commands (actions/toolkit, command.ts): data escapes %, CR and LF; a property also : and ,.
    private static string Data(string text) =>
        text.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    private static string Property(string text) =>
        Data(text).Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);
}
