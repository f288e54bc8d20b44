namespace Gittensory.Drills.Preflight;

/// <summary>One entry of an archive's table of contents, as pg_restore reads it (ReadToc in pg_backup_archiver.c).</summary>
public sealed record PgTocEntry
{
    /// <summary>The entry's dump id, unique in the archive (what <c>pg_restore -l</c> prints first).</summary>
    public required int DumpId { get; init; }

    /// <summary>True when pg_dump had a data dumper for the entry (it has a data block).</summary>
    public required bool HadDumper { get; init; }

    /// <summary>The OID of the catalog the object lives in (0 for entries that are not catalog objects).</summary>
    public required uint TableOid { get; init; }

    /// <summary>The object's OID (0 for entries that are not catalog objects).</summary>
    public required uint Oid { get; init; }

    /// <summary>The object's name (for TABLE DATA the table's, for SEQUENCE SET the sequence's), unquoted.</summary>
    public required string Tag { get; init; }

    /// <summary>What the entry is: TABLE, TABLE DATA, SEQUENCE, SEQUENCE SET, INDEX, CONSTRAINT, FK CONSTRAINT, EXTENSION, SCHEMA, DEFAULT, COMMENT, ACL, ...</summary>
    public required string Desc { get; init; }

    /// <summary>The restore section of the entry.</summary>
    public required PgTocSection Section { get; init; }

    /// <summary>The SQL that creates the object (for SEQUENCE SET the setval call); empty for data entries.</summary>
    public required string? Defn { get; init; }

    /// <summary>The SQL that drops the object.</summary>
    public required string? DropStmt { get; init; }

    /// <summary>For TABLE DATA written as COPY, the COPY ... FROM stdin statement; empty when the data is INSERT statements.</summary>
    public required string? CopyStmt { get; init; }

    /// <summary>The object's schema, or null/empty for objects outside a schema.</summary>
    public required string? Namespace { get; init; }

    /// <summary>The object's tablespace (empty for the default), or null.</summary>
    public required string? Tablespace { get; init; }

    /// <summary>The table access method (archive 1.14 and later, tables only), or null.</summary>
    public required string? TableAm { get; init; }

    /// <summary>The relation kind ('r' table, 'p' partitioned, 'v' view, ...; archive 1.16 and later), or null.</summary>
    public required char? RelKind { get; init; }

    /// <summary>The object's owner, or null/empty.</summary>
    public required string? Owner { get; init; }

    /// <summary>The dump ids this entry depends on (for TABLE DATA, the TABLE first).</summary>
    public required IReadOnlyList<int> Dependencies { get; init; }

    /// <summary>Whether the entry has a data block and whether its position is recorded.</summary>
    public required PgDataState DataState { get; init; }

    /// <summary>The byte offset of the entry's data block when <see cref="DataState"/> is <see cref="PgDataState.PositionSet"/>, else null.</summary>
    public required long? DataOffset { get; init; }

    /// <summary>True when the entry has a data block (table data or large objects).</summary>
    public bool HasData => DataState != PgDataState.NoData;

    /// <summary>The object as <c>schema.tag</c> for a reader (just the tag when it has no schema; see <see cref="Checks.TableName.ToString"/>); never a key.</summary>
    public string QualifiedName => string.IsNullOrEmpty(Namespace) ? Tag : Table.ToString();

    /// <summary>The object as (schema, tag): how a table is keyed, since a '.' may be in either part.</summary>
    public Checks.TableName Table => new(Namespace ?? "", Tag);
}
