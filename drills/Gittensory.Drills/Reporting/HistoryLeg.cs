namespace Gittensory.Drills.Reporting;

/// <summary>One store's leg in a <see cref="HistoryEntry"/>: the backup, its verdict, restore time, recovery point and each table's restored rows.</summary>
public sealed record HistoryLeg
{
    /// <summary>The store: <c>postgres</c>, <c>sqlite</c> or <c>qdrant</c>.</summary>
    public required string Store { get; init; }

    /// <summary>The leg's verdict.</summary>
    public required DrillVerdict Verdict { get; init; }

    /// <summary>The backup drilled, relative to the backups root.</summary>
    public string? Backup { get; init; }

    /// <summary>The backup's SHA-256.</summary>
    public string? Sha256 { get; init; }

    /// <summary>The backup's time stamp.</summary>
    public DateTimeOffset? BackupTimestamp { get; init; }

    /// <summary>Seconds the restore took: the leg's <c>restore</c> and <c>expand</c> phases (null when it has neither).</summary>
    public double? RestoreSeconds { get; init; }

    /// <summary>Minutes between the newest activity and the backup's time stamp.</summary>
    public double? RecoveryPointMinutes { get; init; }

    /// <summary>The leg's phases and their seconds.</summary>
    public IReadOnlyDictionary<string, double> Phases { get; init; } = new Dictionary<string, double>();

    /// <summary>Each table's rows after the restore (tables that were not restored are absent).</summary>
    public IReadOnlyDictionary<string, long> Rows { get; init; } = new Dictionary<string, long>();

    /// <summary>The phases that make up a restore, by name.</summary>
    public static readonly IReadOnlySet<string> RestorePhases = new HashSet<string>(StringComparer.Ordinal) { "restore", "expand" };

    /// <summary>The history line of one leg of a report.</summary>
    public static HistoryLeg From(LegReport leg)
    {
        var restore = leg.Phases.Where(p => RestorePhases.Contains(p.Name)).ToList();
        return new HistoryLeg
        {
            Store = leg.Store,
            Verdict = leg.Verdict,
            Backup = leg.Backup?.File,
            Sha256 = leg.Backup?.Sha256,
            BackupTimestamp = leg.Backup?.Timestamp,
            RestoreSeconds = restore.Count == 0 ? null : Math.Round(restore.Sum(p => p.Seconds), 3),
            RecoveryPointMinutes = leg.RecoveryPointMinutes,
            Phases = HistoryEntry.Sum(leg.Phases),
            Rows = leg.Tables.Where(t => t.RestoredRows is not null)
                .GroupBy(t => t.Name, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().RestoredRows!.Value, StringComparer.Ordinal),
        };
    }
}
