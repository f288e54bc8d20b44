using Gittensory.Drills.Checks;
using System.Security.Cryptography;
using FluentAssertions;
using Gittensory.Drills.Preflight;
using Xunit;

namespace Gittensory.Drills.Tests.Preflight;

/// <summary>The reader against real pg_dump 15 output of a database whose row counts are known.</summary>
[Collection(PgDumpCollection.Name)]
public sealed class PgArchiveReaderTests(PgDumpFixture dumps)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HeaderOfADefaultCustomDumpNamesItsVersionCompressionDatabaseAndServer()
    {
        // Given a pg_dump 15 -Fc archive
        await dumps.RequireAsync(Ct);

        // When its header is read
        var archive = await PgArchiveReader.ReadHeaderAndTocAsync(dumps.CustomDump, ct: Ct);

        // Then it says what pg_restore -l would say
        var header = archive.Header;
        header.ArchiveVersion.Should().Be(new Version(1, 14, 0));
        header.IntSize.Should().Be(4);
        header.OffsetSize.Should().Be(8);
        header.Compression.Should().Be(PgCompression.Gzip);
        header.CompressionLevel.Should().Be(-1);
        header.DatabaseName.Should().Be(PgDumpFixture.Database);
        header.DumpedFrom.Should().StartWith("15.");
        header.DumpedBy.Should().StartWith("15.");
        header.CreatedAt.Should().NotBeNull().And.BeCloseTo(DateTime.UtcNow, TimeSpan.FromDays(1));
        dumps.PgRestoreList.Should().Contain($"Dumped from database version: {header.DumpedFrom}");
        archive.ServerMajor.Should().Be(15);
        archive.DumpedByMajor.Should().Be(15);
        archive.MinimumRestoreMajor.Should().Be(12);
        archive.FileBytes.Should().Be(new FileInfo(dumps.CustomDump).Length);
    }

    [Fact]
    public async Task TableOfContentsListsTheSameEntriesAsPgRestoreAndSummarisesThemByKind()
    {
        // Given a -Fc archive and what the real pg_restore -l lists for it
        await dumps.RequireAsync(Ct);

        // When its table of contents is read
        var archive = await PgArchiveReader.ReadHeaderAndTocAsync(dumps.CustomDump, ct: Ct);

        // Then every entry pg_restore lists is there, in the same order, with the same id, kind, schema, name and owner
        var listed = dumps.PgRestoreList.Split('\n')
            .Where(line => line.Length > 0 && char.IsAsciiDigit(line[0]))
            .ToList();
        var ours = archive.Entries
            .Where(e => e.Desc is not ("ENCODING" or "STDSTRINGS" or "SEARCHPATH" or "DATABASE"))
            .Select(e => $"{e.DumpId}; {e.TableOid} {e.Oid} {e.Desc} {(string.IsNullOrEmpty(e.Namespace) ? "-" : e.Namespace)} {e.Tag} {e.Owner}")
            .ToList();
        ours.Should().Equal(listed);

        // And the summary counts each kind
        archive.Summary.Should().Contain(new Dictionary<string, int>
        {
            ["TABLE"] = 7, ["TABLE DATA"] = 7, ["SEQUENCE"] = 2, ["SEQUENCE SET"] = 2, ["SEQUENCE OWNED BY"] = 1,
            ["INDEX"] = 1, ["CONSTRAINT"] = 3, ["FK CONSTRAINT"] = 1, ["EXTENSION"] = 1, ["SCHEMA"] = 1,
            ["DEFAULT"] = 1, ["BLOB"] = 2, ["BLOBS"] = 1,
        });
        archive.Summary["COMMENT"].Should().BeGreaterThanOrEqualTo(1);
        archive.Summary.Values.Sum().Should().Be(archive.Entries.Count);
        archive.TablesWithData.Should().BeEquivalentTo(dumps.RealCounts.Keys);
        archive.TablesWithoutData.Should().BeEmpty();
    }

    [Fact]
    public async Task TableDataEntriesCarryTheirCopyStatementDependencyAndDataOffset()
    {
        // Given a -Fc archive written to a seekable file
        await dumps.RequireAsync(Ct);

        // When its table of contents is read
        var archive = await PgArchiveReader.ReadHeaderAndTocAsync(dumps.CustomDump, ct: Ct);

        // Then the TABLE DATA entry of public.big names its COPY, its TABLE and where its data starts
        var table = archive.Entries.Single(e => e.Desc == "TABLE" && e.QualifiedName == "public.big");
        var data = archive.Entries.Single(e => e.Desc == "TABLE DATA" && e.QualifiedName == "public.big");
        data.CopyStmt.Should().StartWith("COPY public.big (id, payload) FROM stdin;");
        data.Dependencies.Should().Equal(table.DumpId);
        data.Section.Should().Be(PgTocSection.Data);
        data.DataState.Should().Be(PgDataState.PositionSet);
        data.DataOffset.Should().BeGreaterThanOrEqualTo(archive.DataStart);
        table.HasData.Should().BeFalse();
        table.Defn.Should().Contain("CREATE TABLE public.big");
        table.TableAm.Should().Be("heap");
        table.Section.Should().Be(PgTocSection.PreData);
    }

    [Theory]
    [InlineData("default.dump")]
    [InlineData("uncompressed.dump")]
    [InlineData("piped.dump")]
    public async Task RowCountsReadFromTheArchiveEqualTheServersCounts(string name)
    {
        // Given a compressed, an uncompressed, or a piped (no data offsets) -Fc archive of tables with known counts
        await dumps.RequireAsync(Ct);
        var path = Path.Combine(dumps.Folder, name);
        var archive = await PgArchiveReader.ReadHeaderAndTocAsync(path, ct: Ct);

        // When its data is read
        var counts = await PgArchiveReader.CountRowsAsync(path, archive, ct: Ct);

        // Then each table's rows, counted from the archive alone, are what the server counted
        counts.Status.Should().Be(PgRowCountStatus.Counted);
        counts.Reason.Should().BeNull();
        counts.Tables.Should().BeEquivalentTo(dumps.RealCounts);
        counts.Tables[new TableName("public", "big")].Should().Be(PgDumpFixture.BigRows);
        counts.Tables[new TableName("public", "empty_table")].Should().Be(0);
        counts.Tables[new TableName("public", "blank_lines")].Should().Be(3, "empty strings are rows, and a '\\.' value is escaped, not the end marker");
        counts.LargeObjects.Should().Be(2);
        counts.BytesRead.Should().Be(new FileInfo(path).Length);
    }

    [Fact]
    public async Task ADumpWrittenThroughAPipeRecordsNoDataOffsets()
    {
        // Given pg_dump -Fc | cat > file
        await dumps.RequireAsync(Ct);

        // When its table of contents is read
        var archive = await PgArchiveReader.ReadHeaderAndTocAsync(dumps.PipedDump, ct: Ct);

        // Then no entry has a recorded data position, yet the data entries are known
        archive.Entries.Where(e => e.HasData).Should().OnlyContain(e => e.DataState == PgDataState.PositionNotSet && e.DataOffset == null);
        archive.Entries.Count(e => e.HasData).Should().Be(8, "seven tables and one BLOBS entry");
    }

    [Fact]
    public async Task SequenceSetEntriesGiveEachSequencesArchivedValue()
    {
        // Given a BIGSERIAL that handed out 42 ids and a sequence never used
        await dumps.RequireAsync(Ct);

        // When the archive's table of contents is read
        var archive = await PgArchiveReader.ReadHeaderAndTocAsync(dumps.CustomDump, ct: Ct);

        // Then each SEQUENCE SET's setval is exposed
        archive.SequenceValues.Should().BeEquivalentTo(new Dictionary<string, PgSequenceValue>
        {
            ["public._selfhost_jobs_id_seq"] = new("public._selfhost_jobs_id_seq", PgDumpFixture.JobRows, IsCalled: true),
            ["public.never_used_seq"] = new("public.never_used_seq", 1, IsCalled: false),
        });
    }

    [Fact]
    public async Task TablesDumpedWithExcludeTableDataHaveNoDataAndNoRowCount()
    {
        // Given pg_dump -Fc --exclude-table-data=public.excluded_data
        await dumps.RequireAsync(Ct);

        // When it is read and counted
        var archive = await PgArchiveReader.ReadHeaderAndTocAsync(dumps.ExcludedDataDump, ct: Ct);
        var counts = await PgArchiveReader.CountRowsAsync(dumps.ExcludedDataDump, archive, ct: Ct);

        // Then the table is listed without data, and every other table is counted
        archive.TablesWithoutData.Should().Equal(new TableName("public", "excluded_data"));
        archive.TablesWithData.Should().NotContain(new TableName("public", "excluded_data"));
        counts.Tables.Should().NotContainKey(new TableName("public", "excluded_data"));
        counts.Tables.Should().BeEquivalentTo(dumps.RealCounts.Where(kv => kv.Key != new TableName("public", "excluded_data")));
    }

    [Fact]
    public async Task CountingHashesTheWholeFileAndNeverChangesIt()
    {
        // Given an archive and its SHA-256 and modification time before reading
        await dumps.RequireAsync(Ct);
        var path = dumps.CustomDump;
        var before = await Sha256Async(path);
        var modified = File.GetLastWriteTimeUtc(path);

        // When it is read and counted twice
        var archive = await PgArchiveReader.ReadHeaderAndTocAsync(path, ct: Ct);
        var first = await PgArchiveReader.CountRowsAsync(path, archive, ct: Ct);
        var second = await PgArchiveReader.CountRowsAsync(path, archive, ct: Ct);

        // Then the hash computed while counting is the file's, and the file is untouched
        first.Sha256.Should().Be(before);
        second.Sha256.Should().Be(before);
        (await Sha256Async(path)).Should().Be(before);
        File.GetLastWriteTimeUtc(path).Should().Be(modified);
    }

    [Fact]
    public async Task ProgressIsReportedUpToTheFilesLength()
    {
        // Given an archive
        await dumps.RequireAsync(Ct);
        var archive = await PgArchiveReader.ReadHeaderAndTocAsync(dumps.UncompressedDump, ct: Ct);
        var reports = new List<PgReadProgress>();

        // When it is counted with a progress sink
        await PgArchiveReader.CountRowsAsync(dumps.UncompressedDump, archive, new SynchronousProgress(reports.Add), Ct);

        // Then the reports grow to the file's length, each with that length as the total
        var length = new FileInfo(dumps.UncompressedDump).Length;
        reports.Should().NotBeEmpty();
        reports.Select(r => r.BytesRead).Should().BeInAscendingOrder();
        reports.Should().OnlyContain(r => r.TotalBytes == length);
        reports[^1].BytesRead.Should().Be(length);
        reports[^1].Fraction.Should().Be(1);
    }

    [Fact]
    public async Task ABigTablesDataSpansManyChunks()
    {
        // Given the compressed archive, where pg_dump writes a table's zlib stream in chunks of at most 4 KiB
        await dumps.RequireAsync(Ct);
        var archive = await PgArchiveReader.ReadHeaderAndTocAsync(dumps.CustomDump, ct: Ct);

        // When the data offsets are compared
        var ordered = archive.Entries.Where(e => e.DataOffset is not null).OrderBy(e => e.DataOffset).ToList();
        var big = ordered.FindIndex(e => e.QualifiedName == "public.big" && e.Desc == "TABLE DATA");
        var end = big + 1 < ordered.Count ? ordered[big + 1].DataOffset!.Value : archive.FileBytes;

        // Then its compressed data alone is many chunks long, so counting it crossed chunk boundaries
        (end - ordered[big].DataOffset!.Value).Should().BeGreaterThan(64 * 1024, "the counts above cover data spanning many chunks");
    }

    private static async Task<string> Sha256Async(string path)
    {
        await using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, Ct));
    }

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; posts to the thread pool, which would race the assertions).</summary>
    private sealed class SynchronousProgress(Action<PgReadProgress> report) : IProgress<PgReadProgress>
    {
        public void Report(PgReadProgress value) => report(value);
    }
}
