using System.Globalization;
using System.Net;
using System.Text;
using System.Xml.Linq;
using Gittensory.Drills.Checks;
using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Gittensory.Drills.Reporting;

/// <summary>
/// Renders a drill report as one self-contained HTML file: the verdict first, then the failures and warnings with what to do,
/// the charts (inline SVG, no script), the change since the previous drill, then each store. The store sections are the
/// Markdown report rendered by Markdig with raw HTML disabled and every link or image reduced to its text, and a Content
/// Security Policy forbids any script and any asset that is not inline, so nothing from the data can load or run.
/// </summary>
public static class HtmlReport
{
    /// <summary>How many of a leg's largest tables the rows chart shows.</summary>
    public const int LargestTables = 8;

    /// <summary>The page's Content Security Policy: nothing but its own inline styles and data: images.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().DisableHtml().Build();

    /// <summary>
    /// The report as HTML; <paramref name="trend"/> is the history of the same backups root, oldest first, ending with this
    /// drill, and <paramref name="growOnlyTables"/> the profile's tables that only grow (charted over the trend).
    /// </summary>
    public static string Render(DrillReport report, DrillChange? change, IReadOnlyList<HistoryEntry> trend, IReadOnlyList<string>? growOnlyTables = null)
    {
        var html = new StringBuilder();
        var verdict = Word(report.Verdict);
        html.AppendLine("<!DOCTYPE html>");
        html.AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.AppendLine($"<meta http-equiv=\"Content-Security-Policy\" content=\"{ContentSecurityPolicy}\">");
        html.AppendLine("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        html.AppendLine($"<title>Restore drill {E(verdict)}: {E(report.RunId)}</title>");
        html.AppendLine($"<style>{Style}</style></head><body>");

        html.AppendLine($"<header id=\"verdict\" class=\"verdict {Css(report.Verdict)}\">");
        html.AppendLine($"<h1>Restore drill {E(verdict)}</h1>");
        html.AppendLine(CultureInfo.InvariantCulture,
            $"<p>Run <code>{E(report.RunId)}</code>, profile <code>{E(report.Profile)}</code>, started {E(report.StartedAt.ToString("u", CultureInfo.InvariantCulture))}, " +
            $"took {(report.FinishedAt - report.StartedAt).TotalSeconds:0.0} s, exit code {report.ExitCode}. Backups root <code>{E(report.BackupRoot)}</code>.</p>");
        html.AppendLine("<p class=\"legs\">" + string.Join(" · ", report.Legs.Select(l =>
            $"<span class=\"leg {(l.Ran ? Css(l.Verdict) : "skipped")}\">{E(l.Store)}: {(l.Ran ? E(Word(l.Verdict).ToLowerInvariant()) : "did not run")}</span>")) + "</p>");
        html.AppendLine("</header>");

        AppendAttention(html, report);
        html.AppendLine("<section id=\"charts\"><h2>Charts</h2>");
        AppendPhaseChart(html, report);
        AppendRowsCharts(html, report);
        AppendTrendCharts(html, trend, growOnlyTables ?? []);
        html.AppendLine("</section>");
        html.AppendLine("<section id=\"change\">" + Markdown(ChangeMarkdown.Render(change)) + "</section>");
        html.AppendLine("<section id=\"stores\"><h2>Each store</h2>" + Markdown(MarkdownReport.RenderBody(report)) + "</section>");
        html.AppendLine($"<footer>{E(report.Tool)}: report.json beside this file holds every fact shown here.</footer>");
        html.AppendLine("</body></html>");
        return html.ToString();
    }

    private static void AppendAttention(StringBuilder html, DrillReport report)
    {
        var failed = ReportAttention.Of(report);
        var failures = failed.Count(x => x.Check.Verdict == CheckVerdict.Failed);
        html.AppendLine(CultureInfo.InvariantCulture, $"<section id=\"attention\"><h2>Failures and warnings: {failures} failed, {failed.Count - failures} warnings</h2>");
        if (report.Problem is not null && report.Verdict == DrillVerdict.Error)
        {
            html.AppendLine("<div class=\"problem\"><strong>The drill could not run.</strong> " + E(report.Problem) + "</div>");
        }

        if (failed.Count == 0)
        {
            html.AppendLine("<p>None: every check passed or did not apply.</p>");
        }
        else
        {
            html.AppendLine("<ol class=\"checks\">");
            foreach (var (where, check) in failed)
            {
                var kind = check.Verdict == CheckVerdict.Failed ? "failed" : "warning";
                html.AppendLine($"<li class=\"check {kind}\" data-check=\"{E(check.Name)}\">");
                html.AppendLine($"<p><span class=\"mark\">{(kind == "failed" ? "FAIL" : "WARN")}</span> <code>{E(check.Name)}</code> ({E(where)}): {E(check.Title)}</p>");
                html.AppendLine($"<p><b>Expected:</b> {E(check.Expected)}<br><b>Found:</b> {E(check.Found)}</p>");
                html.AppendLine($"<p class=\"todo\"><b>What to do:</b> {E(CheckAdvice.For(check))}</p>");
                if (check.Details.Count > 0)
                {
                    html.AppendLine("<details><summary>" + check.Details.Count.ToString(CultureInfo.InvariantCulture) + " details</summary><ul>" +
                                    string.Concat(check.Details.Take(50).Select(d => $"<li>{E(d)}</li>")) + "</ul></details>");
                }

                html.AppendLine("</li>");
            }

            html.AppendLine("</ol>");
        }

        html.AppendLine("</section>");
    }

    private static void AppendPhaseChart(StringBuilder html, DrillReport report)
    {
        var bars = report.Phases.Select(p => Phase("drill", p))
            .Concat(report.Legs.SelectMany(l => l.Phases.Select(p => Phase(l.Store, p))))
            .ToList();
        if (bars.Count > 0)
        {
            html.AppendLine("<figure><figcaption>Phase timings (seconds from the drill's start)</figcaption>" + Svg(SvgCharts.Bars("Phase timings", bars, "s")) + "</figure>");
        }
    }

    private static SvgCharts.Bar Phase(string where, PhaseTiming phase) =>
        new($"{where} · {phase.Name}", phase.StartSeconds ?? 0, phase.Seconds, phase.Completed ? "phase " + where : "phase incomplete",
            phase.Seconds.ToString("0.00", CultureInfo.InvariantCulture) + " s" + (phase.Completed ? "" : " (did not complete)"));

    private static void AppendRowsCharts(StringBuilder html, DrillReport report)
    {
        foreach (var leg in report.Legs.Where(l => l.Tables.Count > 0))
        {
            var bars = new List<SvgCharts.Bar>();
            foreach (var table in leg.Tables.OrderByDescending(t => Math.Max(t.ArchivedRows ?? 0, t.RestoredRows ?? 0)).ThenBy(t => t.Name, StringComparer.Ordinal).Take(LargestTables))
            {
                var differs = table.ArchivedRows != table.RestoredRows;
                bars.Add(new SvgCharts.Bar($"{table.Name} · backup", 0, table.ArchivedRows ?? 0, "archived", Rows(table.ArchivedRows)));
                bars.Add(new SvgCharts.Bar($"{table.Name} · restored", 0, table.RestoredRows ?? 0, differs ? "mismatch" : "restored", Rows(table.RestoredRows) + (differs ? " (differs)" : "")));
            }

            html.AppendLine($"<figure><figcaption>{E(leg.Store)}: rows in the backup and restored, largest {bars.Count / 2} tables</figcaption>" +
                            Svg(SvgCharts.Bars($"{leg.Store}: archived and restored rows", bars, "rows")) + "</figure>");
        }
    }

    private static void AppendTrendCharts(StringBuilder html, IReadOnlyList<HistoryEntry> trend, IReadOnlyList<string> growOnlyTables)
    {
        var labels = trend.Select(e => e.StartedAt.UtcDateTime.ToString("MM-dd HH:mm", CultureInfo.InvariantCulture)).ToList();
        var time = new List<(string, string, IReadOnlyList<double?>)> { ("whole drill", "s0", [.. trend.Select(e => (double?)e.DurationSeconds)]) };
        if (trend.Any(e => e.RecoveryTimeSeconds is not null))
        {
            time.Add(("start to /ready", "s1", [.. trend.Select(e => e.RecoveryTimeSeconds)]));
        }

        html.AppendLine("<figure><figcaption>Trend: recovery time (seconds)</figcaption>" + Svg(SvgCharts.Lines("Recovery time", labels, time, "s")) + "</figure>");

        var stores = trend.SelectMany(e => e.Legs).Select(l => l.Store).Distinct(StringComparer.Ordinal).ToList();
        var rpo = stores.Select((store, i) => (store, $"s{i}", (IReadOnlyList<double?>)[.. trend.Select(e => e.Leg(store)?.RecoveryPointMinutes)]))
            .Where(s => s.Item3.Any(v => v is not null)).ToList();
        if (rpo.Count > 0)
        {
            html.AppendLine("<figure><figcaption>Trend: recovery point (minutes before the backup)</figcaption>" + Svg(SvgCharts.Lines("Recovery point", labels, rpo, "min")) + "</figure>");
        }

        var grow = stores.SelectMany(store => growOnlyTables.Select(table => (store, table)))
            .Select(x => (Name: $"{x.store} {x.table}", Values: (IReadOnlyList<double?>)[.. trend.Select(e => e.Leg(x.store)?.Rows.TryGetValue(x.table, out var rows) == true ? (double?)rows : null)]))
            .Where(s => s.Values.Any(v => v is not null))
            .Take(6)
            .Select((s, i) => (s.Name, $"s{i}", s.Values))
            .ToList();
        if (grow.Count > 0)
        {
            html.AppendLine("<figure><figcaption>Trend: rows in the tables that only grow</figcaption>" + Svg(SvgCharts.Lines("Rows in grow-only tables", labels, grow, "rows")) + "</figure>");
        }
    }

    /// <summary>Markdown from the report rendered as HTML: raw HTML is escaped, and links and images are reduced to their text.</summary>
    internal static string Markdown(string markdown)
    {
        var document = Markdig.Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            var child = link.FirstChild;
            while (child is not null)
            {
                var next = child.NextSibling;
                child.Remove();
                link.InsertBefore(child);
                child = next;
            }

            link.Remove();
        }

        foreach (var autolink in document.Descendants<AutolinkInline>().ToList())
        {
            autolink.ReplaceBy(new LiteralInline(autolink.Url));
        }

        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return writer.ToString();
    }

    private static string Svg(XElement svg) => svg.ToString(SaveOptions.DisableFormatting);

    private static string Rows(long? rows) => rows?.ToString("N0", CultureInfo.InvariantCulture) ?? "absent";

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Word(DrillVerdict verdict) => verdict switch
    {
        DrillVerdict.Passed => "PASSED",
        DrillVerdict.Failed => "FAILED",
        _ => "COULD NOT RUN",
    };

    private static string Css(DrillVerdict verdict) => verdict switch
    {
        DrillVerdict.Passed => "passed",
        DrillVerdict.Failed => "failed",
        _ => "error",
    };

    private const string Style =
        """
        body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1100px;padding:0 16px 40px;color:#1b1b1b;background:#fff}
        h1{margin:0 0 4px;font-size:24px}h2{font-size:18px;margin:22px 0 8px}h3{font-size:15px}
        .verdict{padding:12px 16px;margin:12px 0 4px;border-radius:6px;color:#fff}.verdict p{margin:2px 0}.verdict code{color:#fff}
        .verdict.passed{background:#1e7d32}.verdict.failed{background:#b3261e}.verdict.error{background:#a04a00}
        .leg{white-space:nowrap}
        #attention h2{margin-top:12px}
        .checks{padding-left:0;list-style:none;margin:0}.check{border-left:6px solid;padding:4px 10px;margin:6px 0;border-radius:3px}
        .check p{margin:2px 0}.check.failed{border-color:#b3261e;background:#fdecea}.check.warning{border-color:#b26a00;background:#fff4e0}
        .mark{font-weight:700}.check.failed .mark{color:#b3261e}.check.warning .mark{color:#8a5200}
        .problem{border-left:6px solid #a04a00;background:#fff1e6;padding:8px 10px;margin:6px 0}
        figure{margin:10px 0}figcaption{font-weight:600;margin-bottom:2px}svg{max-width:100%;height:auto;font-size:11px}
        svg text{fill:#333}.axis{stroke:#888;stroke-width:1}
        rect.phase{fill:#3a6ea5}rect.phase.drill{fill:#6b7b8c}rect.phase.incomplete{fill:#b3261e}
        rect.archived{fill:#9aa5b1}rect.restored{fill:#3a6ea5}rect.mismatch{fill:#b3261e}
        .line{stroke-width:2}.s0{stroke:#3a6ea5;fill:#3a6ea5}.s1{stroke:#c05621;fill:#c05621}.s2{stroke:#2f855a;fill:#2f855a}
        .s3{stroke:#6b46c1;fill:#6b46c1}.s4{stroke:#b7791f;fill:#b7791f}.s5{stroke:#2c7a7b;fill:#2c7a7b}polyline.line{fill:none}
        table{border-collapse:collapse;margin:6px 0;font-size:13px}th,td{border:1px solid #d0d7de;padding:3px 7px;vertical-align:top}th{background:#f3f5f7}
        code{font-size:12px;background:#f3f5f7;padding:0 3px;border-radius:3px}.verdict code{background:rgba(255,255,255,.15)}
        pre{background:#f6f8fa;padding:8px;overflow:auto}footer{margin-top:30px;color:#666;font-size:12px}
        """;
}
