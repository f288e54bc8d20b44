using Gittensory.Drills.Checks;
using FluentAssertions;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Preflight;
using Xunit;

namespace Gittensory.Drills.Tests.Preflight;

/// <summary>Archive versions and compressions the local pg_dump 15 cannot write (1.15 from pg_dump 16, 1.16 from 17 and 18, lz4, zstd), built to their layout.</summary>
public sealed class PgArchiveVersionTests : IDisposable
{
    private const string Rows = "one\ntwo\n\nfour\n";
    private readonly string folder = Directory.CreateTempSubdirectory("gittensory-drills-preflight-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, PgCompression> VersionsAndCompressions => new()
    {
        { "1.12.0", PgCompression.Gzip },
        { "1.13.0", PgCompression.None },
        { "1.14.0", PgCompression.Gzip },
        { "1.15.0", PgCompression.Gzip },
        { "1.15.0", PgCompression.None },
        { "1.16.0", PgCompression.Gzip },
        { "1.16.0", PgCompression.None },
    };

    [Theory]
    [MemberData(nameof(VersionsAndCompressions))]
    public async Task EveryKnownArchiveVersionIsReadAndItsRowsCounted(string version, PgCompression compression)
    {
        // Given an archive of that version with two tables, a sequence value and large objects
        var path = Write(new SyntheticArchive { Version = Version.Parse(version), Compression = compression }
            .Table("public", "review_audit", Rows)
            .Table("public", "_selfhost_jobs", "")
            .SequenceSet("public", "_selfhost_jobs_id_seq", 7, isCalled: true)
            .LargeObjects([1, 2, 3], new byte[10_000]));

        // When it is read and counted
        var archive = await PgArchiveReader.ReadHeaderAndTocAsync(path, ct: Ct);
        var counts = await PgArchiveReader.CountRowsAsync(path, archive, ct: Ct);

        // Then the header, the TOC and the counts are right
        archive.Header.ArchiveVersion.Should().Be(Version.Parse(version));
        archive.Header.Compression.Should().Be(compression);
        archive.Header.CompressionLevel.Should().Be(archive.Header.ArchiveVersion >= new Version(1, 15) ? null : compression == PgCompression.None ? 0 : -1);
        archive.Header.CreatedAt.Should().Be(new DateTime(2026, 7, 4, 9, 9, 39));
        archive.ServerMajor.Should().Be(16);
        archive.TablesWithData.Should().Equal(new TableName("public", "review_audit"), new TableName("public", "_selfhost_jobs"));
        archive.SequenceValues["public._selfhost_jobs_id_seq"].Should().Be(new PgSequenceValue("public._selfhost_jobs_id_seq", 7, true));
        archive.Entries.Single(e => e.Desc == "TABLE" && e.Tag == "review_audit").RelKind.Should().Be(archive.Header.ArchiveVersion >= new Version(1, 16) ? 'r' : null);
        counts.Status.Should().Be(PgRowCountStatus.Counted);
        counts.Tables.Should().BeEquivalentTo(new Dictionary<TableName, long> { [new TableName("public", "review_audit")] = 4, [new TableName("public", "_selfhost_jobs")] = 0 });
        counts.LargeObjects.Should().Be(2);
    }

    [Theory]
    [InlineData("1.12.0", 9)]
    [InlineData("1.13.0", 10)]
    [InlineData("1.14.0", 12)]
    [InlineData("1.15.0", 16)]
    [InlineData("1.16.0", 17)]
    public async Task TheMinimumPgRestoreFollowsTheArchiveVersion(string version, int major)
    {
        var path = Write(new SyntheticArchive { Version = Version.Parse(version) }.Table("public", "t", "x\n"));

        var archive = await PgArchiveReader.ReadHeaderAndTocAsync(path, ct: Ct);

        archive.MinimumRestoreMajor.Should().Be(major);
    }

    [Theory]
    [InlineData("15.18 (Debian 15.18-0+deb12u1)", 15)]
    [InlineData("16.4", 16)]
    [InlineData("9.6.24", 9)]
    [InlineData("17beta1", 17)]
    [InlineData("", null)]
    public async Task TheServerMajorIsReadFromDumpedFrom(string dumpedFrom, int? major)
    {
        var path = Write(new SyntheticArchive { DumpedFrom = dumpedFrom }.Table("public", "t", "x\n"));

        var archive = await PgArchiveReader.ReadHeaderAndTocAsync(path, ct: Ct);

        archive.Header.DumpedFrom.Should().Be(dumpedFrom);
        archive.ServerMajor.Should().Be(major);
    }

    [Theory]
    [InlineData(PgCompression.Lz4, "lz4")]
    [InlineData(PgCompression.Zstd, "zstd")]
    public async Task AnLz4OrZstdArchiveIsReadToItsEndButItsRowsAreNotCounted(PgCompression compression, string name)
    {
        // Given a pg_dump 16 archive compressed with lz4 or zstd
        var path = Write(new SyntheticArchive { Compression = compression }.Table("public", "review_audit", Rows).LargeObjects([1]));

        // When it is counted
        var archive = await PgArchiveReader.ReadHeaderAndTocAsync(path, ct: Ct);
        var counts = await PgArchiveReader.CountRowsAsync(path, archive, ct: Ct);

        // Then the outcome says plainly that counting is not supported, with no counts, and the file was still read and hashed
        archive.Header.Compression.Should().Be(compression);
        counts.Status.Should().Be(PgRowCountStatus.NotSupported);
        counts.Reason.Should().StartWith($"Offline row counting is not supported for {name}-compressed archives (pg_dump -Z {name})");
        counts.Tables.Should().BeEmpty();
        counts.BytesRead.Should().Be(new FileInfo(path).Length);
        counts.Sha256.Should().Be(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(path, Ct))));
    }

    [Fact]
    public async Task AFutureArchiveLaidOutLike116SaysWhichPgRestoreItNeeds()
    {
        // Given an archive laid out as 1.16 but labelled 1.17, made by a "pg_dump 19.2"
        var bytes = new SyntheticArchive { Version = new Version(1, 16, 0), DumpedBy = "19.2" }.Table("public", "t", "x\n").Build();
        bytes[6] = 17;
        var path = Write(bytes, "future-116-layout.dump");

        var act = () => PgArchiveReader.ReadHeaderAndTocAsync(path, ct: Ct);

        (await act.Should().ThrowAsync<BackupRejectedException>())
            .WithMessage("*format version 1.17.0, newer than this reader knows*It was made by pg_dump 19.2; restoring it needs pg_restore 19 or newer.*");
    }

    [Fact]
    public async Task AnArchiveWithoutDataOffsetsIsCountedByReadingItsBlocksInOrder()
    {
        var path = Write(new SyntheticArchive { RecordOffsets = false }.Table("public", "a", "1\n2\n").Table("public", "b", "1\n"));

        var archive = await PgArchiveReader.ReadHeaderAndTocAsync(path, ct: Ct);
        var counts = await PgArchiveReader.CountRowsAsync(path, archive, ct: Ct);

        archive.Entries.Where(e => e.HasData).Should().OnlyContain(e => e.DataState == PgDataState.PositionNotSet);
        counts.Tables.Should().BeEquivalentTo(new Dictionary<TableName, long> { [new TableName("public", "a")] = 2, [new TableName("public", "b")] = 1 });
    }

    [Fact]
    public async Task AnUnknownCompressionAlgorithmIsRejectedAsACorruptHeader()
    {
        var bytes = new SyntheticArchive().Table("public", "t", "x\n").Build();
        bytes[11] = 9; // the 1.15 compression algorithm byte
        var path = Write(bytes, "bad-algorithm.dump");

        var act = () => PgArchiveReader.ReadHeaderAndTocAsync(path, ct: Ct);

        (await act.Should().ThrowAsync<BackupRejectedException>())
            .WithMessage("Backup '*bad-algorithm.dump' has a corrupt pg_dump header: byte 11 holds compression algorithm 9 (known: 0 none, 1 gzip, 2 lz4, 3 zstd).*");
    }

    [Fact]
    public async Task ANegativeChunkLengthInsideATableIsRejectedAsCorrupt()
    {
        // Given an uncompressed archive whose first data chunk length is negated
        var archiveBytes = new SyntheticArchive { Compression = PgCompression.None }.Table("public", "t", "x\n").Build();
        var path = Write(archiveBytes, "negative-chunk.dump");
        var archive = await PgArchiveReader.ReadHeaderAndTocAsync(path, ct: Ct);
        var block = (int)archive.Entries.Single(e => e.Desc == "TABLE DATA").DataOffset!.Value;
        archiveBytes[block + 6] = 1; // type byte, dump id (5 bytes), then the chunk length's sign byte
        await File.WriteAllBytesAsync(path, archiveBytes, Ct);

        var act = () => PgArchiveReader.CountRowsAsync(path, archive, ct: Ct);

        (await act.Should().ThrowAsync<BackupRejectedException>())
            .WithMessage($"Backup '*negative-chunk.dump' has a corrupt data section: at byte {block + 6} it holds a chunk length of -*.*older backup*");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(40)]
    public async Task AZlibStreamCutShortInsideWholeChunksIsRejectedNamingTheTable(int dropped)
    {
        // Given a table whose zlib stream lacks its last bytes while the chunks around it are intact (ZLibStream alone ends quietly there)
        var rows = string.Concat(Enumerable.Range(0, 2000).Select(i => $"{i}\trow {i}\n"));
        var path = Write(new SyntheticArchive { DropFromZlibEnd = dropped }.Table("public", "review_audit", rows));
        var archive = await PgArchiveReader.ReadHeaderAndTocAsync(path, ct: Ct);

        var act = () => PgArchiveReader.CountRowsAsync(path, archive, ct: Ct);

        (await act.Should().ThrowAsync<BackupRejectedException>())
            .WithMessage("Backup '*' has corrupt data for table public.review_audit (TOC entry *, data block at byte *): its compressed data does not inflate "
                + "(zlib: \"the zlib stream is incomplete: its last four bytes are *, not the Adler-32 * of the * bytes it inflated to\")*older backup*");
    }

    [Fact]
    public async Task AFileRewrittenAfterItsTocWasReadIsRejectedAsChanged()
    {
        var path = Write(new SyntheticArchive().Table("public", "t", "x\n"));
        var archive = await PgArchiveReader.ReadHeaderAndTocAsync(path, ct: Ct);
        await File.WriteAllBytesAsync(path, new SyntheticArchive().Table("public", "t", "x\n").Table("public", "u", "y\n").Build(), Ct);

        var act = () => PgArchiveReader.CountRowsAsync(path, archive, ct: Ct);

        (await act.Should().ThrowAsync<BackupRejectedException>()).WithMessage("*changed since its table of contents was read*wait for the backup job*");
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(SyntheticArchive archive) => Write(archive.Build(), $"{Guid.NewGuid():N}.dump");

    private string Write(byte[] bytes, string name)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
