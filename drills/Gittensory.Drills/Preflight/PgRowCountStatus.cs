namespace Gittensory.Drills.Preflight;

/// <summary>Whether the archive's rows could be counted offline.</summary>
public enum PgRowCountStatus
{
    /// <summary>Every table's data was read and its rows counted.</summary>
    Counted,

    /// <summary>The archive was read to its end but its rows were not counted (see <see cref="PgArchiveRowCounts.Reason"/>); this is not a pass.</summary>
    NotSupported,
}
