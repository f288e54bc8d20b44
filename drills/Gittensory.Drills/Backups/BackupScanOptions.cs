namespace Gittensory.Drills.Backups;

/// <summary>What <see cref="BackupSetScan.ScanAsync"/> scans and how it judges what it finds.</summary>
public sealed record BackupScanOptions
{
    /// <summary>The backups root (the folder holding <c>postgres/</c>, <c>sqlite/</c>, <c>qdrant/</c> and <c>manifest.json</c>).</summary>
    public required string Root { get; init; }

    /// <summary>The name prefixes of the profile's backups, the preferred first (<c>loopover</c>, then <c>gittensory</c>).</summary>
    public required IReadOnlyList<string> Prefixes { get; init; }

    /// <summary>When the scan judges the set (the drill's clock), for the age checks.</summary>
    public required DateTimeOffset Now { get; init; }

    /// <summary>The oldest a store's newest complete backup may be; null: age is not judged (not applicable).</summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary>Why age is not judged in this drill (e.g. the bundled sample set), shown in the age checks; null: it is judged.</summary>
    public string? AgeNotJudgedReason { get; init; }

    /// <summary>The operator's <c>-Backup</c>: chosen for its store instead of the newest; null: the newest complete backup of each store.</summary>
    public string? ExplicitBackup { get; init; }

    /// <summary>The store <see cref="ExplicitBackup"/> is for; null: the store its extension says (<see cref="BackupName.StoreOf"/>).</summary>
    public BackupStore? ExplicitStore { get; init; }

    /// <summary>Which complete backup of each store is chosen when none is named (default: the newest); see <see cref="Backups.RestorePoint"/>.</summary>
    public RestorePoint RestorePoint { get; init; } = RestorePoint.Newest;

    /// <summary>How many bytes at the end of a dump the scan reads to find its last data block (default 1 MiB).</summary>
    public int TailWindowBytes { get; init; } = 1 << 20;
}
