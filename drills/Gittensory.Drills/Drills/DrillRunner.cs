using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Reporting;

namespace Gittensory.Drills.Drills;

/// <summary>
/// Runs a whole drill: judges the backup set's health, picks the stores to drill (those asked for, or every store with
/// backups), runs each store's leg, and writes one dated report, also when the drill fails or cannot run.
/// </summary>
public static class DrillRunner
{
    /// <summary>The legs this version can drill, a fresh instance per drill; legs that compare stores share one <see cref="StoreHandoff"/>.</summary>
    public static IReadOnlyList<IStoreDrill> CreateLegs()
    {
        var handoff = new StoreHandoff();
        return [new PostgresDrill(handoff), new SqliteDrill(), new QdrantDrill(handoff)];
    }

    /// <summary>Runs the drill and writes its report; the outcome's report carries the verdict and exit code.</summary>
    public static Task<DrillOutcome> RunAsync(DrillOptions options, CancellationToken ct = default) => RunAsync(options, CreateLegs(), ct);

    /// <summary>Runs the drill with <paramref name="available"/> as its legs (in store order: Postgres before Qdrant, which needs its rows).</summary>
    internal static async Task<DrillOutcome> RunAsync(DrillOptions options, IReadOnlyList<IStoreDrill> available, CancellationToken ct)
    {
        var started = options.Clock.GetUtcNow();
        var legs = new List<LegReport>();
        IReadOnlyList<CheckResult> setChecks = [];
        string? problem = null;
        try
        {
            var root = BackupFinder.RequireRoot(options.BackupRoot);
            setChecks = await BackupSetHealth.EvaluateAsync(
                root, options.Profile.BackupPrefixes, options.Clock.GetUtcNow(), DrillAge.MaxAge(options), DrillAge.NotJudgedReason(options), ct);
            var stores = options.Stores ?? StoresToDrill(root, options);
            if (stores.Count == 0)
            {
                problem = $"No backups under '{root}': expected postgres/<prefix>-YYYYMMDDTHHMMSSZ.dump, sqlite/<prefix>-YYYYMMDDTHHMMSSZ.sqlite.gz " +
                          "or qdrant/*.snapshot. Check -BackupRoot points at the backups volume (loopover-backups).";
            }

            foreach (var store in Enum.GetValues<BackupStore>())
            {
                var name = BackupFinder.FolderOf(store);
                if (!stores.Contains(store))
                {
                    legs.Add(LegReport.Skipped(name, options.Stores is null ? $"no backups in {name}/" : $"not selected: -Store {string.Join(',', stores)}"));
                    continue;
                }

                var leg = available.FirstOrDefault(l => l.Store == store);
                legs.Add(leg is null
                    ? new LegReport { Store = name, Ran = false, Reason = $"this version cannot drill {store} backups", Verdict = DrillVerdict.Error, Problem = $"{store} backups cannot be drilled by this version." }
                    : await leg.RunAsync(options, ct));
            }
        }
        catch (BackupRejectedException e)
        {
            problem = e.Message;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            problem = "The drill was cancelled before it finished; everything it created was removed (unless kept).";
        }

        var setFailed = setChecks.FirstOrDefault(c => c.Verdict == CheckVerdict.Failed);
        var verdict = problem is not null
            ? DrillVerdict.Error
            : legs.Select(l => l.Verdict).Append(setFailed is null ? DrillVerdict.Passed : DrillVerdict.Failed).Max();
        var report = new DrillReport
        {
            RunId = options.RunId,
            Profile = options.Profile.Name,
            BackupRoot = Path.GetFullPath(options.BackupRoot),
            StartedAt = started,
            FinishedAt = options.Clock.GetUtcNow(),
            Verdict = verdict,
            Problem = problem
                ?? legs.FirstOrDefault(l => l.Verdict == verdict && l.Problem is not null)?.Problem
                ?? (setFailed is null ? null : $"{setFailed.Title}: {setFailed.Found}"),
            SetChecks = setChecks,
            Legs = legs,
        };

        var label = string.Join('+', legs.Where(l => l.Ran).Select(l => l.Store).DefaultIfEmpty("drill"));
        var folder = await ReportWriter.WriteAsync(report, options.ReportsRoot, label, CancellationToken.None);
        await options.Log.WriteLineAsync($"Drill {verdict}; report: {Path.Combine(folder, "report.md")}");
        return new DrillOutcome(report, folder);
    }

    /// <summary>The stores a drill without <see cref="DrillOptions.Stores"/> drills: the explicit backup's, else every store with backups.</summary>
    internal static HashSet<BackupStore> StoresToDrill(string root, DrillOptions options)
    {
        if (options.Backup is { } explicitBackup)
        {
            return [BackupName.StoreOf(explicitBackup)];
        }

        return [.. Enum.GetValues<BackupStore>().Where(s => BackupFinder.ListBackups(root, s, options.Profile.BackupPrefixes).Count > 0)];
    }
}
