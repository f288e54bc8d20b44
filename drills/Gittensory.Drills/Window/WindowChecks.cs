using System.Globalization;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Profiles;

namespace Gittensory.Drills.Window;

/// <summary>The checks of the retention window: one per retained backup (<c>window.&lt;file&gt;</c>), the byte budget, and per store what may never shrink from one backup to the next.</summary>
public static class WindowChecks
{
    /// <summary>The name of the check of the byte budget.</summary>
    public const string BudgetName = "window.budget";

    /// <summary>The name of the check of one retained backup, e.g. <c>window.postgres/loopover-20260704T090939Z.dump</c>.</summary>
    public static string NameOf(string file) => $"window.{file}";

    /// <summary>The name of the check that grow-only tables never shrink in <paramref name="store"/>'s backups.</summary>
    public static string GrowOnlyName(string store) => $"window.grow-only.{store}";

    /// <summary>The name of the check that the ledger never loses a name in <paramref name="store"/>'s backups.</summary>
    public static string MigrationsName(string store) => $"window.migrations.{store}";

    /// <summary>The name of the check that the job counters never go down in <paramref name="store"/>'s backups.</summary>
    public static string JobStatsName(string store) => $"window.job-stats.{store}";

    /// <summary>The check of one retained backup read offline.</summary>
    public static CheckResult Backup(WindowBackup backup)
    {
        var title = $"Retained backup {backup.File} is whole when read offline";
        var expected = backup.Store == "postgres"
            ? "the archive read to its end, every table's rows counted from its data, its SHA-256 recorded"
            : "every gzip member's CRC-32 and length as recorded, integrity_check ok, every table's rows counted, its SHA-256 recorded";
        if (backup.Skipped is { } skipped)
        {
            return CheckResult.NotApplicable(NameOf(backup.File), title, skipped);
        }

        if (backup.Problem is { } problem)
        {
            return CheckResult.Fail(NameOf(backup.File), title, expected, problem);
        }

        var rows = backup.Rows.Values.Sum();
        if (backup.NotCounted is { } why)
        {
            return new CheckResult(NameOf(backup.File), title, expected, $"read to its end ({backup.Bytes:N0} bytes, SHA-256 {backup.Sha256}), rows not counted: {why}", CheckVerdict.Warning, []);
        }

        return CheckResult.Pass(NameOf(backup.File), title, expected,
            string.Create(CultureInfo.InvariantCulture, $"{backup.Rows.Count} tables, {rows:N0} rows, {backup.Bytes:N0} bytes, SHA-256 {backup.Sha256}, read in {backup.Seconds:0.00} s"));
    }

    /// <summary>The byte budget: passed when every retained backup was read, a warning naming those it left out.</summary>
    public static CheckResult Budget(WindowReport window)
    {
        const string title = "Every retained backup was read within the window's byte budget";
        var expected = $"at most {window.BudgetBytes:N0} bytes of backups read (--window-budget)";
        if (window.Skipped.Count == 0)
        {
            return CheckResult.Pass(BudgetName, title, expected, $"{window.Backups.Count} backups, {window.BytesRead:N0} bytes read");
        }

        var over = window.Backups.Where(b => b.Skipped is not null).ToList();
        return new CheckResult(BudgetName, title, expected,
            $"{window.BytesRead:N0} bytes read; {over.Count} backups ({over.Sum(b => b.Bytes):N0} bytes) not read within the budget: {string.Join(", ", over.Select(b => b.File))}. " +
            "Raise --window-budget (-WindowBudget) to verify them too.",
            CheckVerdict.Warning, [.. over.Select(b => $"{b.File}: {b.Skipped}")]);
    }

    /// <summary>From one store's counted backups, oldest first: no grow-only table of the profile has fewer rows in a backup than in the one before it; pruned tables may.</summary>
    public static CheckResult GrowOnly(DrillProfile profile, string store, IReadOnlyList<WindowBackup> oldestFirst)
    {
        var title = $"Tables that only grow never shrink from one {store} backup to the next";
        var grow = profile.GrowOnlyTables;
        if (grow.Count == 0)
        {
            return CheckResult.NotApplicable(GrowOnlyName(store), title, $"profile '{profile.Name}' names no grow-only table");
        }

        var expected = $"{string.Join(", ", grow)}: never fewer rows than in the backup before (pruned tables may shrink)";
        if (oldestFirst.Count < 2)
        {
            return CheckResult.NotApplicable(GrowOnlyName(store), title, $"{oldestFirst.Count} {store} backup(s) counted: nothing to compare");
        }

        var losses = new List<string>();
        var allowed = new List<string>();
        foreach (var (older, newer) in oldestFirst.Zip(oldestFirst.Skip(1)))
        {
            foreach (var table in grow)
            {
                if (older.Rows.TryGetValue(table, out var before) && newer.Rows.TryGetValue(table, out var after) && after < before)
                {
                    losses.Add($"{table}: {before:N0} rows in {older.File}, but {after:N0} in the newer {newer.File} ({before - after:N0} rows lost)");
                }
                else if (older.Rows.ContainsKey(table) && !newer.Rows.ContainsKey(table))
                {
                    losses.Add($"{table}: {older.Rows[table]:N0} rows in {older.File}, but the table is missing from the newer {newer.File}");
                }
            }

            foreach (var table in profile.PrunedTables)
            {
                if (older.Rows.TryGetValue(table, out var before) && newer.Rows.TryGetValue(table, out var after) && after < before)
                {
                    allowed.Add($"{table} (pruned, may shrink): {before:N0} rows in {older.File}, {after:N0} in {newer.File}");
                }
            }
        }

        var pairs = $"{oldestFirst.Count - 1} consecutive pairs of {oldestFirst.Count} {store} backups ({oldestFirst[0].File} to {oldestFirst[^1].File})";
        return losses.Count == 0
            ? CheckResult.Pass(GrowOnlyName(store), title, expected, $"no grow-only table shrank over {pairs}", allowed)
            : CheckResult.Fail(GrowOnlyName(store), title, expected,
                $"{losses[0]}{(losses.Count > 1 ? $" (and {losses.Count - 1} more)" : "")}: data was lost between the two backups; restore the older one to get it back",
                [.. losses, .. allowed]);
    }

    /// <summary>From one store's counted backups, oldest first: no migration name in a backup's ledger is missing from the next backup's.</summary>
    public static CheckResult Migrations(DrillProfile profile, string store, IReadOnlyList<WindowBackup> oldestFirst)
    {
        var title = $"The migration ledger never loses a name from one {store} backup to the next";
        if (profile.MigrationLedger is not { } ledger)
        {
            return CheckResult.NotApplicable(MigrationsName(store), title, $"profile '{profile.Name}' names no migration ledger");
        }

        var read = oldestFirst.Where(b => b.Migrations is not null).ToList();
        if (read.Count < 2)
        {
            return CheckResult.NotApplicable(MigrationsName(store), title, $"{read.Count} {store} backup(s) with a readable {ledger.Table}: nothing to compare");
        }

        var expected = $"every name in {ledger.Table} still there in the next backup";
        var lost = new List<string>();
        foreach (var (older, newer) in read.Zip(read.Skip(1)))
        {
            var kept = newer.Migrations!.ToHashSet(StringComparer.Ordinal);
            lost.AddRange(older.Migrations!.Where(n => !kept.Contains(n)).Order(StringComparer.Ordinal)
                .Select(n => $"{n}: in {ledger.Table} of {older.File}, missing from the newer {newer.File}"));
        }

        return lost.Count == 0
            ? CheckResult.Pass(MigrationsName(store), title, expected, $"no name lost over {read.Count} {store} backups ({read[^1].Migrations!.Count} names in the newest)")
            : CheckResult.Fail(MigrationsName(store), title, expected,
                $"{lost[0]}{(lost.Count > 1 ? $" (and {lost.Count - 1} more)" : "")}: the ledger lost a row, so booting the newer backup would run that migration again", lost);
    }

    /// <summary>From one store's counted backups, oldest first: no job counter is smaller in a backup than in the one before it, and none disappears.</summary>
    public static CheckResult JobStats(DrillProfile profile, string store, IReadOnlyList<WindowBackup> oldestFirst)
    {
        var title = $"The job counters never go down from one {store} backup to the next";
        if (profile.Jobs is not { } jobs)
        {
            return CheckResult.NotApplicable(JobStatsName(store), title, $"profile '{profile.Name}' names no job queue");
        }

        var read = oldestFirst.Where(b => b.JobStats is not null).ToList();
        if (read.Count < 2)
        {
            return CheckResult.NotApplicable(JobStatsName(store), title, $"{read.Count} {store} backup(s) with a readable {jobs.StatsTable}: nothing to compare");
        }

        var expected = $"every counter in {jobs.StatsTable} at least its value in the backup before";
        var problems = new List<string>();
        foreach (var (older, newer) in read.Zip(read.Skip(1)))
        {
            problems.AddRange(CounterDrops(jobs, older.JobStats!, older.File, newer.JobStats!, newer.File));
        }

        return problems.Count == 0
            ? CheckResult.Pass(JobStatsName(store), title, expected, $"no counter went down over {read.Count} {store} backups")
            : CheckResult.Fail(JobStatsName(store), title, expected,
                $"{problems[0]}{(problems.Count > 1 ? $" (and {problems.Count - 1} more)" : "")}: counters only grow, so the newer backup lost data", problems);
    }

    /// <summary>Each counter of <paramref name="older"/> that is smaller, or gone, in <paramref name="newer"/>, as a sentence naming both backups and both values.</summary>
    public static IEnumerable<string> CounterDrops(JobQueueProfile jobs, IReadOnlyDictionary<string, long> older, string olderName, IReadOnlyDictionary<string, long> newer, string newerName)
    {
        foreach (var (name, before) in older.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!newer.TryGetValue(name, out var after))
            {
                yield return $"{jobs.StatsTable} counter {name}: {before:N0} in {olderName}, missing from the newer {newerName}";
            }
            else if (after < before)
            {
                yield return $"{jobs.StatsTable} counter {name}: {before:N0} in {olderName}, but {after:N0} in the newer {newerName}";
            }
        }
    }
}
