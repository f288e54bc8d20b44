using Gittensory.Drills.Checks;

namespace Gittensory.Drills.Backups;

/// <summary>The backup chosen for a drill, how it was chosen, and what the manifest and the folder said along the way.</summary>
/// <param name="Backup">The chosen backup.</param>
/// <param name="SelectedBy">How: <c>manifest</c>, <c>file name</c> or <c>explicit</c>.</param>
/// <param name="ManifestCheck">Whether the manifest agrees with the disk for this store.</param>
/// <param name="Candidates">Every well-named backup of the store, newest first.</param>
/// <param name="Notes">Things worth reading in the report (e.g. where manifest and names disagree).</param>
public sealed record BackupSelection(
    BackupFile Backup,
    string SelectedBy,
    CheckResult ManifestCheck,
    IReadOnlyList<BackupFile> Candidates,
    IReadOnlyList<string> Notes);
