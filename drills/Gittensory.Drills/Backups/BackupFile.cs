namespace Gittensory.Drills.Backups;

/// <summary>One backup file found under the backups root.</summary>
/// <param name="Store">The store it backs up.</param>
/// <param name="RelativePath">Its path relative to the root, with forward slashes (as the manifest names it).</param>
/// <param name="FullPath">Its absolute path.</param>
/// <param name="Prefix">The name's prefix (<c>loopover</c>, <c>gittensory</c>, ...).</param>
/// <param name="Timestamp">The UTC time stamp in its name (when the backup run started); null when its name carries none.</param>
/// <param name="Bytes">Its size in bytes.</param>
public sealed record BackupFile(BackupStore Store, string RelativePath, string FullPath, string Prefix, DateTimeOffset? Timestamp, long Bytes);
