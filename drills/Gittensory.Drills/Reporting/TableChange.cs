namespace Gittensory.Drills.Reporting;

/// <summary>A table whose row count the application's boot changed (null rows: the table did not exist then).</summary>
public sealed record TableChange(string Name, long? RowsBefore, long? RowsAfter);
