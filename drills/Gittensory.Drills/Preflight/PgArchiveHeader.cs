namespace Gittensory.Drills.Preflight;

/// <summary>The header of a custom-format archive, as pg_restore reads it (ReadHead in pg_backup_archiver.c).</summary>
public sealed record PgArchiveHeader
{
    /// <summary>The archive format version (major.minor.revision), e.g. 1.14.0 from pg_dump 12 to 15, 1.15.0 from pg_dump 16.</summary>
    public required Version ArchiveVersion { get; init; }

    /// <summary>Bytes per integer in the archive (4 on every platform PostgreSQL builds on).</summary>
    public required int IntSize { get; init; }

    /// <summary>Bytes per file offset in the archive (8 on 64-bit builds).</summary>
    public required int OffsetSize { get; init; }

    /// <summary>How the data blocks are compressed.</summary>
    public required PgCompression Compression { get; init; }

    /// <summary>The zlib level written by archives before 1.15 (-1 for the default, 0 for none), or null for 1.15 and later, which record only the algorithm.</summary>
    public required int? CompressionLevel { get; init; }

    /// <summary>When pg_dump started, as wall-clock time where it ran (the archive keeps no time zone), or null when the fields do not form a date.</summary>
    public required DateTime? CreatedAt { get; init; }

    /// <summary>The database that was dumped.</summary>
    public required string? DatabaseName { get; init; }

    /// <summary>The server's version string ("Dumped from database version"), e.g. <c>16.4 (Debian 16.4-1.pgdg120+2)</c>.</summary>
    public required string? DumpedFrom { get; init; }

    /// <summary>pg_dump's version string ("Dumped by pg_dump version").</summary>
    public required string? DumpedBy { get; init; }
}
