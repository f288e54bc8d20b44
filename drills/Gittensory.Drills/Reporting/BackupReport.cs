namespace Gittensory.Drills.Reporting;

/// <summary>The backup that was drilled: its path relative to the root, size, SHA-256, time stamp and how it was chosen.</summary>
public sealed record BackupReport(
    string File,
    long Bytes,
    string? Sha256,
    DateTimeOffset? Timestamp,
    string SelectedBy,
    IReadOnlyList<string> Notes);
