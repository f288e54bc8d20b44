using System.Buffers.Binary;

namespace Gittensory.Drills.Checks;

/// <summary>What the first 100 bytes of a SQLite database file say (https://sqlite.org/fileformat.html#the_database_header).</summary>
/// <param name="PageSize">The page size in bytes.</param>
/// <param name="Wal">True when the file is in WAL mode (file format 2), as LoopOver's backups are.</param>
/// <param name="PageCount">The number of pages the header records, or null when the header's count is not valid.</param>
public sealed record SqliteFileHeader(int PageSize, bool Wal, long? PageCount)
{
    /// <summary>The 16 bytes every SQLite 3 database file begins with.</summary>
    public static ReadOnlySpan<byte> Magic => "SQLite format 3\0"u8;

    /// <summary>Reads a header from the first bytes of a file; false when they are not a SQLite 3 database's.</summary>
    public static bool TryParse(ReadOnlySpan<byte> head, out SqliteFileHeader header)
    {
        header = new SqliteFileHeader(0, false, null);
        if (head.Length < 100 || !head.StartsWith(Magic))
        {
            return false;
        }

        var rawPageSize = BinaryPrimitives.ReadUInt16BigEndian(head[16..]);
        var pageSize = rawPageSize == 1 ? 65536 : rawPageSize;
        if (pageSize < 512 || (pageSize & (pageSize - 1)) != 0)
        {
            return false;
        }

        // The in-header page count is valid only when "version-valid-for" equals the change counter.
        var changeCounter = BinaryPrimitives.ReadUInt32BigEndian(head[24..]);
        var validFor = BinaryPrimitives.ReadUInt32BigEndian(head[92..]);
        var pages = BinaryPrimitives.ReadUInt32BigEndian(head[28..]);
        header = new SqliteFileHeader(pageSize, head[18] == 2 && head[19] == 2, changeCounter == validFor && pages > 0 ? pages : null);
        return true;
    }
}
