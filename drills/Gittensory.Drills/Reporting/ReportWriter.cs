using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gittensory.Drills.Reporting;

/// <summary>Writes a drill report into its own dated folder, <c>&lt;reports&gt;/&lt;yyyyMMddTHHmmssZ&gt;-&lt;store&gt;-&lt;run id&gt;/</c>, as JSON, Markdown and HTML.</summary>
public static class ReportWriter
{
    /// <summary>The JSON options of <c>report.json</c>: camelCase, enums as strings, indented.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    /// <summary>How many drills the HTML report's trend shows, this one included.</summary>
    public const int TrendLength = 20;

    /// <summary>
    /// Writes <c>report.json</c>, <c>report.md</c> and <c>report.html</c> and returns the folder; each file is written to a temporary
    /// name first, then renamed. Holding the reports root's lock, it compares the drill with the previous one in
    /// <c>history.jsonl</c>, appends its own line there, and points <c>latest</c> at it (docs/reports.md);
    /// <paramref name="growOnlyTables"/> are the profile's tables that only grow, charted over the history.
    /// </summary>
    /// <exception cref="ReportNotWrittenException">The folder or a file in it cannot be written (read-only, full, gone); the message names it and the verdict.</exception>
    public static async Task<string> WriteAsync(DrillReport report, string reportsRoot, string store, IReadOnlyList<string>? growOnlyTables = null, CancellationToken ct = default)
    {
        var folder = Path.Combine(reportsRoot, $"{report.StartedAt.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{store}-{report.RunId}");
        try
        {
            Directory.CreateDirectory(folder);
            using var held = await ReportsRootLock.AcquireAsync(reportsRoot, ct: ct);
            var history = await DrillHistory.ReadAsync(reportsRoot, ct);
            var entry = HistoryEntry.From(report, reportsRoot, folder);
            var change = DrillChange.Between(DrillHistory.Previous(history, report), entry);
            var trend = DrillHistory.Of(history, report).Where(e => e.StartedAt < report.StartedAt).TakeLast(TrendLength - 1).Append(entry).ToList();
            await WriteAtomicallyAsync(Path.Combine(folder, "report.json"), JsonSerializer.Serialize(report, JsonOptions), ct);
            await WriteAtomicallyAsync(Path.Combine(folder, "report.md"), MarkdownReport.Render(report, change), ct);
            await WriteAtomicallyAsync(Path.Combine(folder, "report.html"), HtmlReport.Render(report, change, trend, growOnlyTables), ct);
            await DrillHistory.AppendAsync(reportsRoot, entry, ct);
            await LatestReport.UpdateAsync(reportsRoot, entry, ct);
            return folder;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ReportNotWrittenException(
                $"The drill finished ({report.Verdict.ToString().ToUpperInvariant()}, exit code {report.ExitCode}), but its report could not be written to " +
                $"'{Path.GetFullPath(folder)}' ({e.Message}), so its result is recorded nowhere. Free space there or give a writable -ReportDir, and drill again.", report, e);
        }
    }

    /// <summary>Reads a <c>report.json</c> back.</summary>
    public static async Task<JsonDocument> ReadJsonAsync(string folder, CancellationToken ct = default)
    {
        await using var stream = File.OpenRead(Path.Combine(folder, "report.json"));
        return await JsonDocument.ParseAsync(stream, cancellationToken: ct);
    }

    private static async Task WriteAtomicallyAsync(string path, string text, CancellationToken ct)
    {
        var temporary = path + ".tmp";
        try
        {
            await File.WriteAllTextAsync(temporary, text, ct);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A half-written temporary file is no report; leave nothing that looks like one.
            try
            {
                File.Delete(temporary);
            }
            catch (Exception again) when (again is IOException or UnauthorizedAccessException)
            {
                e.Data["cleanup"] = again.Message;
            }

            throw;
        }
    }
}
