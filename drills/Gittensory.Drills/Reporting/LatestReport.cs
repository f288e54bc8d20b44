using System.Text.Json;

namespace Gittensory.Drills.Reporting;

/// <summary>
/// The stable entry to the newest report of a reports root: <c>latest.json</c> (run id, start, verdict, exit code and the dated
/// folder) and <c>latest/</c>, a copy of that folder's report files. Plain files, not a symbolic link, so that CI artefact
/// uploads and zip files keep them. Updated holding <see cref="ReportsRootLock"/>, and only by a drill that started after
/// the one it points at.
/// </summary>
public static class LatestReport
{
    /// <summary>The pointer's file name in the reports root.</summary>
    public const string PointerFile = "latest.json";

    /// <summary>The copy's folder name in the reports root.</summary>
    public const string Folder = "latest";

    /// <summary>Points <c>latest</c> at <paramref name="entry"/>'s report unless a drill that started later already holds it; true when it did.</summary>
    public static async Task<bool> UpdateAsync(string reportsRoot, HistoryEntry entry, CancellationToken ct = default)
    {
        var pointer = Path.Combine(reportsRoot, PointerFile);
        if (File.Exists(pointer) && await ReadStartAsync(pointer, ct) is { } held && held > entry.StartedAt)
        {
            return false;
        }

        var source = Path.Combine(reportsRoot, entry.Report);
        var copy = Path.Combine(reportsRoot, Folder);
        Directory.CreateDirectory(copy);
        foreach (var stale in Directory.GetFiles(copy).Where(f => !File.Exists(Path.Combine(source, Path.GetFileName(f)))))
        {
            File.Delete(stale);
        }

        foreach (var file in Directory.GetFiles(source))
        {
            var target = Path.Combine(copy, Path.GetFileName(file));
            File.Copy(file, target + ".tmp", overwrite: true);
            File.Move(target + ".tmp", target, overwrite: true);
        }

        var json = JsonSerializer.Serialize(
            new { entry.RunId, entry.StartedAt, entry.FinishedAt, entry.Verdict, entry.ExitCode, Report = entry.Report, Copy = Folder },
            ReportWriter.JsonOptions);
        await File.WriteAllTextAsync(pointer + ".tmp", json, ct);
        File.Move(pointer + ".tmp", pointer, overwrite: true);
        return true;
    }

    private static async Task<DateTimeOffset?> ReadStartAsync(string pointer, CancellationToken ct)
    {
        try
        {
            await using var stream = File.OpenRead(pointer);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: ct);
            return document.RootElement.TryGetProperty("startedAt", out var started) && started.TryGetDateTimeOffset(out var at) ? at : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
