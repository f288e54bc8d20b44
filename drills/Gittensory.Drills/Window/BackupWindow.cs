using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Pipeline;

namespace Gittensory.Drills.Window;

/// <summary>
/// The retention window, verified offline without a container (docs/window.md): every retained Postgres dump and SQLite backup
/// read whole, one at a time in constant memory, newest first across the stores until the byte budget is spent; then, per store in
/// time order, what may never shrink from one backup to the next.
/// </summary>
public static class BackupWindow
{
    /// <summary>The default byte budget (32 GiB): seven LoopOver-sized dumps of each store, with room.</summary>
    public const long DefaultBudgetBytes = 32L << 30;

    /// <summary>Reads the window of <paramref name="stores"/> in <paramref name="set"/>; returns what it found and its checks (<c>window.*</c>).</summary>
    public static async Task<(WindowReport Report, IReadOnlyList<CheckResult> Checks)> VerifyAsync(
        DrillOptions options, BackupSet set, IReadOnlySet<BackupStore> stores, CancellationToken ct = default)
    {
        var budget = options.WindowBudgetBytes;
        if (budget == 0)
        {
            return (new WindowReport { BudgetBytes = 0, BytesRead = 0, Backups = [] },
                [CheckResult.NotApplicable(WindowChecks.BudgetName, "Every retained backup was read within the window's byte budget", "the window is off (--window-budget 0): only the drilled backup was read")]);
        }

        var queue = Enum.GetValues<BackupStore>()
            .Where(s => s is BackupStore.Postgres or BackupStore.Sqlite && stores.Contains(s))
            .SelectMany(s => set[s].Backups.Select((b, rank) => (Backup: b, Rank: rank)))
            .OrderBy(p => p.Rank).ThenBy(p => p.Backup.Store)
            .Select(p => p.Backup)
            .ToList();
        var read = new Dictionary<string, WindowBackup>(StringComparer.Ordinal);
        long spent = 0;
        foreach (var backup in queue)
        {
            WindowBackup result;
            if (!backup.MayBeComplete)
            {
                result = Skipped(backup, $"not read: the scan found it {backup.Completion?.Detail} (see the set's checks)");
            }
            else if (spent + backup.Bytes > budget)
            {
                result = Skipped(backup, $"not read: its {backup.Bytes:N0} bytes would take the window past its budget of {budget:N0} bytes ({spent:N0} read); raise --window-budget (-WindowBudget)");
            }
            else
            {
                await options.Log.WriteLineAsync($"window: reading {backup.RelativePath} ({backup.Bytes:N0} bytes)");
                spent += backup.Bytes;
                result = backup.Store == BackupStore.Postgres
                    ? await PgDumpWindowReader.ReadAsync(backup, options.Profile, ct)
                    : await SqliteWindowReader.ReadAsync(backup, options.Profile, options.TempRoot ?? Path.GetTempPath(), options.RunId, options.MaxExpansionRatio, ct);
            }

            read[backup.RelativePath] = result;
        }

        // Per store, oldest first: the order the backups were taken in.
        var ordered = queue.Select(b => b.Store).Distinct()
            .SelectMany(s => set[s].Backups.Reverse().Select(b => read[b.RelativePath]))
            .ToList();
        var report = new WindowReport { BudgetBytes = budget, BytesRead = spent, Backups = ordered };
        var checks = new List<CheckResult>();
        if (ordered.Count == 0)
        {
            return (report, checks);
        }

        checks.AddRange(ordered.Select(WindowChecks.Backup));
        checks.Add(WindowChecks.Budget(report));
        foreach (var store in ordered.Select(b => b.Store).Distinct())
        {
            var counted = ordered.Where(b => b.Store == store && b.Counted).ToList();
            checks.Add(WindowChecks.GrowOnly(options.Profile, store, counted));
            checks.Add(WindowChecks.Migrations(options.Profile, store, counted));
            checks.Add(WindowChecks.JobStats(options.Profile, store, counted));
        }

        return (report, checks);
    }

    private static WindowBackup Skipped(BackupFile backup, string why) => new()
    {
        Store = BackupFinder.FolderOf(backup.Store),
        File = backup.RelativePath,
        Timestamp = backup.Timestamp,
        Bytes = backup.Bytes,
        Skipped = why,
    };
}
