using Gittensory.Drills.Checks;

namespace Gittensory.Drills.Pipeline;

/// <summary>How old a drill lets a backup be: the operator's maximum, else the profile's; not judged for the bundled sample set (old by construction) unless the operator sets one.</summary>
internal static class DrillAge
{
    /// <summary>The maximum age, or null when none is set.</summary>
    public static TimeSpan? MaxAge(DrillOptions options) =>
        options.MaxBackupAge ?? (options.Profile.MaxBackupAgeHours is double h ? TimeSpan.FromHours(h) : null);

    /// <summary>Why age is not judged in this drill, or null when it is.</summary>
    public static string? NotJudgedReason(DrillOptions options) =>
        options.BundledSample && options.MaxBackupAge is null
            ? "the bundled sample set is old by construction; set -MaxBackupAge to judge its age anyway (any other backups root gets the profile's maximum, 26 h for LoopOver)"
            : null;

    /// <summary>The <see cref="BackupAgeCheck"/> of a backup taken at <paramref name="taken"/>, judged now by the drill's clock.</summary>
    public static CheckResult Check(DrillOptions options, DateTimeOffset? taken) =>
        BackupAgeCheck.Evaluate(taken, options.Clock.GetUtcNow(), MaxAge(options), NotJudgedReason(options) ?? RestorePointReason(options));

    // An older restore point is old by choice: the leg's backup is not judged on age; the set's newest still is (set.age.*).
    private static string? RestorePointReason(DrillOptions options) =>
        options.RestorePoint.Kind == Backups.RestorePointKind.Newest
            ? null
            : $"restore point {options.RestorePoint} drills an older backup on purpose; the age of each folder's newest backup is judged in the set's checks (set.age.*)";
}
