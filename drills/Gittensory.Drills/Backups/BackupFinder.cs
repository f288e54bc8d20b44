namespace Gittensory.Drills.Backups;

/// <summary>
/// Finds the newest backup of a store under a backups root: from <c>manifest.json</c> when it agrees with the disk,
/// otherwise by the time stamp in the file names (never by modification time, which copies change).
/// </summary>
public static class BackupFinder
{
    /// <summary>The name of the manifest check in reports.</summary>
    public const string ManifestCheckName = "backup.manifest";

    /// <summary>The folder under the root that holds a store's backups.</summary>
    public static string FolderOf(BackupStore store) => store.ToString().ToLowerInvariant();

    /// <summary>
    /// Chooses the backup to drill: <paramref name="explicitBackup"/> when given, else the newest complete one of <paramref name="store"/>.
    /// A thin wrapper over <see cref="BackupSetScan.ScanAsync"/> (which scans the whole set once; prefer it and read <see cref="BackupSet.Require"/>).
    /// </summary>
    /// <exception cref="BackupRejectedException">The root is missing or unreadable, the explicit file is missing, or no backup exists.</exception>
    public static async Task<BackupSelection> FindAsync(
        string root, BackupStore store, IReadOnlyList<string> prefixes, string? explicitBackup = null, CancellationToken ct = default)
    {
        var set = await BackupSetScan.ScanAsync(new BackupScanOptions
        {
            Root = root,
            Prefixes = prefixes,
            Now = DateTimeOffset.UtcNow,
            ExplicitBackup = explicitBackup,
            ExplicitStore = store,
        }, ct);
        return set.Require(store);
    }

    /// <summary>The file names a store's backups are expected to have, for messages.</summary>
    public static string ExpectedNames(BackupStore store, IReadOnlyList<string> prefixes) => store == BackupStore.Qdrant
        ? "qdrant/full-snapshot-YYYY-MM-DD-HH-MM-SS.snapshot (POST /snapshots) or qdrant/<collection>-<peer id>-YYYY-MM-DD-HH-MM-SS.snapshot (one collection), as Qdrant names them"
        : string.Join(" or ", prefixes.Select(p => $"{FolderOf(store)}/{p}-YYYYMMDDTHHMMSSZ{BackupName.ExtensionOf(store)}"));

    /// <summary>Every well-named backup of <paramref name="store"/> inside the root, newest first (only regular files: links leading outside, FIFOs, devices and sockets are left out, and nothing is opened).</summary>
    public static IReadOnlyList<BackupFile> ListBackups(string rootFull, BackupStore store, IReadOnlyList<string> prefixes) =>
        BackupSetScan.ListFolder(rootFull, store, prefixes).Backups;

    /// <summary>The root as a full path, or a rejection saying why it cannot be used.</summary>
    public static string RequireRoot(string root)
    {
        var full = Path.GetFullPath(root);
        if (File.Exists(full))
        {
            throw new BackupRejectedException(root, $"Backups root '{full}' is a file, not a folder. Pass the folder that holds postgres/, sqlite/ and manifest.json (-BackupRoot), or the file itself with -Backup.");
        }

        if (!Directory.Exists(full))
        {
            throw new BackupRejectedException(root, $"Backups root '{full}' does not exist. Pass the folder that holds postgres/, sqlite/ and manifest.json (LoopOver's volume loopover-backups) with -BackupRoot.");
        }

        try
        {
            _ = Directory.EnumerateFileSystemEntries(full).FirstOrDefault();
        }
        catch (UnauthorizedAccessException e)
        {
            throw new BackupRejectedException(root, $"Backups root '{full}' cannot be read ({e.Message}). Run the drill as a user who may read the backups; it never writes to them.", e);
        }

        return Path.TrimEndingDirectorySeparator(full);
    }

    /// <summary>Whether <paramref name="path"/> (already full) lies inside <paramref name="rootFull"/>.</summary>
    public static bool IsInside(string rootFull, string path) =>
        Path.GetFullPath(path).StartsWith(rootFull + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>The final target of a path that may be a symbolic link (itself when it is not one).</summary>
    public static string ResolveLinks(string path)
    {
        var info = new FileInfo(path);
        return info.LinkTarget is null ? info.FullName : info.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? info.FullName;
    }

    /// <summary>The operator's <c>-Backup</c> file, refused when it is missing, a folder, or not a regular file (a FIFO would block the drill).</summary>
    internal static BackupFile ExplicitFile(string rootFull, BackupStore store, IReadOnlyList<string> prefixes, string explicitBackup)
    {
        var path = Path.IsPathRooted(explicitBackup) || File.Exists(explicitBackup)
            ? Path.GetFullPath(explicitBackup)
            : Path.GetFullPath(Path.Combine(rootFull, explicitBackup));
        if (Directory.Exists(path))
        {
            throw new BackupRejectedException(explicitBackup, $"Backup '{path}' is a folder. Pass a {BackupName.ExtensionOf(store)} file with -Backup, or the folder with -BackupRoot.");
        }

        if (!File.Exists(path))
        {
            throw new BackupRejectedException(explicitBackup, $"Backup '{path}' does not exist. Check the path given with -Backup.");
        }

        var kind = FileKinds.Of(path, followLinks: true);
        if (kind != BackupEntryKind.RegularFile)
        {
            throw new BackupRejectedException(explicitBackup,
                $"Backup '{path}' is {FileKinds.Describe(kind)}, not a file: the drill never opens it (a FIFO would block it). Pass the backup file itself with -Backup.");
        }

        var info = new FileInfo(path);
        var name = Path.GetFileName(path);
        var parsed = BackupName.TryParse(name, store, prefixes, out var prefix, out var ts);
        var relative = IsInside(rootFull, path) ? Path.GetRelativePath(rootFull, path).Replace('\\', '/') : path;
        return new BackupFile(store, relative, path, parsed ? prefix : "", parsed ? ts : null, info.Length) { LastWriteUtc = info.LastWriteTimeUtc };
    }
}
