namespace Gittensory.Drills.Backups;

/// <summary>What the scan's cheap look at a backup's start and end says about whether the run that wrote it finished.</summary>
public enum BackupCompleteness
{
    /// <summary>Its start and end are those of a whole backup (the full read in the leg still proves the rest).</summary>
    Complete,

    /// <summary>It is cut short: the run that wrote it did not finish (or a copy of it stopped early).</summary>
    Unfinished,

    /// <summary>Its size or modification time changed while the scan looked at it: it is still being written.</summary>
    BeingWritten,

    /// <summary>It is not in a format the scan recognises (or the scan does not judge this store); the leg's full read judges it.</summary>
    NotJudged,
}
