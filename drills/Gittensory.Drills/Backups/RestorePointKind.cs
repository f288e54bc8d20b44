namespace Gittensory.Drills.Backups;

/// <summary>Which retained backup a drill restores (<c>-RestorePoint</c>).</summary>
public enum RestorePointKind
{
    /// <summary>The newest complete backup (the default).</summary>
    Newest,

    /// <summary>The oldest complete backup in the retention window.</summary>
    Oldest,

    /// <summary>A complete backup chosen from the window by a seed, so the choice can be repeated.</summary>
    Random,

    /// <summary>The backup of one time stamp (<c>yyyyMMddTHHmmssZ</c>).</summary>
    At,
}
