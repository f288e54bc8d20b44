namespace Gittensory.Drills.Checks;

/// <summary>Every table in the archive's table of contents exists after the restore, and no other.</summary>
public static class TableSetCheck
{
    /// <summary>The check's name in reports.</summary>
    public const string Name = "postgres.tables";

    /// <summary>Compares the archive's tables, as (schema, table), with the restored ones.</summary>
    public static CheckResult Evaluate(IReadOnlyCollection<TableName> archivedTables, DatabaseFacts facts)
    {
        const string title = "Every table in the archive exists after the restore, and no other";
        var restored = facts.Tables.Select(t => t.Key).ToHashSet();
        var missing = archivedTables.Where(t => !restored.Contains(t)).Order().ToList();
        var extra = restored.Where(t => !archivedTables.Contains(t)).Order().ToList();
        var expected = $"{archivedTables.Count} tables, as in the archive";
        if (missing.Count == 0 && extra.Count == 0)
        {
            return CheckResult.Pass(Name, title, expected, $"{restored.Count} tables");
        }

        return CheckResult.Fail(Name, title, expected,
            $"{restored.Count} tables: {missing.Count} missing, {extra.Count} not in the archive",
            [.. missing.Select(t => $"missing after restore: {t}"), .. extra.Select(t => $"not in the archive: {t}")]);
    }
}
