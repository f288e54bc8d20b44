using System.Text;
using System.Text.Json;

namespace Gittensory.Drills.Reporting;

/// <summary>The reports root's <c>history.jsonl</c>: one JSON line per drill, oldest first, appended under <see cref="ReportsRootLock"/>.</summary>
public static class DrillHistory
{
    /// <summary>The history file's name in the reports root.</summary>
    public const string FileName = "history.jsonl";

    private static readonly JsonSerializerOptions LineOptions = new(ReportWriter.JsonOptions) { WriteIndented = false };

    /// <summary>Every readable line of the history of <paramref name="reportsRoot"/>, oldest first; a line cut short or not JSON is passed over.</summary>
    public static async Task<IReadOnlyList<HistoryEntry>> ReadAsync(string reportsRoot, CancellationToken ct = default)
    {
        var path = Path.Combine(reportsRoot, FileName);
        if (!File.Exists(path))
        {
            return [];
        }

        var entries = new List<HistoryEntry>();
        foreach (var line in await File.ReadAllLinesAsync(path, ct))
        {
            if (Parse(line) is { } entry)
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    /// <summary>The entry as one line of JSON, without its newline.</summary>
    public static string Serialize(HistoryEntry entry) => JsonSerializer.Serialize(entry, LineOptions);

    /// <summary>Appends <paramref name="entry"/> as one line, in one write; call it holding the reports root's <see cref="ReportsRootLock"/>.</summary>
    public static async Task AppendAsync(string reportsRoot, HistoryEntry entry, CancellationToken ct = default)
    {
        await using var stream = new FileStream(Path.Combine(reportsRoot, FileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        var cutShort = false;
        if (stream.Length > 0)
        {
            // A last line cut short (a full disk, a killed writer) must not swallow this one: start on a line of its own.
            stream.Seek(-1, SeekOrigin.End);
            cutShort = stream.ReadByte() != '\n';
        }

        var bytes = Encoding.UTF8.GetBytes((cutShort ? "\n" : "") + Serialize(entry) + "\n");
        stream.Seek(0, SeekOrigin.End);
        await stream.WriteAsync(bytes, ct);
        await stream.FlushAsync(ct);
    }

    /// <summary>The newest drill before <paramref name="report"/> of the same backups root and profile, or null when this is the first.</summary>
    public static HistoryEntry? Previous(IReadOnlyList<HistoryEntry> history, DrillReport report) =>
        Of(history, report).Where(e => e.StartedAt < report.StartedAt).MaxBy(e => e.StartedAt);

    /// <summary>The drills of the same backups root and profile as <paramref name="report"/>, oldest first.</summary>
    public static IEnumerable<HistoryEntry> Of(IReadOnlyList<HistoryEntry> history, DrillReport report) =>
        history.Where(e => e.RunId != report.RunId && e.BackupRoot == report.BackupRoot && e.Profile == report.Profile).OrderBy(e => e.StartedAt);

    private static HistoryEntry? Parse(string line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<HistoryEntry>(line, LineOptions);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
