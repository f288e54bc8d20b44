using Gittensory.Drills.Reporting;

namespace Gittensory.Drills.Tests.Reporting;

/// <summary>The dated report folders in a reports root, without the <c>latest</c> copy that points at the newest of them.</summary>
internal static class DrillFolders
{
    public static IReadOnlyList<string> In(string reportsRoot) =>
        [.. Directory.GetDirectories(reportsRoot).Where(d => Path.GetFileName(d) != LatestReport.Folder).Order(StringComparer.Ordinal)];

    public static IReadOnlyList<string> ReportJsons(string reportsRoot) =>
        [.. In(reportsRoot).Select(d => Path.Combine(d, "report.json")).Where(File.Exists)];
}
