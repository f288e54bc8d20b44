namespace Gittensory.Drills.Preflight;

/// <summary>The restore section a TOC entry belongs to (teSection in pg_backup.h).</summary>
public enum PgTocSection
{
    /// <summary>Comments, ACLs and the like, which follow the object they belong to.</summary>
    None = 1,

    /// <summary>Schema created before the data: schemas, tables, sequences, functions.</summary>
    PreData = 2,

    /// <summary>Table data, sequence values, large objects.</summary>
    Data = 3,

    /// <summary>Schema created after the data: indexes, constraints, triggers.</summary>
    PostData = 4,
}
