namespace Gittensory.Drills.Reporting;

/// <summary>One table: the rows stored for it in the backup, and the rows found after the restore (null when absent).</summary>
public sealed record TableReport(string Name, long? ArchivedRows, long? RestoredRows);
