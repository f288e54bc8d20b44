namespace Gittensory.Drills.Checks;

/// <summary>
/// No row refers to a parent row that does not exist (<c>PRAGMA foreign_key_check</c>). A broken reference is a warning,
/// not a failure: SQLite enforces foreign keys only on connections that turn them on, so the live database may hold the same rows.
/// </summary>
public static class ForeignKeyCheck
{
    /// <summary>The check's name in reports.</summary>
    public const string Name = "sqlite.foreign-keys";

    private const string Title = "No row refers to a missing parent row";

    /// <summary>Judges the declared foreign keys and the rows <c>PRAGMA foreign_key_check</c> reported.</summary>
    public static CheckResult Evaluate(long declared, IReadOnlyList<string> violations)
    {
        const string expected = "no row from PRAGMA foreign_key_check";
        if (declared == 0 && violations.Count == 0)
        {
            return CheckResult.NotApplicable(Name, Title, "the schema declares no foreign key");
        }

        if (violations.Count == 0)
        {
            return CheckResult.Pass(Name, Title, expected, $"{declared} foreign keys declared, none broken");
        }

        var count = violations.Count >= SqliteFactsReader.MaxViolations ? $"at least {violations.Count}" : violations.Count.ToString();
        return new CheckResult(Name, Title, expected,
            $"{count} rows refer to missing parent rows; the first: {violations[0]}. SQLite enforces foreign keys only on connections that turn them on, " +
            "so the live database may hold the same rows.",
            CheckVerdict.Warning, violations);
    }
}
