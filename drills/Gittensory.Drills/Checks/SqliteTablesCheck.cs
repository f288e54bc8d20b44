namespace Gittensory.Drills.Checks;

/// <summary>The database has tables and every one of them was read to an exact row count.</summary>
public static class SqliteTablesCheck
{
    /// <summary>The check's name in reports.</summary>
    public const string Name = "sqlite.tables";

    private const string Title = "Every table of the database is read and counted";
    private const string Expected = "at least one table, and an exact count(*) of each";

    /// <summary>Judges the tables read from the database.</summary>
    public static CheckResult Evaluate(IReadOnlyList<TableFact> tables) =>
        tables.Count == 0
            ? CheckResult.Fail(Name, Title, Expected, "the database holds no table at all")
            : CheckResult.Pass(Name, Title, Expected, $"{tables.Count} tables, {tables.Sum(t => t.Rows):N0} rows");

    /// <summary>The check failed because a table could not be read (<paramref name="problem"/> names it).</summary>
    public static CheckResult Unreadable(string problem) => CheckResult.Fail(Name, Title, Expected, problem);
}
