namespace Gittensory.Drills.Backups;

/// <summary>What the scan found in one store's folder, and the backup it chose to drill there.</summary>
/// <param name="Store">The store.</param>
/// <param name="FolderExists">Whether the store's folder exists under the root.</param>
/// <param name="Backups">Every well-named regular backup file in the folder, newest first (ties: the profile's first prefix, then the name).</param>
/// <param name="Rejected">Entries named like backups that are not regular files inside the root; never opened.</param>
/// <param name="Selection">The backup to drill, how it was chosen and what the manifest said; null when there is none (see <paramref name="NoSelectionReason"/>).</param>
/// <param name="NoSelectionReason">Why nothing can be drilled in this store (none there, all still being written, the explicit file missing), or null.</param>
public sealed record StoreBackups(
    BackupStore Store,
    bool FolderExists,
    IReadOnlyList<BackupFile> Backups,
    IReadOnlyList<RejectedEntry> Rejected,
    BackupSelection? Selection,
    string? NoSelectionReason)
{
    /// <summary>The newest backup the scan did not find cut short or still being written, or null.</summary>
    public BackupFile? NewestComplete => Backups.FirstOrDefault(b => b.MayBeComplete);

    /// <summary>The backups newer than <see cref="NewestComplete"/> that did not finish or are still being written, newest first.</summary>
    public IReadOnlyList<BackupFile> Unfinished => [.. Backups.TakeWhile(b => !b.MayBeComplete)];

    /// <summary>What the choice in this folder warns about: a newer run that did not finish, a file still being written, two backups of one time stamp, an entry named like a backup that is not one.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Entries in the folder that are neither its backups nor a snapshot's <c>.checksum</c>, described for the stray-files check.</summary>
    internal IReadOnlyList<string> Strays { get; init; } = [];
}
