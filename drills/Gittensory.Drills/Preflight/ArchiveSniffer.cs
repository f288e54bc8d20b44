using System.IO.Compression;
using System.Text;

namespace Gittensory.Drills.Preflight;

/// <summary>Says what a file that is not a custom-format archive looks like instead, and what to do about it.</summary>
internal static class ArchiveSniffer
{
    private const string MakeCustom = "The drill reads custom-format archives, as LoopOver's backup writes them: make the backup with pg_dump -Fc.";

    /// <summary>A description of the file from its first bytes (up to 512), as "it is ..." plus what to do.</summary>
    public static string Describe(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("SQLite format 3\0"u8))
        {
            return "it is a SQLite database ('SQLite format 3'), perhaps a LoopOver SQLite backup renamed or put in the wrong folder. "
                + "SQLite backups belong under sqlite/ as loopover-<ts>.sqlite.gz; the postgres/ folder holds pg_dump -Fc archives.";
        }

        if (head.Length >= 2 && head[0] == 0x1f && head[1] == 0x8b)
        {
            return DescribeGzip(head);
        }

        if (head.Length >= 262 && head[257..262].SequenceEqual("ustar"u8))
        {
            var member = Encoding.UTF8.GetString(head[..100]).TrimEnd('\0');
            return member == "toc.dat"
                ? "it is a tar-format pg_dump archive (pg_dump -Ft: a tar file whose first member is toc.dat). " + MakeCustom
                : $"it is a tar archive whose first member is '{member}', not a pg_dump archive (a Qdrant snapshot is a tar file, for instance). " + MakeCustom;
        }

        if (LooksLikePlainSql(head, out var kind))
        {
            return $"it is {kind}, a script that only psql can replay. " + MakeCustom;
        }

        if (head.StartsWith(new byte[] { 0x28, 0xb5, 0x2f, 0xfd }))
        {
            return "it is zstd-compressed data. If it is a compressed pg_dump -Fc archive, decompress it first (pg_dump -Fc already compresses table data); "
                + MakeCustom;
        }

        if (head.StartsWith("PK\x03\x04"u8))
        {
            return "it is a zip file. " + MakeCustom;
        }

        if (head.StartsWith("PGD"u8) && head.Length < 5)
        {
            return $"it is only {head.Length} byte(s) long, the start of a pg_dump signature: the file was cut short. Use an older backup.";
        }

        if (IsMostlyText(head))
        {
            var firstLine = Encoding.UTF8.GetString(head).Split('\n')[0].Trim();
            if (firstLine.Length > 60)
            {
                firstLine = firstLine[..60] + "...";
            }

            return $"it is a text file starting with \"{firstLine}\". " + MakeCustom;
        }

        return $"its first bytes are {Convert.ToHexString(head[..Math.Min(16, head.Length)]).ToLowerInvariant()}, which match no known backup format: "
            + "the file is not a PostgreSQL backup, or is damaged from its first byte. Use an older backup and check the job that wrote this one.";
    }

    /// <summary>What a directory given as a backup is: a directory-format dump when it holds toc.dat.</summary>
    public static string DescribeDirectory(string path)
    {
        var hasToc = new[] { "toc.dat", "toc.dat.gz", "toc.dat.lz4", "toc.dat.zst" }.Any(name => File.Exists(Path.Combine(path, name)));
        return hasToc
            ? "it is a directory-format pg_dump (pg_dump -Fd: a folder with toc.dat and one file per table), not a single archive file. " + MakeCustom
            : "it is a directory, not a backup file. Name the .dump file itself.";
    }

    private static string DescribeGzip(ReadOnlySpan<byte> head)
    {
        // Peek into the gzip stream: a gzipped custom archive or plain dump deserves the exact advice.
        var inner = new byte[512];
        var read = 0;
        try
        {
            using var gzip = new GZipStream(new MemoryStream(head.ToArray()), CompressionMode.Decompress);
            int n;
            while (read < inner.Length && (n = gzip.Read(inner, read, inner.Length - read)) > 0)
            {
                read += n;
            }
        }
        catch (InvalidDataException)
        {
            // Only the first bytes were given, so the stream is cut short; whatever was inflated so far is enough.
        }
        catch (EndOfStreamException)
        {
        }

        var start = inner.AsSpan(0, read);
        if (start.StartsWith("PGDMP"u8))
        {
            return "it is a gzip-compressed custom-format archive. Decompress it first (gunzip); pg_dump -Fc already compresses table data, so it needs no gzip.";
        }

        if (start.StartsWith("SQLite format 3\0"u8))
        {
            return "it is a gzip-compressed SQLite database, which looks like a LoopOver SQLite backup (loopover-<ts>.sqlite.gz) in the wrong folder. "
                + "SQLite backups belong under sqlite/; the postgres/ folder holds pg_dump -Fc archives.";
        }

        if (LooksLikePlainSql(start, out var kind))
        {
            return $"it is a gzip-compressed copy of {kind}, a script that only psql can replay. " + MakeCustom;
        }

        return "it is gzip-compressed data (not a pg_dump archive inside). " + MakeCustom;
    }

    private static bool LooksLikePlainSql(ReadOnlySpan<byte> head, out string kind)
    {
        var text = Encoding.UTF8.GetString(head);
        if (text.Contains("PostgreSQL database cluster dump", StringComparison.Ordinal))
        {
            kind = "a pg_dumpall script ('PostgreSQL database cluster dump')";
            return true;
        }

        if (text.Contains("PostgreSQL database dump", StringComparison.Ordinal))
        {
            kind = "a plain-SQL pg_dump script ('PostgreSQL database dump', made with pg_dump -Fp or without -F)";
            return true;
        }

        var trimmed = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (trimmed.StartsWith("--", StringComparison.Ordinal) || trimmed.StartsWith("SET ", StringComparison.OrdinalIgnoreCase)
            || trimmed.StartsWith("CREATE ", StringComparison.OrdinalIgnoreCase) || trimmed.StartsWith("BEGIN;", StringComparison.OrdinalIgnoreCase))
        {
            kind = "a plain SQL script";
            return true;
        }

        kind = "";
        return false;
    }

    private static bool IsMostlyText(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
        {
            return false;
        }

        var printable = 0;
        foreach (var b in head)
        {
            if (b is >= 0x20 and < 0x7f or (byte)'\n' or (byte)'\r' or (byte)'\t' || b >= 0x80)
            {
                printable++;
            }
        }

        return head.IndexOf((byte)0) < 0 && printable >= head.Length * 0.95;
    }
}
