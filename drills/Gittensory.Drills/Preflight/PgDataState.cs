namespace Gittensory.Drills.Preflight;

/// <summary>Whether a TOC entry has a data block and whether its position was recorded (K_OFFSET_* in pg_backup_archiver.h).</summary>
public enum PgDataState
{
    /// <summary>The entry has data but its position was not recorded (pg_dump wrote to a pipe): found by reading the blocks in order.</summary>
    PositionNotSet = 1,

    /// <summary>The entry has data at <see cref="PgTocEntry.DataOffset"/>.</summary>
    PositionSet = 2,

    /// <summary>The entry has no data block (schema only).</summary>
    NoData = 3,
}
