namespace Gittensory.Drills.Preflight;

/// <summary>Row counts read from an archive's own data, the independent count a restored database is compared against.</summary>
public sealed record PgArchiveRowCounts
{
    /// <summary>The archive's path, as given to the reader.</summary>
    public required string File { get; init; }

    /// <summary>Whether the rows were counted; <see cref="PgRowCountStatus.NotSupported"/> is a distinct outcome, never a pass.</summary>
    public required PgRowCountStatus Status { get; init; }

    /// <summary>Why the rows were not counted, naming the cause and what would allow it; null when counted.</summary>
    public required string? Reason { get; init; }

    /// <summary>Rows per table (<c>schema.table</c>, as in the TOC) from COPY data, one row per line; empty unless counted.</summary>
    public required IReadOnlyDictionary<Checks.TableName, long> Tables { get; init; }

    /// <summary>The rows of the tables the caller asked to keep, by <c>schema.table</c>; empty unless asked and counted.</summary>
    public IReadOnlyDictionary<string, PgCapturedTable> Captured { get; init; } = new Dictionary<string, PgCapturedTable>();

    /// <summary>How many large objects the archive holds (skipped, not counted as rows).</summary>
    public required long LargeObjects { get; init; }

    /// <summary>The SHA-256 of the whole file, lowercase hex, computed in the same pass.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Bytes read, which is the file's length.</summary>
    public required long BytesRead { get; init; }
}
