using Gittensory.Drills.Checks;

namespace Gittensory.Drills.Reporting;

/// <summary>What an operator does about a failed or warning check, by the check's family (its name up to the store).</summary>
public static class CheckAdvice
{
    private static readonly (string Prefix, string Advice)[] ByPrefix =
    [
        ("set.age.", "The backup job has not written a recent backup to this folder: check that it is scheduled and that its last runs succeeded, and that the drill reads the same backups volume."),
        ("backup.age", "The newest backup is too old (or dated in the future): check the backup job's schedule and last runs, and the clock of the host that writes the backups."),
        ("set.retention.", "The folder keeps more or fewer backups than the manifest's retain: check BACKUP_RETAIN and the prune step of the backup job."),
        ("set.manifest", "manifest.json disagrees with the files: the last backup run may not have finished; check the backup job's log for that run."),
        ("backup.manifest", "manifest.json disagrees with the files: the last backup run may not have finished; check the backup job's log for that run."),
        ("set.newest-run", "The newest backup run did not finish in every folder: check the backup job's log for that run."),
        ("set.choice.", "The newest backup could not be drilled as it is (cut short, still being written, or a tie): see the details, and drill again after the backup job has finished."),
        ("set.stray-files", "Files that are not backups are in the backups root: move them out, so that retention and discovery see only backups."),
        ("backup.recovery-point", "The newest data in the backup is older than allowed, or later than the backup: check that the application was writing, and the clocks of both hosts."),
        ("live.", "The live comparison failed: the details name each table; a table missing live or fewer rows live than restored in a grow-only table means data was lost."),
        ("app.", "The application did not boot cleanly on the restored data: read the application's log lines and /ready answers in its store's section."),
        ("qdrant.", "The Qdrant snapshot is not proven restorable or does not match the restored database: see the details; make a new snapshot and drill it."),
        ("profile.migration-ledger", "The migration ledger is not the application's: an unknown or missing migration means the backup does not match this release."),
        ("profile.", "The restored database is not the application's shape (tables, seed rows): do not rely on this backup; make a new one and drill it."),
    ];

    /// <summary>The advice for <paramref name="check"/>; a generic one for a family with none of its own.</summary>
    public static string For(CheckResult check)
    {
        foreach (var (prefix, advice) in ByPrefix)
        {
            if (check.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return advice;
            }
        }

        return check.Verdict == CheckVerdict.Warning
            ? "A warning does not fail the drill: read the details and decide whether the backup job needs attention."
            : "This backup is not proven restorable: do not rely on it. Read what was found and the details, fix the cause, make a new backup and drill it again.";
    }
}
