using Gittensory.Drills.Checks;

namespace Gittensory.Drills.Backups;

/// <summary>
/// The health of a whole backup set, read from names and sizes only (no backup is opened): for each folder, how many
/// backups it keeps against the manifest's <c>retain</c> and how old its newest is; the manifest against the disk;
/// whether the manifest's run is the newest and every folder it names has a backup of the newest run; and what does not belong.
/// </summary>
public static class BackupSetHealth
{
    /// <summary>Name of the check that every file the manifest names exists inside the root with its byte count.</summary>
    public const string ManifestCheck = "set.manifest";

    /// <summary>Name of the check that the manifest's run is the newest on disk.</summary>
    public const string ManifestNewestCheck = "set.manifest-newest";

    /// <summary>Name of the check that each folder the manifest names has a backup of the newest run.</summary>
    public const string NewestRunCheck = "set.newest-run";

    /// <summary>Name of the check listing what is neither a backup nor the manifest.</summary>
    public const string StrayFilesCheck = "set.stray-files";

    /// <summary>The folders a backup run writes whose file names carry the run's time stamp (Qdrant's carry Qdrant's own).</summary>
    private static readonly BackupStore[] RunStores = [BackupStore.Postgres, BackupStore.Sqlite];

    /// <summary>Name of the retention check of <paramref name="store"/>'s folder, e.g. <c>set.retention.sqlite</c>.</summary>
    public static string RetentionCheck(BackupStore store) => $"set.retention.{BackupFinder.FolderOf(store)}";

    /// <summary>Name of the age check of <paramref name="store"/>'s newest backup, e.g. <c>set.age.sqlite</c>.</summary>
    public static string AgeCheck(BackupStore store) => $"set.age.{BackupFinder.FolderOf(store)}";

    /// <summary>Name of the check that the backup to drill in <paramref name="store"/>'s folder is its newest complete one and unambiguous, e.g. <c>set.choice.postgres</c>.</summary>
    public static string ChoiceCheck(BackupStore store) => $"set.choice.{BackupFinder.FolderOf(store)}";

    /// <summary>
    /// Judges the set under <paramref name="root"/> at <paramref name="now"/>: backups older than <paramref name="maxAge"/> fail
    /// (age is not judged when <paramref name="ageNotJudgedReason"/> is given, which the report then shows). A thin wrapper over
    /// <see cref="BackupSetScan.ScanAsync"/>, whose <see cref="BackupSet.Checks"/> these are.
    /// </summary>
    /// <exception cref="BackupRejectedException">The root is missing or unreadable.</exception>
    public static async Task<IReadOnlyList<CheckResult>> EvaluateAsync(
        string root, IReadOnlyList<string> prefixes, DateTimeOffset now, TimeSpan? maxAge, string? ageNotJudgedReason = null, CancellationToken ct = default) =>
        (await BackupSetScan.ScanAsync(new BackupScanOptions { Root = root, Prefixes = prefixes, Now = now, MaxAge = maxAge, AgeNotJudgedReason = ageNotJudgedReason }, ct)).Checks;

    /// <summary>The set's checks from what the scan listed, probed and chose.</summary>
    internal static IReadOnlyList<CheckResult> Evaluate(
        string rootFull, BackupManifest? manifest, string? problem, IReadOnlyDictionary<BackupStore, StoreBackups> stores,
        IReadOnlyList<string> rootStrays, BackupScanOptions options)
    {
        var backups = Enum.GetValues<BackupStore>().ToDictionary(s => s, s => stores[s].Backups.ToList());
        var checks = new List<CheckResult>();
        foreach (var store in Enum.GetValues<BackupStore>())
        {
            checks.Add(Retention(store, stores[store], manifest));
            checks.Add(Age(store, backups[store], options.Now, options.MaxAge, options.AgeNotJudgedReason));
            checks.Add(Choice(store, stores[store]));
        }

        checks.Add(Manifest(rootFull, manifest, problem, backups));
        checks.Add(ManifestNewest(manifest, problem, backups, options.Prefixes));
        checks.Add(NewestRun(manifest, backups));
        checks.Add(Stray(rootStrays, stores));
        return checks;
    }

    private static string NotFinished(BackupFile backup) =>
        backup.RelativePath + (backup.Completion?.State == BackupCompleteness.BeingWritten ? " is still being written" : " did not finish");

    private static CheckResult Choice(BackupStore store, StoreBackups found)
    {
        var folder = BackupFinder.FolderOf(store);
        var name = ChoiceCheck(store);
        var title = $"The {folder}/ backup to drill is the newest complete one, and the only one of its time stamp";
        const string expected = "the newest backup whole (it starts and ends as a finished run leaves it), not being written, alone with its time stamp; nothing named like a backup that is not a file";
        if (found.Backups.Count == 0 && found.Rejected.Count == 0)
        {
            return CheckResult.NotApplicable(name, title, $"no backups in {folder}/");
        }

        var chosen = found.Selection?.Backup;
        if (found.Backups.Count > 0 && found.NewestComplete is null && found.Backups.Any(b => b.Completion?.State == BackupCompleteness.Unfinished))
        {
            var problems = found.Backups.Where(b => !b.MayBeComplete).Select(b => $"{b.RelativePath} {b.Completion!.Detail}").ToList();
            return CheckResult.Fail(name, title, expected,
                $"no {folder}/ backup is complete: {problems[0]}" + (problems.Count > 1 ? $" (and {problems.Count - 1} more)" : ""), problems);
        }

        if (found.Warnings.Count > 0)
        {
            return new CheckResult(name, title, expected,
                found.Warnings[0] + (found.Warnings.Count > 1 ? $" (and {found.Warnings.Count - 1} more)" : ""), CheckVerdict.Warning, found.Warnings);
        }

        if (chosen is null)
        {
            return CheckResult.NotApplicable(name, title, found.NoSelectionReason ?? $"no backup chosen in {folder}/");
        }

        return chosen.Completion?.State == BackupCompleteness.Complete
            ? CheckResult.Pass(name, title, expected, $"{chosen.RelativePath}: {chosen.Completion.Detail}")
            : CheckResult.NotApplicable(name, title, $"{chosen.RelativePath} {chosen.Completion?.Detail ?? "was not looked at in the scan"}");
    }

    private static CheckResult Retention(BackupStore store, StoreBackups found, BackupManifest? manifest)
    {
        var backups = found.Backups;
        var folder = BackupFinder.FolderOf(store);
        var name = RetentionCheck(store);
        var title = $"{folder}/ keeps no more backups than the manifest's retain";
        if (!found.FolderExists)
        {
            return CheckResult.NotApplicable(name, title, $"no {folder}/ folder under the root");
        }

        if (backups.Count == 0)
        {
            return CheckResult.NotApplicable(name, title, $"no backups in {folder}/");
        }

        var dated = backups.Where(b => b.Timestamp is not null).ToList();
        var foundText0 = dated.Count == 0
            ? $"{backups.Count} backups (their names are not read for a time stamp)"
            : $"{backups.Count} backups, oldest {dated.Min(b => b.Timestamp):u}, newest {dated.Max(b => b.Timestamp):u}";
        var details = backups.Select(b => $"{b.RelativePath}, {b.Bytes:N0} bytes").ToList();
        if (manifest?.Retain is not int retain)
        {
            return new CheckResult(name, title, "-", $"{foundText0}; no manifest.json records retain (BACKUP_RETAIN)", CheckVerdict.NotApplicable, details);
        }

        // LoopOver: "0 means 1".
        var keep = Math.Max(1, retain);
        var expected = $"at most {keep} backups (retain {retain} in manifest.json{(retain < 1 ? ", which LoopOver treats as 1" : "")})";
        // A run that did not finish wrote a file but never reached its prune: that file is not one retention keeps.
        var unfinished = found.Backups.Where(b => !b.MayBeComplete).ToList();
        var kept = backups.Count - unfinished.Count;
        var foundText = unfinished.Count == 0 ? foundText0
            : $"{foundText0}; {unfinished.Count} of them {(unfinished.Count == 1 ? "is" : "are")} not finished ({string.Join(", ", unfinished.Select(NotFinished))}) and not counted";
        if (kept <= keep)
        {
            return CheckResult.Pass(name, title, expected, foundText, details);
        }

        var why = store == BackupStore.Sqlite ? " (LoopOver skips the SQLite prune for a run whose SQLite backup failed)" : "";
        return new CheckResult(name, title, expected,
            $"{foundText}: {kept - keep} more than retain {keep}, so old backups are not being pruned{why}", CheckVerdict.Warning, details);
    }

    private static CheckResult Age(BackupStore store, List<BackupFile> backups, DateTimeOffset now, TimeSpan? maxAge, string? notJudgedReason)
    {
        var folder = BackupFinder.FolderOf(store);
        var name = AgeCheck(store);
        var title = $"The newest {folder}/ backup is recent enough";
        if (backups.Count == 0)
        {
            return CheckResult.NotApplicable(name, title, $"no backups in {folder}/");
        }

        // The newest complete backup: a newer file that did not finish is reported by the choice check, not counted as fresh.
        var newest = backups.Where(b => b.Timestamp is not null && b.MayBeComplete).MaxBy(b => b.Timestamp)
            ?? backups.Where(b => b.Timestamp is not null).MaxBy(b => b.Timestamp);
        if (newest is null)
        {
            return CheckResult.NotApplicable(name, title, $"no backup name in {folder}/ carries a time stamp");
        }

        var skipped = backups.Where(b => b.Timestamp > newest.Timestamp && !b.MayBeComplete).ToList();
        var suffix = skipped.Count == 0 ? "" : $" (the newest complete one; {string.Join(", ", skipped.Select(NotFinished))})";
        var result = BackupAgeCheck.Evaluate(newest.Timestamp, now, maxAge, notJudgedReason) with { Name = name, Title = title };
        return result.Verdict is CheckVerdict.Passed or CheckVerdict.Failed ? result with { Found = $"{newest.RelativePath}{suffix}, {result.Found}" } : result;
    }

    private static CheckResult Manifest(string rootFull, BackupManifest? manifest, string? problem, Dictionary<BackupStore, List<BackupFile>> backups)
    {
        if (problem is not null)
        {
            return CheckResult.Fail(ManifestCheck, ManifestAgreement.Title, ManifestAgreement.Expected, problem);
        }

        if (manifest is null)
        {
            return CheckResult.NotApplicable(ManifestCheck, ManifestAgreement.Title, "no manifest.json at the root (sets made before LoopOver wrote manifests have none)");
        }

        var results = Enum.GetValues<BackupStore>()
            .Where(s => manifest.EntryFor(s)?.File is not null)
            .Select(s => ManifestAgreement.Check(rootFull, s, manifest, null, backups[s]).Check)
            .ToList();
        if (results.Count == 0)
        {
            return CheckResult.NotApplicable(ManifestCheck, ManifestAgreement.Title, $"the manifest of run {manifest.Ts} names no backup file");
        }

        var failed = results.Where(r => r.Verdict == CheckVerdict.Failed).Select(r => r.Found).ToList();
        return failed.Count == 0
            ? CheckResult.Pass(ManifestCheck, ManifestAgreement.Title, ManifestAgreement.Expected, string.Join("; ", results.Select(r => r.Found)))
            : CheckResult.Fail(ManifestCheck, ManifestAgreement.Title, ManifestAgreement.Expected,
                failed[0] + (failed.Count > 1 ? $" (and {failed.Count - 1} more)" : ""), failed);
    }

    private static CheckResult ManifestNewest(
        BackupManifest? manifest, string? problem, Dictionary<BackupStore, List<BackupFile>> backups, IReadOnlyList<string> prefixes)
    {
        const string title = "The manifest's run is the newest run on disk";
        const string expected = "no postgres/ or sqlite/ backup newer than the manifest's ts, and the files it names carry its ts (Qdrant's names carry Qdrant's time)";
        if (manifest is null)
        {
            return CheckResult.NotApplicable(ManifestNewestCheck, title, problem is null
                ? "no manifest.json at the root (sets made before LoopOver wrote manifests have none)"
                : $"manifest.json could not be read (see {ManifestCheck})");
        }

        if (!BackupName.TryParseTimestamp(manifest.Ts ?? "", out var ts))
        {
            return CheckResult.Fail(ManifestNewestCheck, title, expected,
                $"manifest.json's ts '{manifest.Ts}' is not a time stamp of the form YYYYMMDDTHHMMSSZ; LoopOver writes the run's start, e.g. 20260704T090939Z");
        }

        var problems = new List<string>();
        foreach (var store in RunStores)
        {
            if (backups[store].FirstOrDefault(b => b.Timestamp > ts) is { } newer)
            {
                problems.Add($"{newer.RelativePath} is newer than the manifest's run {manifest.Ts}: a backup run that did not finish (LoopOver rewrites the manifest only when a run finishes)");
            }

            var named = manifest.EntryFor(store)?.File;
            if (named is not null && BackupName.TryParse(Path.GetFileName(named), store, prefixes, out _, out var namedTs) && namedTs != ts)
            {
                problems.Add($"manifest.json's run is {manifest.Ts}, but it names {named}");
            }
        }

        return problems.Count == 0
            ? CheckResult.Pass(ManifestNewestCheck, title, expected, $"run {manifest.Ts}; no newer backup in postgres/ or sqlite/")
            : new CheckResult(ManifestNewestCheck, title, expected,
                problems[0] + (problems.Count > 1 ? $" (and {problems.Count - 1} more)" : ""), CheckVerdict.Warning, problems);
    }

    private static CheckResult NewestRun(BackupManifest? manifest, Dictionary<BackupStore, List<BackupFile>> backups)
    {
        const string title = "Every folder the manifest names has a backup of the newest run";
        if (manifest is null)
        {
            return CheckResult.NotApplicable(NewestRunCheck, title, "no manifest.json to say which folders each run writes");
        }

        var named = RunStores.Where(s => manifest.EntryFor(s)?.File is not null).ToList();
        if (named.Count < 2)
        {
            return CheckResult.NotApplicable(NewestRunCheck, title, named.Count == 0
                ? "the manifest names no postgres or sqlite backup"
                : $"the manifest names only a {BackupFinder.FolderOf(named[0])} backup, so each run writes one folder");
        }

        var folders = string.Join(" and ", named.Select(s => BackupFinder.FolderOf(s) + "/"));
        // The newest run that finished: a run that did not (the job killed mid-dump, or still writing) is set.choice's to report,
        // and its missing later backups are not a second failure.
        if (named.SelectMany(s => backups[s]).Where(b => b.MayBeComplete).Max(b => b.Timestamp) is not { } newest)
        {
            return CheckResult.NotApplicable(NewestRunCheck, title, $"no backup in {folders} carries a time stamp in its name");
        }

        var run = BackupName.FormatTimestamp(newest);
        var expected = $"a backup of the newest run ({run}) in each of {folders}";
        var missing = named.Where(s => backups[s].All(b => b.Timestamp != newest)).ToList();
        if (missing.Count == 0)
        {
            return CheckResult.Pass(NewestRunCheck, title, expected, $"run {run} is in {folders}");
        }

        var problems = missing.Select(s =>
        {
            var has = named.First(o => !missing.Contains(o));
            var latest = backups[s].FirstOrDefault()?.RelativePath ?? "none";
            return $"the newest run {run} has a backup in {BackupFinder.FolderOf(has)}/ but none in {BackupFinder.FolderOf(s)}/ (its newest there: {latest}): " +
                   $"that run wrote no {s} backup, or it was removed since. The backup job's log for that run says why.";
        }).ToList();
        return CheckResult.Fail(NewestRunCheck, title, expected, problems[0], problems);
    }

    private static CheckResult Stray(IReadOnlyList<string> rootStrays, IReadOnlyDictionary<BackupStore, StoreBackups> stores)
    {
        const string title = "Nothing but backups and the manifest in the backups root";
        const string expected = "manifest.json and the postgres/, sqlite/, qdrant/ folders at the root; in each folder, only its well-named backups";
        var strays = rootStrays.Concat(Enum.GetValues<BackupStore>().SelectMany(s => stores[s].Strays)).ToList();
        return strays.Count == 0
            ? CheckResult.Pass(StrayFilesCheck, title, expected, "nothing else")
            : new CheckResult(StrayFilesCheck, title, expected,
                $"{strays.Count} {(strays.Count == 1 ? "entry that is not a backup" : "entries that are not backups")}: {string.Join("; ", strays.Take(5))}" + (strays.Count > 5 ? "; ..." : ""), CheckVerdict.Warning, strays);
    }
}
