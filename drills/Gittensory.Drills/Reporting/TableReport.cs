namespace Gittensory.Drills.Reporting;

/// <summary>One table: the rows stored for it in the backup, and the rows found after the restore (null when absent).</summary>
public sealed record TableReport(string Name, long? ArchivedRows, long? RestoredRows)
{
    /// <summary>The table's schema, apart from its name (a '.' may be in either); null where the store has no schemas (SQLite).</summary>
    public string? Schema { get; init; }

    /// <summary>The table's own name, unquoted; null where <see cref="Name"/> is already just the name (SQLite).</summary>
    public string? Table { get; init; }
}
