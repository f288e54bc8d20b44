namespace Gittensory.Drills.Backups;

/// <summary>
/// Which retained backup of each store a drill restores: the newest (default), the oldest, one chosen at random from a seed (the same
/// seed and window choose the same backup), or the one of a time stamp, as restore testing of other backup systems does.
/// </summary>
public sealed record RestorePoint
{
    /// <summary>Which kind of point.</summary>
    public required RestorePointKind Kind { get; init; }

    /// <summary>The time stamp of <see cref="RestorePointKind.At"/>; null otherwise.</summary>
    public DateTimeOffset? At { get; init; }

    /// <summary>The seed of <see cref="RestorePointKind.Random"/>; null otherwise.</summary>
    public int? Seed { get; init; }

    /// <summary>The newest complete backup, the default.</summary>
    public static RestorePoint Newest { get; } = new() { Kind = RestorePointKind.Newest };

    /// <summary>Parses <c>newest</c>, <c>oldest</c>, <c>random</c> (with <paramref name="seed"/>) or a time stamp <c>yyyyMMddTHHmmssZ</c>; null with <paramref name="error"/> when it is none of them.</summary>
    public static RestorePoint? Parse(string text, int? seed, out string? error)
    {
        error = null;
        var point = text.ToLowerInvariant() switch
        {
            "newest" => Newest,
            "oldest" => new RestorePoint { Kind = RestorePointKind.Oldest },
            "random" => new RestorePoint { Kind = RestorePointKind.Random, Seed = seed },
            _ => BackupName.TryParseTimestamp(text, out var ts) ? new RestorePoint { Kind = RestorePointKind.At, At = ts } : null,
        };
        if (point is null)
        {
            error = $"takes newest, oldest, random or a backup's time stamp like 20260704T090939Z; '{text}' is none of them";
        }
        else if (point.Kind == RestorePointKind.Random && seed is null)
        {
            error = "random needs a seed (the CLI draws one when none is given)";
            point = null;
        }

        return point;
    }

    /// <summary>How reports name it: <c>newest</c>, <c>oldest</c>, <c>random (seed 42)</c>, <c>20260704T090939Z</c>.</summary>
    public override string ToString() => Kind switch
    {
        RestorePointKind.Random => $"random (seed {Seed})",
        RestorePointKind.At => BackupName.FormatTimestamp(At!.Value),
        _ => Kind.ToString().ToLowerInvariant(),
    };

    /// <summary>The backup this point chooses among <paramref name="complete"/> (a store's complete backups, newest first), or null and why.</summary>
    public (BackupFile? Backup, string? Why) Choose(IReadOnlyList<BackupFile> complete, BackupStore store)
    {
        var folder = BackupFinder.FolderOf(store);
        if (complete.Count == 0)
        {
            return (null, $"No complete {folder}/ backup to choose restore point {this} from.");
        }

        switch (Kind)
        {
            case RestorePointKind.Oldest:
                return (complete[^1], null);
            case RestorePointKind.Random:
                return (complete[(int)(Mix((ulong)(uint)Seed!.Value) % (ulong)complete.Count)], null);
            case RestorePointKind.At when store == BackupStore.Qdrant:
                // A snapshot carries Qdrant's own time stamp, taken after the database backup of its run: the oldest at or after the point.
                var after = complete.Where(b => b.Timestamp >= At).MinBy(b => b.Timestamp);
                return after is null
                    ? (null, $"No qdrant/ snapshot was taken at or after restore point {this}; the newest is {complete[0].RelativePath}. Choose a point inside the window.")
                    : (after, null);
            case RestorePointKind.At:
                var exact = complete.FirstOrDefault(b => b.Timestamp == At);
                return exact is null
                    ? (null, $"No complete {folder}/ backup carries the time stamp {this} (restore point). The window holds: " +
                             $"{string.Join(", ", complete.Select(b => b.Timestamp is { } t ? BackupName.FormatTimestamp(t) : b.RelativePath))}. Give one of these, or newest, oldest or random.")
                    : (exact, null);
            default:
                return (complete[0], null);
        }
    }

    // SplitMix64: a fixed mixing of the seed, so the choice never depends on a library's random number generator.
    private static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
