namespace Gittensory.Drills.Checks;

/// <summary>The restored table holding one row per Qdrant point (LoopOver: <c>repo_chunks</c>), as the cross-store checks found it in the restored database.</summary>
/// <param name="Source">The store it was restored into (<c>postgres</c>, <c>sqlite</c>).</param>
/// <param name="Table">The table as reports show it, e.g. <c>public.repo_chunks</c>.</param>
/// <param name="RowCount">Its exact row count, measured before anything could change it.</param>
/// <param name="SampledIdsPresent">Which of the sampled points' row ids the restored table holds (asked of the restored database).</param>
public sealed record RestoredChunks(string Source, string Table, long RowCount, IReadOnlySet<string> SampledIdsPresent)
{
    /// <summary>Whether the restored table holds a row with this id (only meaningful for a sampled id).</summary>
    public bool Contains(string id) => SampledIdsPresent.Contains(id);
}
