namespace Gittensory.Drills.Backups;

/// <summary>A backup (or the backups root, or its manifest) that the drill refuses before restoring, with the file named and what to do.</summary>
public sealed class BackupRejectedException : Exception
{
    /// <summary>Creates the exception for <paramref name="file"/> (a path relative to the backups root where possible).</summary>
    public BackupRejectedException(string file, string message, Exception? inner = null)
        : base(message, inner)
    {
        File = file;
    }

    /// <summary>The backup file, folder or manifest that was rejected.</summary>
    public string File { get; }
}
