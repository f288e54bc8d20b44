using System.Globalization;
using System.Text;
using Gittensory.Drills.Checks;

namespace Gittensory.Drills.Reporting;

/// <summary>
/// The drill's metrics in Prometheus' text format, for node_exporter's textfile collector (a <c>*.prom</c> file in its
/// <c>--collector.textfile.directory</c>). Written to a temporary name in the same folder, then renamed over the file, so the
/// collector never reads half a file. The time of the last successful drill is kept from the previous file when this one did not pass.
/// </summary>
public static class PrometheusTextfile
{
    /// <summary>The metric that the "no successful drill" alert watches.</summary>
    public const string LastSuccessMetric = "gittensory_drill_last_success_timestamp_seconds";

    /// <summary>Writes the metrics of <paramref name="report"/> to <paramref name="path"/> atomically, keeping the previous file's last success.</summary>
    public static async Task WriteAsync(DrillReport report, string path, CancellationToken ct = default)
    {
        var full = Path.GetFullPath(path);
        var previous = File.Exists(full) ? ReadLastSuccess(await File.ReadAllLinesAsync(full, ct)) : null;
        var text = Render(report, previous);
        var temporary = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{report.RunId}.tmp");
        await File.WriteAllTextAsync(temporary, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), ct);
        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>The metrics as text; <paramref name="previousLastSuccess"/> is the last success (Unix seconds) the previous file recorded.</summary>
    public static string Render(DrillReport report, double? previousLastSuccess)
    {
        var text = new StringBuilder();
        var finished = report.FinishedAt.ToUnixTimeMilliseconds() / 1000.0;
        var lastSuccess = report.Verdict == DrillVerdict.Passed ? finished : previousLastSuccess;
        if (lastSuccess is { } success)
        {
            Metric(text, LastSuccessMetric, "When the last drill that passed finished, in Unix seconds (kept across drills that did not pass).", [("", success)]);
        }

        Metric(text, "gittensory_drill_last_run_timestamp_seconds", "When the last drill finished, in Unix seconds, whatever its verdict.", [("", finished)]);
        Metric(text, "gittensory_drill_verdict", "The last drill's verdict: 1 for the one it had, 0 for the others.",
            [.. Enum.GetValues<DrillVerdict>().Select(v => (Labels(("verdict", v.ToString().ToLowerInvariant())), v == report.Verdict ? 1.0 : 0.0))]);
        Metric(text, "gittensory_drill_exit_code", "The last drill's exit code: 0 passed, 1 a check failed, 2 the drill could not run.", [("", report.ExitCode)]);
        Metric(text, "gittensory_drill_checks", "The last drill's checks, by verdict.",
            [.. Enum.GetValues<CheckVerdict>().Select(v => (Labels(("verdict", CheckWord(v))), (double)report.AllChecks.Count(c => c.Verdict == v)))]);
        Metric(text, "gittensory_drill_duration_seconds", "The last drill's whole duration, in seconds.", [("", (report.FinishedAt - report.StartedAt).TotalSeconds)]);
        Metric(text, "gittensory_drill_phase_duration_seconds", "Each phase of the last drill, in seconds: the drill's own stages (store=\"drill\") and each store's.",
            [.. HistoryEntry.Sum(report.Phases).Select(p => (Labels(("store", "drill"), ("phase", p.Key)), p.Value))
                .Concat(report.Legs.Where(l => l.Ran).SelectMany(l => HistoryEntry.Sum(l.Phases).Select(p => (Labels(("store", l.Store), ("phase", p.Key)), p.Value))))]);
        if (report.RecoveryTimeSeconds is { } recovery)
        {
            Metric(text, "gittensory_drill_recovery_time_seconds", "Seconds from the last drill's start to the booted application's first 200 from /ready.", [("", recovery)]);
        }

        var legs = report.Legs.Where(l => l.Ran).ToList();
        // Prometheus' base unit is the second (promtool's lint refuses "minutes"); the reports show the same figure in minutes.
        Metric(text, "gittensory_drill_recovery_point_seconds", "Seconds between the newest activity in the restored data and the backup's time stamp (the recovery point), per store.",
            [.. legs.Where(l => l.RecoveryPointMinutes is not null).Select(l => (Labels(("store", l.Store)), l.RecoveryPointMinutes!.Value * 60))]);
        Metric(text, "gittensory_drill_backup_timestamp_seconds", "The time stamp of the backup the last drill restored, in Unix seconds, per store.",
            [.. legs.Where(l => l.Backup?.Timestamp is not null).Select(l => (Labels(("store", l.Store)), l.Backup!.Timestamp!.Value.ToUnixTimeSeconds() + 0.0))]);
        Metric(text, "gittensory_drill_backup_age_seconds", "How old the drilled backup was when the last drill started, in seconds, per store.",
            [.. legs.Where(l => l.Backup?.Timestamp is not null).Select(l => (Labels(("store", l.Store)), (report.StartedAt - l.Backup!.Timestamp!.Value).TotalSeconds))]);
        Metric(text, "gittensory_drill_restored_rows", "Rows the last drill restored, per store (every table counted).",
            [.. legs.Where(l => l.Tables.Count > 0).Select(l => (Labels(("store", l.Store)), (double)l.Tables.Sum(t => t.RestoredRows ?? 0)))]);
        Metric(text, "gittensory_drill_table_restored_rows", "Rows the last drill restored, per store and table.",
            [.. legs.SelectMany(l => l.Tables.Where(t => t.RestoredRows is not null).DistinctBy(t => t.Name).Select(t => (Labels(("store", l.Store), ("table", t.Name)), (double)t.RestoredRows!.Value)))]);
        return text.ToString();
    }

    /// <summary>The last success a previous file recorded, or null.</summary>
    internal static double? ReadLastSuccess(IEnumerable<string> lines) =>
        lines.Where(l => l.StartsWith(LastSuccessMetric + " ", StringComparison.Ordinal))
            .Select(l => double.TryParse(l[(LastSuccessMetric.Length + 1)..].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : (double?)null)
            .LastOrDefault(v => v is not null);

    private static void Metric(StringBuilder text, string name, string help, IReadOnlyList<(string Labels, double Value)> samples)
    {
        if (samples.Count == 0)
        {
            return;
        }

        text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        text.Append("# TYPE ").Append(name).Append(" gauge\n");
        foreach (var (labels, value) in samples)
        {
            text.Append(name).Append(labels).Append(' ').Append(value.ToString("0.######", CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private static string Labels(params (string Name, string Value)[] labels) =>
        "{" + string.Join(',', labels.Select(l => $"{l.Name}=\"{Escape(l.Value)}\"")) + "}";

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string CheckWord(CheckVerdict verdict) => verdict switch
    {
        CheckVerdict.Passed => "passed",
        CheckVerdict.Failed => "failed",
        CheckVerdict.Warning => "warning",
        _ => "not_applicable",
    };
}
