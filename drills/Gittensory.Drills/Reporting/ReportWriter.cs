using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gittensory.Drills.Reporting;

/// <summary>Writes a drill report into its own dated folder, <c>&lt;reports&gt;/&lt;yyyyMMddTHHmmssZ&gt;-&lt;store&gt;-&lt;run id&gt;/</c>, as JSON and Markdown.</summary>
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

    /// <summary>Writes <c>report.json</c> and <c>report.md</c> and returns the folder; each file is written to a temporary name first, then renamed.</summary>
    public static async Task<string> WriteAsync(DrillReport report, string reportsRoot, string store, CancellationToken ct = default)
    {
        var folder = Path.Combine(reportsRoot, $"{report.StartedAt.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{store}-{report.RunId}");
        Directory.CreateDirectory(folder);
        await WriteAtomicallyAsync(Path.Combine(folder, "report.json"), JsonSerializer.Serialize(report, JsonOptions), ct);
        await WriteAtomicallyAsync(Path.Combine(folder, "report.md"), MarkdownReport.Render(report), ct);
        return folder;
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
        await File.WriteAllTextAsync(temporary, text, ct);
        File.Move(temporary, path, overwrite: true);
    }
}
