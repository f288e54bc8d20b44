namespace Gittensory.Drills.Checks;

/// <summary>Every table in the archive has its data in the archive too (a dump made with <c>--exclude-table-data</c> has not).</summary>
public static class TableDataCheck
{
    /// <summary>The check's name in reports.</summary>
    public const string Name = "postgres.table-data";

    /// <summary>Lists archived tables, as (schema, table), that have no TABLE DATA entry.</summary>
    public static CheckResult Evaluate(IReadOnlyCollection<TableName> archivedTables, IReadOnlyCollection<TableName> tablesWithData)
    {
        const string title = "Every table's data is in the archive";
        var withoutData = archivedTables.Where(t => !tablesWithData.Contains(t)).Order().Select(t => t.ToString()).ToList();
        var expected = $"a TABLE DATA entry for each of the {archivedTables.Count} tables";
        return withoutData.Count == 0
            ? CheckResult.Pass(Name, title, expected, $"{tablesWithData.Count} TABLE DATA entries")
            : CheckResult.Fail(Name, title, expected,
                $"{withoutData.Count} tables have no data in the archive (dumped with --exclude-table-data?): {string.Join(", ", withoutData.Take(5))}",
                withoutData);
    }
}
