using Gittensory.Drills.Checks;

namespace Gittensory.Drills.Backups;

/// <summary>
/// Scans a backups root once: lists each store's folder once (by each entry's status, never opening what is not a regular file
/// inside the root), reads <c>manifest.json</c> once, takes a cheap look at the start and end of each store's newest backups to
/// tell a finished run from one cut short or still being written, chooses the backup to drill per store, and judges the set's
/// health, all into one immutable <see cref="BackupSet"/>.
/// </summary>
public static class BackupSetScan
{
    /// <summary>Scans <see cref="BackupScanOptions.Root"/>; see <see cref="BackupSet"/> for what it holds.</summary>
    /// <exception cref="BackupRejectedException">The root is missing, a file, or unreadable (a store folder that cannot be read, too).</exception>
    public static async Task<BackupSet> ScanAsync(BackupScanOptions options, CancellationToken ct = default)
    {
        var rootFull = BackupFinder.RequireRoot(options.Root);
        var (manifest, problem) = await ManifestAgreement.LoadAsync(rootFull, ct);
        var rootStrays = ListRoot(rootFull);
        var listings = new Dictionary<BackupStore, (bool, IReadOnlyList<BackupFile>, IReadOnlyList<RejectedEntry>, IReadOnlyList<string>)>();
        foreach (var store in Enum.GetValues<BackupStore>())
        {
            var (exists, backups, rejected, strays) = ListFolder(rootFull, store, options.Prefixes);
            listings[store] = (exists, await ProbeAsync(rootFull, store, backups, manifest, options.TailWindowBytes, ct), rejected, strays);
        }

        return Judge(options, rootFull, manifest, problem, rootStrays, listings);
    }

    /// <summary>Chooses each store's backup and judges the set from what was listed and probed (no I/O but status reads).</summary>
    internal static BackupSet Judge(
        BackupScanOptions options, string rootFull, BackupManifest? manifest, string? problem, IReadOnlyList<string> rootStrays,
        IReadOnlyDictionary<BackupStore, (bool FolderExists, IReadOnlyList<BackupFile> Backups, IReadOnlyList<RejectedEntry> Rejected, IReadOnlyList<string> Strays)> listings)
    {
        var stores = new Dictionary<BackupStore, StoreBackups>();
        foreach (var (store, listing) in listings)
        {
            var (selection, reason, warnings) = Select(options, rootFull, store, manifest, problem, listing.Backups, listing.Rejected);
            stores[store] = new StoreBackups(store, listing.FolderExists, listing.Backups, listing.Rejected, selection, reason)
            {
                Warnings = warnings,
                Strays = listing.Strays,
            };
        }

        var checks = BackupSetHealth.Evaluate(rootFull, manifest, problem, stores, rootStrays, options);
        var notes = stores.Values.SelectMany(s => s.Rejected.Select(r => $"{r.RelativePath} is named like a backup but is {r.Reason}.")).ToList();
        return new BackupSet(rootFull, options.Now, manifest, problem, stores, checks, notes, options) { RootStrays = rootStrays };
    }

    /// <summary>Every well-named regular backup file of <paramref name="store"/> inside the root, newest first; nothing is opened.</summary>
    internal static (bool FolderExists, IReadOnlyList<BackupFile> Backups, IReadOnlyList<RejectedEntry> Rejected, IReadOnlyList<string> Strays) ListFolder(
        string rootFull, BackupStore store, IReadOnlyList<string> prefixes)
    {
        var folderName = BackupFinder.FolderOf(store);
        var folder = Path.Combine(rootFull, folderName);
        if (!Directory.Exists(folder))
        {
            return (false, [], [], []);
        }

        string[] entries;
        try
        {
            entries = Directory.GetFileSystemEntries(folder);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new BackupRejectedException(folder, $"Backup folder '{folder}' cannot be read ({e.Message}). Run the drill as a user who may read the backups.", e);
        }

        Array.Sort(entries, StringComparer.Ordinal);
        var backups = new List<BackupFile>();
        var rejected = new List<RejectedEntry>();
        var others = new List<(string Path, string Description)>();
        foreach (var path in entries)
        {
            var name = Path.GetFileName(path);
            var relative = $"{folderName}/{name}";
            var (target, notAFile, strayText) = Inspect(rootFull, path);
            if (BackupName.TryParse(name, store, prefixes, out var prefix, out var ts))
            {
                if (notAFile is null)
                {
                    var info = new FileInfo(target);
                    backups.Add(new BackupFile(store, relative, path, prefix, ts, info.Length) { LastWriteUtc = info.LastWriteTimeUtc });
                    continue;
                }

                rejected.Add(new RejectedEntry(relative, notAFile));
            }

            others.Add((path, $"{relative}{strayText}"));
        }

        // A Qdrant snapshot may have its SHA-256 beside it in <name>.checksum.
        var known = backups.Select(b => b.FullPath + ".checksum").ToHashSet(StringComparer.Ordinal);
        var strays = others.Where(o => !known.Contains(o.Path)).Select(o => o.Description).ToList();
        var ordered = backups
            .OrderByDescending(b => b.Timestamp)
            .ThenBy(b => PrefixRank(b, prefixes))
            .ThenBy(b => b.RelativePath, StringComparer.Ordinal)
            .ToList();
        return (true, ordered, rejected, strays);
    }

    /// <summary>The entries at the root that are neither <c>manifest.json</c> nor a store's folder, described.</summary>
    private static IReadOnlyList<string> ListRoot(string rootFull)
    {
        var folders = Enum.GetValues<BackupStore>().Select(BackupFinder.FolderOf).ToHashSet(StringComparer.Ordinal);
        var strays = new List<string>();
        foreach (var entry in Directory.EnumerateFileSystemEntries(rootFull).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(entry);
            var kind = FileKinds.Of(entry, followLinks: true);
            var belongs = name == BackupManifest.FileName ? kind != BackupEntryKind.Directory : folders.Contains(name) && kind == BackupEntryKind.Directory;
            if (!belongs)
            {
                strays.Add(name + Inspect(rootFull, entry).StrayText);
            }
        }

        return strays;
    }

    /// <summary>
    /// What an entry is, from its status only: the path to read when it is a regular file inside the root (through links inside the
    /// root), else why it is not a backup; and how the stray-files check describes it.
    /// </summary>
    internal static (string Target, string? NotAFile, string StrayText) Inspect(string rootFull, string path)
    {
        var kind = FileKinds.Of(path, followLinks: false);
        var target = path;
        if (kind == BackupEntryKind.SymbolicLink)
        {
            string? resolved;
            try
            {
                resolved = BackupFinder.ResolveLinks(path);
            }
            catch (IOException)
            {
                resolved = null;
            }

            if (resolved is null || FileKinds.Of(resolved, followLinks: true) == BackupEntryKind.Missing)
            {
                return (path, "a broken symbolic link: never opened", " (a broken symbolic link)");
            }

            if (!BackupFinder.IsInside(rootFull, resolved))
            {
                return (path, $"a symbolic link leading outside the root (to '{resolved}'): never opened", " (a symbolic link leading outside the root)");
            }

            target = resolved;
            kind = FileKinds.Of(resolved, followLinks: true);
        }

        return kind switch
        {
            BackupEntryKind.RegularFile => (target, null, $" ({new FileInfo(target).Length:N0} bytes)"),
            BackupEntryKind.Directory => (target, "a folder", "/ (a folder)"),
            _ => (target, $"{FileKinds.Describe(kind)}, not a file: never opened", $" ({FileKinds.Describe(kind)}, not a file: never opened)"),
        };
    }

    private static int PrefixRank(BackupFile backup, IReadOnlyList<string> prefixes)
    {
        if (backup.Store == BackupStore.Qdrant)
        {
            return backup.Prefix == QdrantSnapshotName.FullPrefix ? 0 : 1;
        }

        var index = prefixes.ToList().IndexOf(backup.Prefix);
        return index < 0 ? int.MaxValue : index;
    }

    /// <summary>Probes the newest backups until one may be complete, and the manifest's backup.</summary>
    private static async Task<IReadOnlyList<BackupFile>> ProbeAsync(
        string rootFull, BackupStore store, IReadOnlyList<BackupFile> backups, BackupManifest? manifest, int tailWindow, CancellationToken ct)
    {
        var named = manifest?.EntryFor(store)?.File is { } file && !Path.IsPathRooted(file)
            ? Path.GetRelativePath(rootFull, Path.GetFullPath(Path.Combine(rootFull, file))).Replace('\\', '/')
            : null;
        var result = backups.ToList();
        var foundComplete = false;
        for (var i = 0; i < result.Count; i++)
        {
            if (foundComplete && result[i].RelativePath != named)
            {
                continue;
            }

            result[i] = result[i] with { Completion = await BackupCompletionProbe.ProbeAsync(result[i], tailWindow, ct) };
            foundComplete |= result[i].MayBeComplete;
        }

        return result;
    }

    private static (BackupSelection? Selection, string? Reason, IReadOnlyList<string> Warnings) Select(
        BackupScanOptions options, string rootFull, BackupStore store, BackupManifest? manifest, string? problem,
        IReadOnlyList<BackupFile> backups, IReadOnlyList<RejectedEntry> rejected)
    {
        var warnings = rejected.Select(r => $"{r.RelativePath} is named like a backup but is {r.Reason}").ToList();
        if (options.ExplicitBackup is { } explicitBackup && (options.ExplicitStore ?? BackupName.StoreOf(explicitBackup)) == store)
        {
            try
            {
                var named = BackupFinder.ExplicitFile(rootFull, store, options.Prefixes, explicitBackup);
                named = backups.FirstOrDefault(b => b.FullPath == named.FullPath) ?? named;
                var check = CheckResult.NotApplicable(BackupFinder.ManifestCheckName, ManifestAgreement.Title, $"the backup was named explicitly ('{explicitBackup}')");
                return (new BackupSelection(named, "explicit", check, backups, []), null, warnings);
            }
            catch (BackupRejectedException e)
            {
                return (null, e.Message, warnings);
            }
        }

        var folder = BackupFinder.FolderOf(store);
        if (backups.Count == 0)
        {
            return (null, $"No {store} backup in '{Path.Combine(rootFull, folder)}'. Expected files named {BackupFinder.ExpectedNames(store, options.Prefixes)}. " +
                          "Check -BackupRoot points at the backups volume (loopover-backups).", warnings);
        }

        var notes = new List<string>();
        var (manifestCheck, fromManifest) = ManifestAgreement.Check(rootFull, store, manifest, problem, backups);
        if (options.RestorePoint.Kind != RestorePointKind.Newest)
        {
            var complete = backups.Where(b => b.MayBeComplete).ToList();
            var (point, why) = options.RestorePoint.Choose(complete, store);
            return point is null
                ? (null, why, warnings)
                : (new BackupSelection(point, $"restore point {options.RestorePoint}", manifestCheck, backups,
                    [$"Restore point {options.RestorePoint}: {point.RelativePath}, of {complete.Count} complete {folder}/ backups."]), null, warnings);
        }

        var newestComplete = backups.FirstOrDefault(b => b.MayBeComplete);
        BackupFile chosen;
        string selectedBy;
        if (fromManifest is not null && fromManifest.MayBeComplete)
        {
            (chosen, selectedBy) = (fromManifest, "manifest");
        }
        else if (newestComplete is not null)
        {
            (chosen, selectedBy) = (newestComplete, "file name");
        }
        else if (backups.FirstOrDefault(b => b.Completion?.State == BackupCompleteness.Unfinished) is { } newestUnfinished)
        {
            // Nothing whole to fall back to: drill the newest anyway, so that the preflight says exactly what is wrong with it.
            (chosen, selectedBy) = (newestUnfinished, "file name");
            notes.Add($"No {folder}/ backup is complete; the drill reads the newest, {chosen.RelativePath}, which {chosen.Completion!.Detail}.");
        }
        else
        {
            return (null, $"Every {folder}/ backup is still being written ({backups[0].RelativePath}: {backups[0].Completion?.Detail}). " +
                          "Run the drill again when the backup job has finished.", [.. warnings, .. BeingWritten(backups, null)]);
        }

        var newestByName = backups[0];
        if (selectedBy == "manifest" && newestByName.Timestamp > chosen.Timestamp)
        {
            var why = newestByName.Completion?.State switch
            {
                BackupCompleteness.Unfinished => $"a backup run that did not finish (it {newestByName.Completion.Detail}).",
                BackupCompleteness.BeingWritten => $"a backup run still writing it ({newestByName.Completion.Detail}).",
                _ => "a backup run that failed before rewriting the manifest?",
            };
            manifestCheck = manifestCheck with
            {
                Verdict = CheckVerdict.Warning,
                Found = $"the manifest names '{chosen.RelativePath}', but '{newestByName.RelativePath}' is newer by its name: {why} The drill restores the manifest's backup.",
            };
        }

        if (fromManifest is null && manifestCheck.Verdict == CheckVerdict.Failed)
        {
            notes.Add($"The manifest was not used ({manifestCheck.Found}); the backup was chosen by the time stamp in its name.");
        }

        if (fromManifest is not null && !fromManifest.MayBeComplete)
        {
            warnings.Add($"the manifest names {fromManifest.RelativePath}, which {fromManifest.Completion!.Detail}; the drill uses {chosen.RelativePath}");
        }

        foreach (var skipped in backups.TakeWhile(b => b != chosen && !b.MayBeComplete))
        {
            warnings.Add(skipped.Completion!.State == BackupCompleteness.BeingWritten
                ? $"{skipped.RelativePath} is still being written ({skipped.Completion.Detail}: the backup job is running?); the drill uses {chosen.RelativePath}, the newest finished backup"
                : $"the {(skipped == backups[0] ? "newest" : "earlier")} {folder}/ run did not finish: {Path.GetFileName(skipped.RelativePath)} {skipped.Completion.Detail}; " +
                  $"the drill uses {chosen.RelativePath}, the newest complete backup");
        }

        var tied = backups.Where(b => b.Timestamp == chosen.Timestamp && b.RelativePath != chosen.RelativePath).ToList();
        if (tied.Count > 0 && chosen.Timestamp is { } ts)
        {
            var why = selectedBy == "manifest" ? "the manifest names it"
                : tied.Any(b => !b.MayBeComplete) && tied.All(b => !b.MayBeComplete) ? "the other did not finish"
                : store == BackupStore.Qdrant && chosen.Prefix == QdrantSnapshotName.FullPrefix && tied.All(b => b.Prefix != chosen.Prefix) ? "a full-storage snapshot is preferred"
                : tied.All(b => PrefixRank(b, options.Prefixes) > PrefixRank(chosen, options.Prefixes))
                    ? $"its prefix '{chosen.Prefix}' comes first in the profile's prefixes ({string.Join(", ", options.Prefixes)})"
                    : "its name sorts first";
            var stamp = store == BackupStore.Qdrant ? ts.ToString("u", System.Globalization.CultureInfo.InvariantCulture) : BackupName.FormatTimestamp(ts);
            warnings.Add($"{chosen.RelativePath} and {string.Join(" and ", tied.Select(b => b.RelativePath))} carry the same time stamp {stamp}; " +
                         $"the drill uses {chosen.RelativePath} because {why}");
        }

        return (new BackupSelection(chosen, selectedBy, manifestCheck, backups, [.. warnings.Select(w => char.ToUpperInvariant(w[0]) + w[1..] + "."), .. notes]), null, warnings);
    }

    private static IEnumerable<string> BeingWritten(IReadOnlyList<BackupFile> backups, BackupFile? chosen) =>
        backups.Where(b => b != chosen && b.Completion?.State == BackupCompleteness.BeingWritten)
            .Select(b => $"{b.RelativePath} is still being written ({b.Completion!.Detail})");
}
