using Gittensory.Drills.Checks;

namespace Gittensory.Drills.Backups;

/// <summary>
/// Everything one scan of a backups root found, read once and never changed: the manifest, each store's backups (newest first)
/// with the one chosen to drill, and the set's health checks. Every later stage of a drill reads only this.
/// </summary>
/// <param name="Root">The backups root, as a full path without a trailing separator.</param>
/// <param name="ScannedAt">The drill's clock when the set was scanned (what the age checks judge against).</param>
/// <param name="Manifest">The manifest at the root, or null when there is none or it could not be read (see <paramref name="ManifestProblem"/>).</param>
/// <param name="ManifestProblem">Why the manifest could not be used (not JSON, a FIFO, a link outside the root, ...), or null.</param>
/// <param name="Stores">What the scan found per store, for every store.</param>
/// <param name="Checks">The set's health checks (<c>set.*</c>), in a fixed order.</param>
/// <param name="Notes">Things worth reading in the report about the set as a whole.</param>
/// <param name="Options">What was scanned and how it was judged.</param>
public sealed record BackupSet(
    string Root,
    DateTimeOffset ScannedAt,
    BackupManifest? Manifest,
    string? ManifestProblem,
    IReadOnlyDictionary<BackupStore, StoreBackups> Stores,
    IReadOnlyList<CheckResult> Checks,
    IReadOnlyList<string> Notes,
    BackupScanOptions Options)
{
    /// <summary>What the scan found for <paramref name="store"/>.</summary>
    public StoreBackups this[BackupStore store] => Stores[store];

    /// <summary>The stores with at least one backup, in store order.</summary>
    public IReadOnlyList<BackupStore> StoresWithBackups => [.. Enum.GetValues<BackupStore>().Where(s => Stores[s].Backups.Count > 0)];

    /// <summary>The set check named <paramref name="name"/>, or null.</summary>
    public CheckResult? Check(string name) => Checks.FirstOrDefault(c => c.Name == name);

    /// <summary>The backup chosen for <paramref name="store"/>.</summary>
    /// <exception cref="BackupRejectedException">Nothing can be drilled in that store; the message says why.</exception>
    public BackupSelection Require(BackupStore store) => Stores[store].Selection
        ?? throw new BackupRejectedException(BackupFinder.FolderOf(store), Stores[store].NoSelectionReason ?? $"No {store} backup was chosen.");

    /// <summary>Entries at the root that are neither the manifest nor a store's folder, described for the stray-files check.</summary>
    internal IReadOnlyList<string> RootStrays { get; init; } = [];

    /// <summary>
    /// The set as it is once <paramref name="store"/>'s chosen backup is found to have changed after the scan (its
    /// <see cref="BackupFile.ChangeSinceScan"/> said <paramref name="change"/>, e.g. during the leg's full read): that file is
    /// "being written", and the selection falls back to the newest complete backup before it, with a note and the checks re-judged.
    /// </summary>
    public BackupSet WithChangedBackup(BackupStore store, string change)
    {
        var chosen = Stores[store].Selection?.Backup ?? throw new InvalidOperationException($"No {store} backup was chosen, so none can have changed.");
        var marked = Stores[store].Backups
            .Select(b => b.RelativePath == chosen.RelativePath ? b with { Completion = new BackupCompletion(BackupCompleteness.BeingWritten, change) } : b)
            .ToList();
        return BackupSetScan.Judge(Options, Root, Manifest, ManifestProblem, RootStrays,
            Stores.ToDictionary(p => p.Key, p => p.Key == store ? (p.Value.FolderExists, (IReadOnlyList<BackupFile>)marked, p.Value.Rejected, p.Value.Strays)
                                                                : (p.Value.FolderExists, p.Value.Backups, p.Value.Rejected, p.Value.Strays)));
    }
}
