namespace Gittensory.Drills.Preflight;

/// <summary>How an archive's data blocks are compressed (pg_compress_algorithm in src/include/common/compression.h).</summary>
public enum PgCompression
{
    /// <summary>Not compressed (<c>pg_dump -Fc -Z0</c>).</summary>
    None = 0,

    /// <summary>zlib streams, one per table (the default of <c>pg_dump -Fc</c>; pg_dump calls it gzip).</summary>
    Gzip = 1,

    /// <summary>LZ4 (<c>pg_dump -Z lz4</c>, PostgreSQL 16 and later).</summary>
    Lz4 = 2,

    /// <summary>Zstandard (<c>pg_dump -Z zstd</c>, PostgreSQL 16 and later).</summary>
    Zstd = 3,
}
