namespace Gittensory.Drills.Checks;

/// <summary>What was measured in a restored database, before anything (such as booting the application) could change it.</summary>
/// <param name="Tables">Every table with its exact row count.</param>
/// <param name="Sequences">Every sequence with its value and its column's largest value.</param>
/// <param name="Ledger">The migration ledger's rows, or null when the ledger table does not exist.</param>
/// <param name="Activity">The newest time stamp of each activity column the profile names.</param>
public sealed record DatabaseFacts(
    IReadOnlyList<TableFact> Tables,
    IReadOnlyList<SequenceFact> Sequences,
    IReadOnlyList<LedgerRow>? Ledger,
    IReadOnlyList<ActivityFact> Activity)
{
    /// <summary>The job queue by status and the job counters (null when the profile names no queue).</summary>
    public JobState? Jobs { get; init; }

    /// <summary>The row count of <paramref name="table"/> (unqualified), or null when it does not exist.</summary>
    public long? RowsOf(string table) => Tables.FirstOrDefault(t => t.Name == table)?.Rows;
}
