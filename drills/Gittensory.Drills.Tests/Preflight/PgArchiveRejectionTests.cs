using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using FluentAssertions;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Preflight;
using Xunit;

namespace Gittensory.Drills.Tests.Preflight;

/// <summary>Files the reader refuses, built from real pg_dump output: each message names the file, says what it is, and what to do.</summary>
[Collection(PgDumpCollection.Name)]
public sealed class PgArchiveRejectionTests(PgDumpFixture dumps)
{
    private const string CutShort = "*cut short*use an older backup*";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnEmptyFileIsRejectedAsEmpty()
    {
        // Given a 0-byte file
        await dumps.RequireAsync(Ct);
        var path = Write("empty.dump", []);

        // When / Then
        var e = await RejectedAsync(path);
        e.Message.Should().Match("Backup '*empty.dump' is empty (0 bytes): pg_dump wrote nothing.*backup job's log*older backup*");
    }

    [Fact]
    public async Task APlainSqlDumpIsRejectedAsAScriptOnlyPsqlCanReplay()
    {
        await dumps.RequireAsync(Ct);
        var e = await RejectedAsync(dumps.PlainDump);
        e.Message.Should().Match("Backup '*plain.sql' is not a pg_dump custom-format archive (it does not start with 'PGDMP'): "
            + "it is a plain-SQL pg_dump script ('PostgreSQL database dump'*only psql can replay*pg_dump -Fc*");
    }

    [Fact]
    public async Task ATarFormatDumpIsRejectedAsTarFormat()
    {
        await dumps.RequireAsync(Ct);
        var e = await RejectedAsync(dumps.TarDump);
        e.Message.Should().Match("*it is a tar-format pg_dump archive (pg_dump -Ft: a tar file whose first member is toc.dat)*make the backup with pg_dump -Fc*");
    }

    [Fact]
    public async Task ADirectoryFormatDumpIsRejectedAsADirectory()
    {
        await dumps.RequireAsync(Ct);
        var e = await RejectedAsync(dumps.DirectoryDump);
        e.Message.Should().Match("Backup '*directory.dump' is not a pg_dump custom-format archive: it is a directory-format pg_dump (pg_dump -Fd*toc.dat*pg_dump -Fc*");
    }

    [Fact]
    public async Task AGzippedCustomDumpIsRejectedWithAdviceToDecompressIt()
    {
        // Given the custom dump run through gzip
        await dumps.RequireAsync(Ct);
        var path = Write("gzipped.dump", Gzip(await File.ReadAllBytesAsync(dumps.CustomDump, Ct)));

        var e = await RejectedAsync(path);
        e.Message.Should().Match("*does not start with 'PGDMP'): it is a gzip-compressed custom-format archive. Decompress it first (gunzip)*");
    }

    [Fact]
    public async Task AGzippedPlainDumpIsRejectedAsACompressedScript()
    {
        await dumps.RequireAsync(Ct);
        var path = Write("plain.sql.gz", Gzip(await File.ReadAllBytesAsync(dumps.PlainDump, Ct)));

        var e = await RejectedAsync(path);
        e.Message.Should().Match("*it is a gzip-compressed copy of a plain-SQL pg_dump script*only psql can replay*");
    }

    [Fact]
    public async Task ASqliteDatabaseIsRejectedAsSqliteInTheWrongFolder()
    {
        // Given a SQLite file (header and empty pages) named like a Postgres backup
        await dumps.RequireAsync(Ct);
        var sqlite = new byte[4096];
        "SQLite format 3\0"u8.CopyTo(sqlite);
        var path = Write("loopover-20260704T090939Z.dump", sqlite);

        var e = await RejectedAsync(path);
        e.Message.Should().Match("*it is a SQLite database ('SQLite format 3')*SQLite backups belong under sqlite/*postgres/ folder holds pg_dump -Fc archives*");
    }

    [Fact]
    public async Task RandomBytesAreRejectedShowingTheirFirstBytes()
    {
        await dumps.RequireAsync(Ct);
        var bytes = new byte[4096];
        new Random(20260704).NextBytes(bytes);
        bytes[0] = 0x9a; // not the first byte of any format above
        var path = Write("random.dump", bytes);

        var e = await RejectedAsync(path);
        e.Message.Should().Match($"*its first bytes are {Convert.ToHexStringLower(bytes.AsSpan(0, 16))}, which match no known backup format*older backup*");
    }

    [Theory]
    [InlineData(5)]
    [InlineData(12)]
    [InlineData(40)]
    [InlineData(100)]
    public async Task AnArchiveCutInsideItsHeaderIsRejected(int length)
    {
        // Given the first bytes of a real archive only
        await dumps.RequireAsync(Ct);
        var path = Write($"cut-header-{length}.dump", (await File.ReadAllBytesAsync(dumps.CustomDump, Ct))[..length]);

        var e = await RejectedAsync(path);
        e.Message.Should().Match($"Backup '*cut-header-{length}.dump' ends inside its pg_dump header, at byte {length} (the file is {length} bytes*" + CutShort);
    }

    [Fact]
    public async Task AnArchiveCutInsideItsTableOfContentsIsRejectedNamingTheLastCompleteEntry()
    {
        // Given an archive cut halfway through its table of contents
        await dumps.RequireAsync(Ct);
        var archive = await PgArchiveReader.ReadHeaderAndTocAsync(dumps.CustomDump, ct: Ct);
        var length = (int)(archive.DataStart / 2);
        var path = Write("cut-toc.dump", (await File.ReadAllBytesAsync(dumps.CustomDump, Ct))[..length]);

        var e = await RejectedAsync(path);
        e.Message.Should().Match($"Backup '*cut-toc.dump' ends inside its table of contents, in entry * of {archive.Entries.Count}, at byte {length} "
            + "(the file is * bytes; the table of contents starts at byte * and is complete only after entry *" + CutShort);
    }

    [Fact]
    public async Task ASeekableArchiveCutInsideATablesDataIsRejectedFromItsOffsetsBeforeAnyDataIsRead()
    {
        // Given a -Fc file cut in the middle of public.big's data
        await dumps.RequireAsync(Ct);
        var (start, end) = await BigBlockAsync();
        var length = (int)((start + end) / 2);
        var path = Write("cut-seekable.dump", (await File.ReadAllBytesAsync(dumps.CustomDump, Ct))[..length]);

        // When only its table of contents is read, then it is refused naming the table whose data the file ends in
        var e = await RejectedAsync(path, count: false);
        e.Message.Should().Match($"Backup '*cut-seekable.dump' is {length} bytes, but its table of contents places the data of * at byte {end}*beyond that: "
            + $"the file ends inside the data of table public.big (TOC entry *, which starts at byte {start}).*" + CutShort);
    }

    [Fact]
    public async Task APipedArchiveCutInsideATablesDataIsRejectedWhileCountingNamingTheTableAndByte()
    {
        // Given a dump written through a pipe (no offsets in its TOC), cut in the middle of public.big's data
        await dumps.RequireAsync(Ct);
        var (start, end) = await BigBlockAsync(dumps.PipedDump);
        var length = (int)((start + end) / 2);
        var path = Write("cut-piped.dump", (await File.ReadAllBytesAsync(dumps.PipedDump, Ct))[..length]);

        var e = await RejectedAsync(path);
        e.Message.Should().Match($"Backup '*cut-piped.dump' ends inside the data of table public.big (TOC entry *), which starts at byte {start}: "
            + $"the file is {length} bytes and ends mid-block.*" + CutShort);
    }

    [Fact]
    public async Task APipedArchiveCutBetweenDataBlocksIsRejectedNamingTheFirstMissingTable()
    {
        // Given a piped dump cut exactly where the data block after public.big starts
        await dumps.RequireAsync(Ct);
        var (_, end) = await BigBlockAsync(dumps.PipedDump);
        var path = Write("cut-between.dump", (await File.ReadAllBytesAsync(dumps.PipedDump, Ct))[..(int)end]);
        var archive = await PgArchiveReader.ReadHeaderAndTocAsync(dumps.CustomDump, ct: Ct);
        var next = archive.Entries.Where(x => x.DataOffset is not null).OrderBy(x => x.DataOffset).First(x => x.DataOffset == end);

        var e = await RejectedAsync(path);
        e.Message.Should().Match($"Backup '*cut-between.dump' ends at byte {end} after the data of * of 8 entries: the data of "
            + $"{(next.Desc == "TABLE DATA" ? "table " + next.QualifiedName : "large objects")} (TOC entry {next.DumpId})* is missing.*" + CutShort);
    }

    [Fact]
    public async Task FlippedBytesInsideATablesCompressedDataAreRejectedNamingTheTable()
    {
        // Given the archive with 64 bytes in the middle of public.big's zlib stream inverted
        await dumps.RequireAsync(Ct);
        var (start, end) = await BigBlockAsync();
        var bytes = await File.ReadAllBytesAsync(dumps.CustomDump, Ct);
        var middle = (int)((start + end) / 2);
        for (var i = middle; i < middle + 64; i++)
        {
            bytes[i] ^= 0xff;
        }

        var path = Write("flipped.dump", bytes);

        // When it is counted, then it is refused naming the table, while its table of contents still reads
        await PgArchiveReader.ReadHeaderAndTocAsync(path, ct: Ct);
        var e = await RejectedAsync(path);
        e.Message.Should().Match($"Backup '*flipped.dump' has * data for table public.big (TOC entry *, data block at byte {start})*older backup*");
    }

    [Fact]
    public async Task AnArchiveOfAFutureFormatVersionIsRejectedSayingWhichPgRestoreItNeeds()
    {
        // Given a real archive patched to say format 1.17, made by "pg_dump 19.10"
        await dumps.RequireAsync(Ct);
        var bytes = await File.ReadAllBytesAsync(dumps.CustomDump, Ct);
        var version = Encoding.UTF8.GetBytes((await PgArchiveReader.ReadHeaderAndTocAsync(dumps.CustomDump, ct: Ct)).Header.DumpedBy!);
        var dumpedFrom = IndexOf(bytes, version, 0);
        var dumpedBy = IndexOf(bytes, version, dumpedFrom + version.Length); // the same text follows, as "dumped by"
        bytes[6] = 17;
        "19.10"u8.CopyTo(bytes.AsSpan(dumpedBy));
        var path = Write("future.dump", bytes);

        var e = await RejectedAsync(path, count: false);
        e.Message.Should().Match("Backup '*future.dump' is a pg_dump archive of format version 1.17.0, newer than this reader knows (1.12 to 1.16, "
            + "written by pg_dump 9.0 to 18). It was made by pg_dump 19.10*; restoring it needs pg_restore 19 or newer.*pg_dump 18 or older*");
    }

    [Fact]
    public async Task AnArchiveOlderThanVersion112IsRejected()
    {
        await dumps.RequireAsync(Ct);
        var bytes = await File.ReadAllBytesAsync(dumps.CustomDump, Ct);
        bytes[6] = 11;
        var path = Write("ancient.dump", bytes);

        var e = await RejectedAsync(path, count: false);
        e.Message.Should().Match("*format version 1.11, from pg_dump 8.4 or older; this reader reads 1.12*dump again*");
    }

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    private static int IndexOf(byte[] bytes, ReadOnlySpan<byte> what, int from) => from + bytes.AsSpan(from).IndexOf(what);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(dumps.Folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>Where public.big's data block starts, and where the next block starts (offsets from the seekable dump, checked in <paramref name="path"/>).</summary>
    private async Task<(long Start, long End)> BigBlockAsync(string? path = null)
    {
        var archive = await PgArchiveReader.ReadHeaderAndTocAsync(dumps.CustomDump, ct: Ct);
        var ordered = archive.Entries.Where(e => e.DataOffset is not null).OrderBy(e => e.DataOffset).ToList();
        var index = ordered.FindIndex(e => e.Desc == "TABLE DATA" && e.QualifiedName == "public.big");
        index.Should().BeLessThan(ordered.Count - 1, "public.big's block is followed by another");
        var (start, end) = (ordered[index].DataOffset!.Value, ordered[index + 1].DataOffset!.Value);

        // The piped dump has the same layout (offsets are fixed-width); make sure a data block for big really starts there.
        var bytes = await File.ReadAllBytesAsync(path ?? dumps.CustomDump, Ct);
        bytes[start].Should().Be(1, "a table data block starts at public.big's offset");
        BitConverter.ToInt32(bytes, (int)start + 2).Should().Be(ordered[index].DumpId);
        bytes[end].Should().BeOneOf((byte)1, (byte)3);
        return (start, end);
    }

    /// <summary>Reads (and with <paramref name="count"/>, counts) <paramref name="path"/>, expecting a rejection naming it, and checks the file was not changed.</summary>
    private static async Task<BackupRejectedException> RejectedAsync(string path, bool count = true)
    {
        var before = File.Exists(path) ? Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path, Ct))) : null;
        var act = async () =>
        {
            var archive = await PgArchiveReader.ReadHeaderAndTocAsync(path, ct: Ct);
            if (count)
            {
                await PgArchiveReader.CountRowsAsync(path, archive, ct: Ct);
            }
        };

        var thrown = await act.Should().ThrowAsync<BackupRejectedException>();
        var e = thrown.Which;
        e.File.Should().Be(path);
        e.Message.Should().Contain($"'{path}'");
        if (before is not null)
        {
            Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path, Ct))).Should().Be(before, "the reader never writes");
        }

        return e;
    }
}
