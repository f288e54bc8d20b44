using Gittensory.Drills.Profiles;

namespace Gittensory.Drills.Checks;

/// <summary>
/// Per-table counts in the live database against the restored ones. Live may have grown since the backup; the check fails
/// only where a table is missing live, or the restored copy holds more rows than live in a table that only grows.
/// </summary>
public static class LiveComparisonCheck
{
    /// <summary>The check's name in reports.</summary>
    public const string Name = "live.row-counts";

    /// <summary>Compares restored tables with live ones.</summary>
    public static CheckResult Evaluate(DrillProfile profile, IReadOnlyList<TableFact> restored, IReadOnlyList<TableFact>? live, string? notAppliedReason = null)
    {
        const string title = "The live database has every restored table, and no fewer rows where rows are never deleted";
        if (live is null)
        {
            return CheckResult.NotApplicable(Name, title, notAppliedReason ?? "no live database given (-LiveDatabaseUrl)");
        }

        var liveRows = live.ToDictionary(t => t.Key, t => t.Rows);
        var problems = new List<string>();
        var differences = new List<string>();
        foreach (var table in restored)
        {
            if (!liveRows.TryGetValue(table.Key, out var rows))
            {
                problems.Add($"{table.QualifiedName} is missing in the live database");
                continue;
            }

            if (rows != table.Rows)
            {
                differences.Add($"{table.QualifiedName}: {table.Rows} restored, {rows} live ({rows - table.Rows:+#;-#;0})");
            }

            if (table.Rows > rows && profile.GrowOnlyTables.Contains(table.Name))
            {
                problems.Add($"{table.QualifiedName} only grows, yet the restored copy has {table.Rows} rows and live has {rows}: rows were lost live, or the backup is not of this database");
            }
        }

        var expected = $"every restored table live; live >= restored in {string.Join(", ", profile.GrowOnlyTables)}";
        return problems.Count == 0
            ? CheckResult.Pass(Name, title, expected, $"{restored.Count} tables compared, {differences.Count} differ (live grew since the backup)", differences)
            : CheckResult.Fail(Name, title, expected, problems[0], [.. problems, .. differences]);
    }
}
