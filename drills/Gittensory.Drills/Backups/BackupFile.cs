using System.Globalization;

namespace Gittensory.Drills.Backups;

/// <summary>One backup file found under the backups root.</summary>
/// <param name="Store">The store it backs up.</param>
/// <param name="RelativePath">Its path relative to the root, with forward slashes (as the manifest names it).</param>
/// <param name="FullPath">Its absolute path.</param>
/// <param name="Prefix">The name's prefix (<c>loopover</c>, <c>gittensory</c>, ...).</param>
/// <param name="Timestamp">The UTC time stamp in its name (when the backup run started); null when its name carries none.</param>
/// <param name="Bytes">Its size in bytes when the backups root was scanned.</param>
public sealed record BackupFile(BackupStore Store, string RelativePath, string FullPath, string Prefix, DateTimeOffset? Timestamp, long Bytes)
{
    /// <summary>Its modification time (UTC) when the backups root was scanned; with <see cref="Bytes"/>, the snapshot <see cref="ChangeSinceScan"/> compares with.</summary>
    public DateTime LastWriteUtc { get; init; }

    /// <summary>Whether the scan found it a whole backup, one cut short, or one still being written; null when the scan did not look.</summary>
    public BackupCompletion? Completion { get; init; }

    /// <summary>True unless the scan found it cut short or still being written.</summary>
    public bool MayBeComplete => Completion?.State is not (BackupCompleteness.Unfinished or BackupCompleteness.BeingWritten);

    /// <summary>
    /// Re-reads the file's size and modification time and says how they changed since the scan (e.g. after the full read of the
    /// preflight): null when unchanged, else a sentence such as "it grew from 1,000 to 2,000 bytes while the drill read it" (the backup job is still writing it).
    /// </summary>
    public string? ChangeSinceScan()
    {
        var info = new FileInfo(FullPath);
        if (!info.Exists)
        {
            return "it was removed while the drill read it";
        }

        if (info.Length != Bytes)
        {
            var verb = info.Length > Bytes ? "grew" : "shrank";
            return string.Create(CultureInfo.InvariantCulture, $"it {verb} from {Bytes:N0} to {info.Length:N0} bytes while the drill read it");
        }

        return info.LastWriteTimeUtc != LastWriteUtc
            ? $"it was modified while the drill read it (at {info.LastWriteTimeUtc:u}, after {LastWriteUtc:u} when the set was scanned)"
            : null;
    }
}
