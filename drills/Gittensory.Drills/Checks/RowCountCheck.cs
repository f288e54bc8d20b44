namespace Gittensory.Drills.Checks;

/// <summary>
/// Each table's exact row count equals the number of rows stored for it in the archive itself (counted from the archive's
/// data, independently of the restored database), so an empty schema or a lost table's data can never pass.
/// </summary>
public static class RowCountCheck
{
    /// <summary>The check's name in reports.</summary>
    public const string Name = "postgres.row-counts";

    /// <summary>Compares per-table rows counted in the archive ((schema, table) → rows) with the restored counts.</summary>
    public static CheckResult Evaluate(IReadOnlyDictionary<TableName, long> archivedRows, DatabaseFacts facts)
    {
        const string title = "Every table holds exactly the rows stored for it in the archive";
        var restored = facts.Tables.ToDictionary(t => t.Key, t => t.Rows);
        var mismatches = new List<string>();
        foreach (var (table, rows) in archivedRows.OrderBy(p => p.Key))
        {
            if (!restored.TryGetValue(table, out var found))
            {
                mismatches.Add($"{table}: {rows} rows in the archive, table missing after restore");
            }
            else if (found != rows)
            {
                mismatches.Add($"{table}: {rows} rows in the archive, {found} restored");
            }
        }

        var total = archivedRows.Values.Sum();
        var expected = $"{total} rows in {archivedRows.Count} tables, as counted in the archive";
        return mismatches.Count == 0
            ? CheckResult.Pass(Name, title, expected, $"{restored.Values.Sum()} rows, every table's count equal")
            : CheckResult.Fail(Name, title, expected, $"{mismatches.Count} tables differ: {mismatches[0]}", mismatches);
    }
}
