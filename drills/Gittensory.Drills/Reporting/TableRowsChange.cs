namespace Gittensory.Drills.Reporting;

/// <summary>A table whose restored rows differ from the previous drill's (null: the table was not restored then, or is not now).</summary>
public sealed record TableRowsChange(string Store, string Table, long? RowsBefore, long? RowsNow)
{
    /// <summary>Rows now less rows before (null when either is missing).</summary>
    public long? Delta => RowsBefore is { } b && RowsNow is { } n ? n - b : null;
}
