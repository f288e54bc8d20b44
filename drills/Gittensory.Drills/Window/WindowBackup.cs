namespace Gittensory.Drills.Window;

/// <summary>What the offline read of one retained backup found: its digest, every table's rows, the ledger's names and the job counters.</summary>
public sealed record WindowBackup
{
    /// <summary>The store's folder: <c>postgres</c> or <c>sqlite</c>.</summary>
    public required string Store { get; init; }

    /// <summary>The backup, relative to the root.</summary>
    public required string File { get; init; }

    /// <summary>The time stamp in its name (when its run started).</summary>
    public required DateTimeOffset? Timestamp { get; init; }

    /// <summary>Its size in bytes.</summary>
    public required long Bytes { get; init; }

    /// <summary>The SHA-256 of the whole file, lowercase hex; null when it was not read to its end.</summary>
    public string? Sha256 { get; init; }

    /// <summary>Why the backup is not whole (cut short, a bad CRC, corrupt data...), or null when it is.</summary>
    public string? Problem { get; init; }

    /// <summary>Why its rows could not be counted although it is whole (e.g. an lz4 dump), or null.</summary>
    public string? NotCounted { get; init; }

    /// <summary>Why it was not read (the byte budget), or null when it was.</summary>
    public string? Skipped { get; init; }

    /// <summary>Every table's rows, by unqualified name (the profile's schema); empty when not counted.</summary>
    public IReadOnlyDictionary<string, long> Rows { get; init; } = new Dictionary<string, long>();

    /// <summary>The migration names in its ledger; null when not read or the table is missing.</summary>
    public IReadOnlyList<string>? Migrations { get; init; }

    /// <summary>The job counters by name; null when not read or the table is missing.</summary>
    public IReadOnlyDictionary<string, long>? JobStats { get; init; }

    /// <summary>How long reading it took, in seconds.</summary>
    public double Seconds { get; init; }

    /// <summary>True when it was read to its end and its rows counted.</summary>
    public bool Counted => Skipped is null && Problem is null && NotCounted is null;
}
