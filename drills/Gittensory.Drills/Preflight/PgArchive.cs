namespace Gittensory.Drills.Preflight;

/// <summary>What a custom-format archive says about itself, read offline from its header and table of contents (no data read).</summary>
public sealed record PgArchive
{
    /// <summary>The archive's path, as given to the reader.</summary>
    public required string File { get; init; }

    /// <summary>The file's length in bytes when it was read.</summary>
    public required long FileBytes { get; init; }

    /// <summary>The archive header.</summary>
    public required PgArchiveHeader Header { get; init; }

    /// <summary>Every TOC entry, in archive order (the order pg_restore -l lists them).</summary>
    public required IReadOnlyList<PgTocEntry> Entries { get; init; }

    /// <summary>The byte offset where the TOC ends and the first data block starts.</summary>
    public required long DataStart { get; init; }

    /// <summary>How many entries of each kind the TOC has, by <see cref="PgTocEntry.Desc"/> (TABLE, TABLE DATA, SEQUENCE SET, INDEX, ...), in ordinal order.</summary>
    public required IReadOnlyDictionary<string, int> Summary { get; init; }

    /// <summary>The tables (<c>schema.table</c>) that have a TABLE DATA entry, in archive order.</summary>
    public required IReadOnlyList<Checks.TableName> TablesWithData { get; init; }

    /// <summary>The tables (<c>schema.table</c>) with a TABLE entry but no TABLE DATA entry (dumped with <c>--exclude-table-data</c> or <c>--schema-only</c>).</summary>
    public required IReadOnlyList<Checks.TableName> TablesWithoutData { get; init; }

    /// <summary>Each sequence's archived value (from its SEQUENCE SET entry), by <c>schema.sequence</c>.</summary>
    public required IReadOnlyDictionary<string, PgSequenceValue> SequenceValues { get; init; }

    /// <summary>The dumped server's major version, from <see cref="PgArchiveHeader.DumpedFrom"/> ("15.18 (Debian ...)" gives 15; for 9.x only the 9), or null when the archive does not say.</summary>
    public int? ServerMajor => PgArchiveVersions.MajorOf(Header.DumpedFrom);

    /// <summary>pg_dump's major version, from <see cref="PgArchiveHeader.DumpedBy"/>, or null when the archive does not say.</summary>
    public int? DumpedByMajor => PgArchiveVersions.MajorOf(Header.DumpedBy);

    /// <summary>The oldest PostgreSQL major whose server and pg_restore can take this dump: the highest of <see cref="ServerMajor"/>, <see cref="DumpedByMajor"/> and <see cref="MinimumRestoreMajor"/>.</summary>
    public int RestoreMajor => new[] { ServerMajor ?? 0, DumpedByMajor ?? 0, MinimumRestoreMajor }.Max();

    /// <summary>The extensions the archive creates (its EXTENSION entries' names, e.g. <c>vector</c>), in archive order.</summary>
    public IReadOnlyList<string> Extensions => PgArchiveExtensions.Required(this);

    /// <summary>The oldest PostgreSQL major whose pg_restore (current minor release) reads this archive version: 12 for 1.14, 16 for 1.15, 17 for 1.16.</summary>
    public int MinimumRestoreMajor => PgArchiveVersions.MinimumRestoreMajor(Header.ArchiveVersion);
}
