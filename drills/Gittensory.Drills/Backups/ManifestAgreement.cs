using Gittensory.Drills.Checks;

namespace Gittensory.Drills.Backups;

/// <summary>
/// Whether <c>manifest.json</c> agrees with the disk for one store: the file it names lies inside the root, exists, and has
/// the recorded byte count (Qdrant's entry records none). Shared by backup discovery and the backup set's health.
/// </summary>
internal static class ManifestAgreement
{
    /// <summary>The title of the manifest checks.</summary>
    public const string Title = "The manifest agrees with the disk";

    /// <summary>What the manifest checks expect.</summary>
    public const string Expected = "every file it names exists inside the root with the recorded byte count";

    /// <summary>The manifest at the root (null when there is none), or why it could not be read.</summary>
    public static async Task<(BackupManifest? Manifest, string? Problem)> LoadAsync(string rootFull, CancellationToken ct)
    {
        try
        {
            return (await BackupManifest.LoadAsync(rootFull, ct), null);
        }
        catch (BackupRejectedException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>Checks the manifest's entry for <paramref name="store"/>, and returns the backup it names when it agrees with the disk.</summary>
    public static (CheckResult Check, BackupFile? FromManifest) Check(
        string rootFull, BackupStore store, BackupManifest? manifest, string? problem, IReadOnlyList<BackupFile> candidates)
    {
        const string name = BackupFinder.ManifestCheckName;
        if (problem is not null)
        {
            return (CheckResult.Fail(name, Title, Expected, problem), null);
        }

        if (manifest is null)
        {
            return (CheckResult.NotApplicable(name, Title, "no manifest.json at the root (sets made before LoopOver wrote manifests have none)"), null);
        }

        var entry = manifest.EntryFor(store);
        if (entry?.File is null)
        {
            return (CheckResult.NotApplicable(name, Title, $"the manifest of run {manifest.Ts} records no {BackupFinder.FolderOf(store)} backup"), null);
        }

        var full = Path.GetFullPath(Path.Combine(rootFull, entry.File));
        if (Path.IsPathRooted(entry.File) || !BackupFinder.IsInside(rootFull, full))
        {
            return (CheckResult.Fail(name, Title, Expected,
                $"manifest.json names '{entry.File}', which lies outside the backups root '{rootFull}'. The drill never reads outside the root; " +
                "fix the manifest (it should name e.g. 'postgres/loopover-<ts>.dump')."), null);
        }

        if (!File.Exists(full))
        {
            return (CheckResult.Fail(name, Title, Expected,
                $"manifest.json names '{entry.File}', which does not exist. Was it pruned or moved? The newest backup by name is drilled instead."), null);
        }

        if (!BackupFinder.IsInside(rootFull, BackupFinder.ResolveLinks(full)))
        {
            return (CheckResult.Fail(name, Title, Expected,
                $"manifest.json names '{entry.File}', a symbolic link that leads outside the backups root. The drill never reads outside the root."), null);
        }

        var kind = FileKinds.Of(full, followLinks: true);
        if (kind != BackupEntryKind.RegularFile)
        {
            return (CheckResult.Fail(name, Title, Expected,
                $"manifest.json names '{entry.File}', which is {FileKinds.Describe(kind)}, not a file. The drill never opens it; the newest backup by name is drilled instead."), null);
        }

        var info = new FileInfo(full);
        var bytes = info.Length;
        var unrecorded = entry.Bytes is null && store == BackupStore.Qdrant;
        if (!unrecorded && entry.Bytes != bytes)
        {
            return (CheckResult.Fail(name, Title, Expected,
                $"manifest.json says '{entry.File}' has {entry.Bytes?.ToString() ?? "no"} bytes, but it has {bytes} on disk: " +
                "truncated or replaced after the run. The newest backup by name is drilled instead."), null);
        }

        var relative = Path.GetRelativePath(rootFull, full).Replace('\\', '/');
        var chosen = candidates.FirstOrDefault(c => c.RelativePath == relative)
            ?? new BackupFile(store, relative, full, "", BackupName.TryParseTimestamp(manifest.Ts ?? "", out var ts) ? ts : null, bytes) { LastWriteUtc = info.LastWriteTimeUtc };
        var found = unrecorded
            ? $"'{relative}', {bytes} bytes, named for run {manifest.Ts} (the manifest records no byte count for Qdrant)"
            : $"'{relative}', {bytes} bytes, as recorded for run {manifest.Ts}";
        return (CheckResult.Pass(name, Title, Expected, found), chosen);
    }
}
