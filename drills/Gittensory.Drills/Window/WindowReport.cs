namespace Gittensory.Drills.Window;

/// <summary>The offline verification of every retained database backup (docs/window.md): what each held, and what the byte budget left out.</summary>
public sealed record WindowReport
{
    /// <summary>The most bytes of backups the window reads (0: the window is off).</summary>
    public required long BudgetBytes { get; init; }

    /// <summary>The bytes of backups it read.</summary>
    public required long BytesRead { get; init; }

    /// <summary>Every retained Postgres dump and SQLite backup, per store oldest first, read or skipped.</summary>
    public required IReadOnlyList<WindowBackup> Backups { get; init; }

    /// <summary>The backups the budget left out, relative to the root.</summary>
    public IReadOnlyList<string> Skipped => [.. Backups.Where(b => b.Skipped is not null).Select(b => b.File)];

    /// <summary>The previous backup (the next older one of the same store) of <paramref name="file"/> that was read and counted, or null.</summary>
    public WindowBackup? PreviousOf(string file)
    {
        var index = Backups.ToList().FindIndex(b => b.File == file);
        if (index < 0)
        {
            return null;
        }

        var store = Backups[index].Store;
        return Backups.Take(index).LastOrDefault(b => b.Store == store && b.Counted);
    }
}
