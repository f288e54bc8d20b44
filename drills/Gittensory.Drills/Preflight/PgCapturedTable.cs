namespace Gittensory.Drills.Preflight;

/// <summary>The rows of one small table read from an archive's own COPY data (e.g. the migration ledger), so it can be compared across backups without a restore.</summary>
public sealed record PgCapturedTable
{
    /// <summary>The table, <c>schema.table</c> as in the TOC.</summary>
    public required string Table { get; init; }

    /// <summary>The column names, in the order of the archive's COPY statement.</summary>
    public required IReadOnlyList<string> Columns { get; init; }

    /// <summary>Each row's values, unescaped from COPY text (SQL NULL is null), in archive order.</summary>
    public required IReadOnlyList<IReadOnlyList<string?>> Rows { get; init; }

    /// <summary>True when the table's data was larger than the capture cap, so <see cref="Rows"/> holds only its first rows.</summary>
    public required bool Truncated { get; init; }

    /// <summary>The values of <paramref name="column"/>, or null when the table has no such column.</summary>
    public IReadOnlyList<string?>? ValuesOf(string column)
    {
        var index = Columns.ToList().IndexOf(column);
        return index < 0 ? null : [.. Rows.Select(r => index < r.Count ? r[index] : null)];
    }
}
