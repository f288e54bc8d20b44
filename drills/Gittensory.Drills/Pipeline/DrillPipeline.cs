using System.Globalization;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Boot;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Profiles;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Stores.Postgres;
using Gittensory.Drills.Stores.Qdrant;
using Gittensory.Drills.Stores.Sqlite;
using Gittensory.Drills.Window;

namespace Gittensory.Drills.Pipeline;

/// <summary>
/// Runs a whole drill as one pipeline over one sandbox: scan the backup set once; read every chosen backup offline while the
/// sandbox starts; restore every store side by side and measure each before anything can change it; check the stores against
/// each other in the restored copies; boot the application on the database the install uses; tear everything down; write one
/// dated report, also when the drill fails or cannot run.
/// </summary>
public static class DrillPipeline
{
    /// <summary>Runs the drill and writes its report; the outcome's report carries the verdict and exit code.</summary>
    /// <exception cref="ReportNotWrittenException">The report folder cannot be written: found before the drill starts, or at its end.</exception>
    public static Task<DrillOutcome> RunAsync(DrillOptions options, CancellationToken ct = default) => RunAsync(options, DrillServices.Production, ct);

    /// <summary>Runs the drill with <paramref name="services"/> (tests: a Qdrant stand-in).</summary>
    internal static async Task<DrillOutcome> RunAsync(DrillOptions options, DrillServices services, CancellationToken ct)
    {
        // A signal (options.Cancellation) and the caller's token stop the drill the same way.
        using var linked = options.Cancellation is { } outside ? CancellationTokenSource.CreateLinkedTokenSource(ct, outside.Token) : null;
        ct = linked?.Token ?? ct;
        ReportFolderProbe.Check(options.ReportsRoot, options.RunId);
        var started = options.Clock.GetUtcNow();
        var origin = PhaseClock.Now;
        var drill = new LegRecorder("drill", options.Log);
        var phases = drill.Phases;
        var legs = new Dictionary<BackupStore, LegReport>();
        var modules = new List<IStoreModule>();
        IReadOnlyList<CheckResult> setChecks = [];
        var lease = SandboxLease.None;
        WindowReport? window = null;
        string? problem = null;
        try
        {
            var bootInputs = AppBoot.Validate(options.BootApp);
            if (NeedsContainersBeforeTheScan(options, services))
            {
                lease = SandboxLease.Start(options.RunId, options.KeepSandbox, options.EngineIsRemote, options.Log, ct);
            }

            var (checks, selections, skipped, scanned) = await drill.TimedAsync("scan", token => ScanAsync(options, token), ct);
            var set = scanned;
            setChecks = checks;
            foreach (var (store, leg) in skipped)
            {
                legs[store] = leg;
            }

            if (options.WindowOnly)
            {
                foreach (var store in selections.Keys)
                {
                    legs[store] = skipped[store] = LegReport.Skipped(BackupFinder.FolderOf(store), "not restored: --window-only reads the retention window offline only");
                }

                selections.Clear();
                (window, var windowChecks) = await drill.TimedAsync("window", token => BackupWindow.VerifyAsync(options, set, StoresToDrill(options, set), token), ct);
                setChecks = [.. setChecks, .. windowChecks];
            }

            await ImagePreflight.RequireAsync(options, selections.Keys.ToHashSet(), services.QdrantHost is null, ct);
            var laterStagesQuery = LaterStagesQueryTheDatabase(options, selections.Keys);
            modules.AddRange(selections.Select(s => CreateModule(options, services, s.Key, s.Value, laterStagesQuery)));
            if (selections.Count == 0 && !options.WindowOnly && skipped.Values.All(l => l.Verdict != DrillVerdict.Error))
            {
                problem = $"No backups under '{Path.GetFullPath(options.BackupRoot)}': expected postgres/<prefix>-YYYYMMDDTHHMMSSZ.dump, sqlite/<prefix>-YYYYMMDDTHHMMSSZ.sqlite.gz " +
                          "or qdrant/*.snapshot. Check -BackupRoot points at the backups volume (loopover-backups).";
            }

            var bootOn = options.BootApp is null ? null : BootTarget(options, modules);
            if (modules.Count > 0)
            {
                if (lease == SandboxLease.None && (modules.Any(m => m.NeedsEngine) || options.BootApp is not null))
                {
                    lease = SandboxLease.Start(options.RunId, options.KeepSandbox, options.EngineIsRemote, options.Log, ct);
                }

                await drill.TimedAsync("stores", token => Task.WhenAll(modules.Select(m => m.RunAsync(lease, token))), ct);
                ct.ThrowIfCancellationRequested(); // each leg records its own cancellation; the drill stops here
                (set, setChecks) = await RedrillChangedAsync(options, services, lease, modules, skipped, set, drill, ct);
                (window, var windowChecks) = await drill.TimedAsync("window", token => BackupWindow.VerifyAsync(options, set, StoresToDrill(options, set), token), ct);
                setChecks = [.. setChecks, .. windowChecks];
                JobStateStage.Apply(options, modules, window);
                await drill.TimedAsync("cross-store", token => CrossStoreAsync(options, modules, set, token), ct);
                if (bootOn is not null)
                {
                    await drill.TimedAsync("boot", token => BootAsync(options, bootInputs, lease, bootOn, modules, token), ct);
                }
            }
        }
        catch (DrillAbortedException e)
        {
            problem = e.Message;
        }
        catch (BackupRejectedException e)
        {
            problem = e.Message;
        }
        catch (AppBootRefusedException e)
        {
            problem = e.Message;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Said below, once the unfinished phases are known.
        }
        finally
        {
            await drill.TimedAsync("teardown", _ => TeardownAsync(modules, lease), CancellationToken.None);
        }

        foreach (var module in modules)
        {
            var leg = module.Report();
            legs[module.Store] = leg with { Phases = [.. leg.Phases.Select(p => Rebased(p, origin))], Jobs = (module as IDatabaseStore)?.Restored?.Facts.Jobs };
        }

        var ordered = Enum.GetValues<BackupStore>().Where(legs.ContainsKey).Select(s => legs[s]).ToList();
        var setFailed = setChecks.FirstOrDefault(c => c.Verdict == CheckVerdict.Failed);
        var cancelledBy = !ct.IsCancellationRequested ? null : options.Cancellation?.Signal ?? "the caller's cancellation token";
        if (cancelledBy is not null)
        {
            problem = DrillCancellation.Problem(cancelledBy, DrillCancellation.UnfinishedPhases(ordered, phases), options.KeepSandbox);
            await options.Log.WriteLineAsync(problem);
        }

        var verdict = cancelledBy is not null
            ? DrillVerdict.Cancelled
            : problem is not null
            ? DrillVerdict.Error
            : ordered.Select(l => l.Verdict).Append(setFailed is null ? DrillVerdict.Passed : DrillVerdict.Failed).Max();
        var report = new DrillReport
        {
            RunId = options.RunId,
            Profile = options.Profile.Name,
            BackupRoot = Path.GetFullPath(options.BackupRoot),
            StartedAt = started,
            FinishedAt = options.Clock.GetUtcNow(),
            Verdict = verdict,
            CancelledBy = cancelledBy,
            Problem = problem
                ?? ordered.FirstOrDefault(l => l.Verdict == verdict && l.Problem is not null)?.Problem
                ?? (setFailed is null ? null : $"{setFailed.Title}: {setFailed.Found}"),
            SetChecks = setChecks,
            Legs = ordered,
            Phases = [.. phases.Select(p => Rebased(p, origin))],
            Window = window,
            RestorePoint = options.RestorePoint.ToString(),
            RestorePointSeed = options.RestorePoint.Seed,
            Engine = lease.EngineNote,
        };

        var label = string.Join('+', ordered.Where(l => l.Ran).Select(l => l.Store).DefaultIfEmpty("drill"));
        var folder = await ReportWriter.WriteAsync(report, options.ReportsRoot, label, options.Profile.GrowOnlyTables, CancellationToken.None);
        if (options.MetricsFile is { } metrics)
        {
            await PrometheusTextfile.WriteAsync(report, metrics, CancellationToken.None);
        }

        await options.Log.WriteLineAsync($"Drill {verdict}; report: {Path.Combine(folder, "report.md")}");
        return new DrillOutcome(report, folder);
    }

    // Stage 1: the backup set, scanned once: its health, and for each store to drill the backup chosen (or why none). Every
    // later stage reads these facts; nothing lists a folder or reads the manifest again.
    private static async Task<(IReadOnlyList<CheckResult> Checks, Dictionary<BackupStore, BackupSelection> Selections, Dictionary<BackupStore, LegReport> Skipped, BackupSet Set)> ScanAsync(
        DrillOptions options, CancellationToken ct)
    {
        var set = await BackupSetScan.ScanAsync(ScanOptions(options), ct);
        var stores = StoresToDrill(options, set);
        var selections = new Dictionary<BackupStore, BackupSelection>();
        var skipped = new Dictionary<BackupStore, LegReport>();
        foreach (var store in Enum.GetValues<BackupStore>())
        {
            var name = BackupFinder.FolderOf(store);
            if (!stores.Contains(store))
            {
                skipped[store] = LegReport.Skipped(name, options.Stores is null ? $"no backups in {name}/" : $"not selected: -Store {string.Join(',', stores)}");
                continue;
            }

            try
            {
                selections[store] = set.Require(store);
            }
            catch (BackupRejectedException e)
            {
                skipped[store] = new LegReport { Store = name, Ran = false, Reason = e.Message, Verdict = DrillVerdict.Error, Problem = e.Message };
            }
        }

        return (set.Checks, selections, skipped, set);
    }

    // A backup that changed while the drill read it is still being written (the nightly job is running): the drill falls back
    // to the newest finished one, with a warning in the set's checks, rather than judging a file in the middle of being written.
    private static async Task<(BackupSet Set, IReadOnlyList<CheckResult> Checks)> RedrillChangedAsync(DrillOptions options, DrillServices services, SandboxLease lease,
        List<IStoreModule> modules, Dictionary<BackupStore, LegReport> skipped, BackupSet set, LegRecorder drill, CancellationToken ct)
    {
        for (var i = 0; i < modules.Count; i++)
        {
            var module = modules[i];
            if (module is not IDatabaseStore || module.Backup.ChangeSinceScan() is not { } change)
            {
                continue;
            }

            await options.Log.WriteLineAsync($"{module.Backup.RelativePath} changed while the drill read it ({change}): drilling the newest finished backup instead");
            set = set.WithChangedBackup(module.Store, change);
            await module.DisposeAsync();
            if (module is PostgresStore { Scratch: { } old })
            {
                await Sandbox.EngineApi.RemoveContainerAsync(old.Container.Id, ct);
            }

            modules.RemoveAt(i);
            BackupSelection next;
            try
            {
                next = set.Require(module.Store);
            }
            catch (BackupRejectedException e)
            {
                var name = BackupFinder.FolderOf(module.Store);
                skipped[module.Store] = new LegReport { Store = name, Ran = false, Reason = e.Message, Verdict = DrillVerdict.Error, Problem = e.Message };
                i--;
                continue;
            }

            var again = CreateModule(options, services, module.Store, next, LaterStagesQueryTheDatabase(options, modules.Select(m => m.Store)));
            modules.Insert(i, again);
            await drill.TimedAsync($"redrill-{BackupFinder.FolderOf(module.Store)}", token => again.RunAsync(lease, token), ct);
        }

        return (set, set.Checks);
    }

    /// <summary>What the one scan of the backup set is asked for this drill (also for <c>-WhatIf</c>).</summary>
    internal static BackupScanOptions ScanOptions(DrillOptions options) => new()
    {
        Root = options.BackupRoot,
        Prefixes = options.Profile.BackupPrefixes,
        ExplicitBackup = options.Backup,
        Now = options.Clock.GetUtcNow(),
        MaxAge = DrillAge.MaxAge(options),
        AgeNotJudgedReason = DrillAge.NotJudgedReason(options),
        RestorePoint = options.RestorePoint,
    };

    /// <summary>The stores this drill drills: those asked for, else the explicit backup's, else every store the scan found backups of.</summary>
    internal static IReadOnlySet<BackupStore> StoresToDrill(DrillOptions options, BackupSet set) =>
        options.Stores ?? (options.Backup is { } given ? new HashSet<BackupStore> { BackupName.StoreOf(given) } : set.StoresWithBackups.ToHashSet());

    // laterStagesQuery: a stage after the stores (cross-store, boot) asks a restored database; else the Postgres scratch server goes once measured.
    private static IStoreModule CreateModule(DrillOptions options, DrillServices services, BackupStore store, BackupSelection selection, bool laterStagesQuery) => store switch
    {
        BackupStore.Postgres => new PostgresStore(options, selection, removeScratchOnceMeasured: !laterStagesQuery, services.BeforeArchiveCount),
        BackupStore.Sqlite => new SqliteStore(options, selection),
        BackupStore.Qdrant => new QdrantStore(options, selection, services.QdrantHost),
        _ => throw new ArgumentOutOfRangeException(nameof(store), store, "no module for this store"),
    };

    // The cross-store checks query the restored database when a Qdrant snapshot is drilled, and the boot runs on it.
    private static bool LaterStagesQueryTheDatabase(DrillOptions options, IEnumerable<BackupStore> drilled) =>
        options.BootApp is not null || drilled.Contains(BackupStore.Qdrant);

    // Which database the application boots on: -BootStore, else the first of the profile's boot stores this drill restores.
    private static IDatabaseStore BootTarget(DrillOptions options, IReadOnlyList<IStoreModule> modules)
    {
        var databases = modules.OfType<IDatabaseStore>().ToList();
        if (options.BootStore is { } wanted)
        {
            return databases.FirstOrDefault(d => d.Store == wanted)
                ?? throw new DrillAbortedException(DrillVerdict.Error,
                    $"-BootStore {wanted} was asked for, but this drill restores no {wanted} backup " +
                    $"(it drills: {(modules.Count == 0 ? "nothing" : string.Join(", ", modules.Select(m => m.Store)))}). Drill that store too, or leave -BootStore out.");
        }

        var preferred = PreferredDatabase(options.Profile, [.. databases.Select(d => d.Store)]);
        return databases.FirstOrDefault(d => d.Store == preferred) ?? throw new DrillAbortedException(DrillVerdict.Error,
            "-BootApp needs a restored database to boot on, but this drill restores neither a Postgres dump nor a SQLite backup " +
            $"(it drills: {(modules.Count == 0 ? "nothing" : string.Join(", ", modules.Select(m => m.Store)))}). Drill -Store All, Postgres or Sqlite with -BootApp.");
    }

    /// <summary>The database store an install uses among <paramref name="drilled"/>: the first of the profile's boot stores among them, else null.</summary>
    internal static BackupStore? PreferredDatabase(DrillProfile profile, IReadOnlyCollection<BackupStore> drilled) =>
        profile.BootStores
            .Select(name => drilled.Cast<BackupStore?>().FirstOrDefault(s => string.Equals(BackupFinder.FolderOf(s!.Value), name, StringComparison.OrdinalIgnoreCase)))
            .FirstOrDefault(s => s is not null);

    // Stage 5: the stores against each other, asked of the restored copies themselves.
    private static async Task CrossStoreAsync(DrillOptions options, IReadOnlyList<IStoreModule> modules, BackupSet set, CancellationToken ct)
    {
        if (modules.OfType<QdrantStore>().FirstOrDefault() is not { } qdrant)
        {
            return;
        }

        var profile = options.Profile.Qdrant;
        var databases = modules.OfType<IDatabaseStore>().ToList();
        var preferred = PreferredDatabase(options.Profile, [.. databases.Select(d => d.Store)]);
        var database = databases.FirstOrDefault(d => d.Store == preferred) ?? databases.FirstOrDefault();

        // The recovery points of the two stores: the restored database's backup, else (drilled alone) the set's newest dump, by name.
        var paired = database is null
            ? NewestDatabaseBackup(set)
            : database.Restored?.Backup ?? database.Backup;
        qdrant.Add(QdrantChecks.SkewCheck(qdrant.Backup.Timestamp, paired?.Timestamp, paired?.RelativePath, profile?.MaxSkewMinutes));
        var skew = paired?.Timestamp is { } d && qdrant.Backup.Timestamp is { } t ? Math.Round((t - d).TotalMinutes, 1) : (double?)null;

        if (qdrant.Restored is not { } vectors)
        {
            qdrant.RecordCrossStore(paired?.RelativePath, skew, null, null);
            return;
        }

        RestoredChunks? chunks = null;
        string? reason;
        if (database is null)
        {
            reason = "this drill restores no database (Postgres or SQLite) to compare the points with: drill -Store All to compare the stores";
        }
        else if (database.Restored is not { } restored)
        {
            reason = $"the {BackupFinder.FolderOf(database.Store)} store stopped before its restored copy was measured, so there are no restored rows to compare with";
        }
        else if (profile is null || restored.Facts.RowsOf(profile.ChunksTable) is not { } rows)
        {
            reason = profile is null
                ? "the profile names no Qdrant chunk table"
                : $"the restored {restored.Store} database has no table {restored.DisplayName(profile.ChunksTable)} to compare with";
        }
        else
        {
            reason = null;
            var ids = vectors.Sample.Select(p => p.RowId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
            var present = await restored.ExistingIdsAsync(profile.ChunksTable, profile.ChunkIdColumn, ids, ct);
            chunks = new RestoredChunks(restored.Store, restored.DisplayName(profile.ChunksTable), rows, present);
        }

        qdrant.Add(QdrantChecks.PointsVsChunksCheck(profile, vectors.Collection, chunks, reason));
        qdrant.Add(QdrantChecks.OrphansCheck(profile, vectors.Collection.Name, vectors.Sample, chunks, reason));
        var orphans = chunks is null ? (int?)null : vectors.Sample.Count(p => p.RowId is null || !chunks.Contains(p.RowId));
        qdrant.RecordCrossStore(paired?.RelativePath, skew, chunks?.RowCount, orphans);
    }

    private static BackupFile? NewestDatabaseBackup(BackupSet set) =>
        new[] { BackupStore.Postgres, BackupStore.Sqlite }.Select(s => set[s].Selection?.Backup).FirstOrDefault(b => b is not null);

    // Stage 6: the application, on the restored database the install uses, with the drill's one restored Qdrant.
    private static async Task BootAsync(DrillOptions options, BootInputs inputs, SandboxLease lease, IDatabaseStore target, IReadOnlyList<IStoreModule> modules, CancellationToken ct)
    {
        var boot = options.BootApp!;
        if (target.Restored is not { } database)
        {
            const string reason = "not applicable: the restore failed, so there is no restored database to boot on (see this store's checks)";
            target.Add(AppIsolationCheck.NotRun(reason));
            target.Add(AppReadyCheck.NotRun(reason));
            target.Add(AppHealthCheck.NotRun(reason));
            target.Add(AppMigrationsCheck.NotRun(reason));
            return;
        }

        AppQdrant? qdrant = null;
        string? withoutQdrant = null;
        var vectors = modules.OfType<QdrantStore>().FirstOrDefault();
        if (vectors is null)
        {
            withoutQdrant = options.Stores?.Contains(BackupStore.Qdrant) == true
                ? "Booted without Qdrant: there is no snapshot under qdrant/, so the application was given no QDRANT_URL."
                : "Booted without Qdrant: Qdrant is not among the stores this drill drills, so the application was given no QDRANT_URL.";
        }
        else if (vectors.Restored is not { } restored || vectors.SnapshotDimension is not { } dimension)
        {
            withoutQdrant = "Booted without Qdrant: the Qdrant store did not restore a usable collection (see its leg), so the application was given no QDRANT_URL.";
        }
        else
        {
            qdrant = new AppQdrant(restored.Server, restored.Backup.RelativePath, restored.Collection.Name, dimension);
        }

        await target.RunStageAsync(async token =>
        {
            if (qdrant is not null && !boot.IsHostCommand && qdrant.Server.ContainerName is null)
            {
                throw new DrillAbortedException(DrillVerdict.Error,
                    "The application image cannot reach the drill's scratch Qdrant: it is not a container on the drill's network. Boot the application as a host command, or drill Qdrant from an image.",
                    CheckResult.Fail(AppReadyCheck.Name, AppReadyCheck.Title, "the drill's scratch Qdrant reachable from the application's internal network", "it is not a container"));
            }

            var sandbox = await lease.GetAsync(token);
            var bootOptions = qdrant is null ? options : options with { BootApp = WithQdrant(boot, qdrant) };
            var app = new AppBoot(bootOptions, sandbox, database, inputs, qdrant, withoutQdrant);
            try
            {
                await app.RunAsync(token);
            }
            finally
            {
                foreach (var check in app.Checks)
                {
                    target.Add(check);
                }

                target.RecordBoot(app.Report, app.Phases, app.Containers);
            }
        }, ct);
    }

    private static AppBootOptions WithQdrant(AppBootOptions boot, AppQdrant qdrant)
    {
        var extra = new Dictionary<string, string>(boot.ExtraEnvironment, StringComparer.Ordinal)
        {
            ["QDRANT_URL"] = qdrant.UrlFor(boot.IsHostCommand),
            ["QDRANT_DIM"] = qdrant.Dimension.ToString(CultureInfo.InvariantCulture),
        };
        return boot with { ExtraEnvironment = extra };
    }

    // The options alone may say that the drill starts a container (a Postgres store named, a Qdrant store served from its image, the
    // boot): then the sandbox is created while the set is scanned. Otherwise only once the scan found a store that needs one, so that a
    // drill needing none never asks the engine. A scan that ends the drill leaves only the network, which the teardown removes.
    private static bool NeedsContainersBeforeTheScan(DrillOptions options, DrillServices services) =>
        !options.WindowOnly && (options.BootApp is not null
                                || options.Stores is { } stores && (stores.Contains(BackupStore.Postgres) || stores.Contains(BackupStore.Qdrant) && services.QdrantHost is null));

    // Stage 7: everything the drill created, killed and removed at once (the scratch servers are disposable), unless kept.
    private static async Task TeardownAsync(IReadOnlyList<IStoreModule> modules, SandboxLease lease)
    {
        foreach (var module in modules)
        {
            await module.DisposeAsync();
        }

        if (await lease.CreatedAsync() is { } sandbox)
        {
            await sandbox.DisposeAsync();
        }
    }

    private static PhaseTiming Rebased(PhaseTiming phase, double origin) =>
        phase.StartSeconds is { } start ? phase with { StartSeconds = Math.Round(start - origin, 3) } : phase;
}
