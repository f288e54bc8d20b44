using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using FluentAssertions;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Preflight;
using Xunit;

namespace Gittensory.Drills.Tests.Stores.Qdrant;

/// <summary>Offline verification of snapshots the tests build in Qdrant's layout, and of every kind of file that is not one.</summary>
public sealed class QdrantSnapshotReaderTests : IDisposable
{
    private static readonly DateTimeOffset Taken = new(2026, 7, 4, 9, 12, 5, TimeSpan.Zero);
    private readonly SnapshotFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public async Task AFullSnapshotInQdrantsLayoutVerifiesWithItsCollectionsVectorsAndSparseMembers()
    {
        // Given a full snapshot of two collections, with WAL segments and mmap chunks stored as GNU sparse members
        var bytes = QdrantLayout.Full(new TestCollection(), new TestCollection("scratch", 384, "Dot") { ShardNumber = 2, SegmentsPerShard = 1 });
        var path = files.Write(QdrantLayout.FullName(Taken), bytes);

        // When it is read offline
        var snapshot = await QdrantSnapshotReader.ReadAsync(path, "qdrant/" + QdrantLayout.FullName(Taken), TestContext.Current.CancellationToken);

        // Then its structure and configuration are known, and its hash is the file's
        snapshot.Kind.Should().Be(QdrantSnapshotKind.Full);
        snapshot.Bytes.Should().Be(bytes.Length);
        snapshot.Sha256.Should().Be(SnapshotFiles.Sha256(bytes));
        snapshot.Collections.Select(c => c.Collection).Should().Equal("loopover", "scratch");
        snapshot.Collection("loopover")!.Vector.Should().Be(new QdrantVectorParams(1024, "Cosine"));
        snapshot.Collection("loopover")!.Segments.Should().Be(2);
        snapshot.Collection("scratch")!.Should().BeEquivalentTo(new { ShardNumber = 2, Shards = 2, Segments = 2, Vector = new QdrantVectorParams(384, "Dot") });
        snapshot.SparseMembers.Should().Be(3 + 2 + (2 * 1 * 2) + 2, "each segment has two sparse files and each shard one WAL segment");
    }

    [Fact]
    public async Task ACollectionSnapshotVerifiesFromItsOwnConfig()
    {
        var collection = new TestCollection("gittensory");
        var path = files.Write(collection.SnapshotName, QdrantLayout.Collection(collection));

        var snapshot = await QdrantSnapshotReader.ReadAsync(path, ct: TestContext.Current.CancellationToken);

        snapshot.Kind.Should().Be(QdrantSnapshotKind.Collection);
        snapshot.Collections.Should().ContainSingle().Which.Should().BeEquivalentTo(new
        {
            Collection = "gittensory",
            Member = collection.SnapshotName,
            Vector = new QdrantVectorParams(1024, "Cosine"),
            Shards = 1,
            Segments = 2,
        });
    }

    [Fact]
    public async Task SystemFormatsTarRefusesTheGnuSparseMembersQdrantWrites()
    {
        // Why the drill walks tar headers itself: the BCL reader stops at the first sparse member.
        using var stream = new MemoryStream(QdrantLayout.Segment());
        using var reader = new TarReader(stream);

        var readAll = () => { while (reader.GetNextEntry() is not null) { } };

        readAll.Should().Throw<NotSupportedException>().WithMessage("*SparseFile*");
        await Task.CompletedTask;
    }

    [Fact]
    public async Task GnuTarListsEveryArchiveTheTestsBuildWithTheSparseFilesRealSizes()
    {
        var path = files.Write("segment.tar", QdrantLayout.Segment());

        var listing = await RunTarAsync("-tvf", path);

        listing.Should().Contain("snapshot/files/segment.json");
        listing.Should().MatchRegex(@"33554432 .* snapshot/files/vector_storage/vectors/chunk_0\.mmap", "GNU tar reads the sparse member's real size");
    }

    [Fact]
    public async Task AnArchiveGnuTarWroteWithSparseFilesIsWalkedAndItsHolesReadAsZeros()
    {
        // Given a sparse file with more data regions than fit in one header (so extension blocks follow), archived by GNU tar itself
        var ct = TestContext.Current.CancellationToken;
        var source = Path.Combine(files.Root, "src");
        Directory.CreateDirectory(source);
        var sparse = Path.Combine(source, "chunk.mmap");
        await using (var f = new FileStream(sparse, FileMode.Create))
        {
            for (var i = 0; i < 9; i++)
            {
                f.Position = i * (1L << 20);
                await f.WriteAsync(new byte[] { (byte)(i + 1), 2, 3, 4 }, ct);
            }

            f.SetLength(12L << 20);
        }

        var archive = Path.Combine(files.Root, "gnu.tar");
        await RunTarAsync("--format=gnu", "--sparse", "-cf", archive, "-C", source, ".");

        // When the walker reads it
        await using var stream = File.OpenRead(archive);
        using var walker = new TarWalker(stream);
        var names = new List<string>();
        byte[]? content = null;
        while (walker.Next(ct) is { } entry)
        {
            names.Add(entry.Name);
            if (entry.Name == "chunk.mmap")
            {
                entry.IsSparse.Should().BeTrue();
                using var copy = new MemoryStream();
                await walker.OpenData().CopyToAsync(copy, ct);
                content = copy.ToArray();
            }
        }

        // Then the member reads back exactly as the file was, holes included
        names.Should().Equal("", "chunk.mmap");
        content.Should().Equal(await File.ReadAllBytesAsync(sparse, ct));
    }

    [Fact]
    public async Task ATruncatedSnapshotIsRejectedSayingWhereItEnds()
    {
        var bytes = QdrantLayout.Full(new TestCollection());
        var cut = bytes[..(bytes.Length / 2)];
        var path = files.Write(QdrantLayout.FullName(Taken), cut);

        var read = () => QdrantSnapshotReader.ReadAsync(path, "qdrant/" + QdrantLayout.FullName(Taken), TestContext.Current.CancellationToken);

        (await read.Should().ThrowAsync<BackupRejectedException>()).Which.Message.Should().MatchRegex(
            $@"^Snapshot 'qdrant/full-snapshot-2026-07-04-09-12-05\.snapshot' is {cut.Length:N0} bytes, but the archive ends inside member 'loopover-5183452357126393-2026-07-04-09-12-05\.snapshot' \([\d,]+ bytes stored from byte 0\), [\d,]+ bytes short: " +
            @"the file was cut short \(a download that stopped early, a full disk, or a copy taken before Qdrant finished writing\)\. Use an older snapshot\.$");
    }

    [Fact]
    public async Task ASnapshotCutAtAMemberBoundaryIsRejectedForItsMissingEndMarker()
    {
        var bytes = QdrantLayout.Full(new TestCollection());
        var path = files.Write("full-snapshot-2026-07-04-09-12-05.snapshot", bytes[..^1024]);

        var read = () => QdrantSnapshotReader.ReadAsync(path, ct: TestContext.Current.CancellationToken);

        (await read.Should().ThrowAsync<BackupRejectedException>()).Which.Message.Should().Be(
            $"Snapshot 'full-snapshot-2026-07-04-09-12-05.snapshot' is {bytes.Length - 1024:N0} bytes, but the archive ends after {bytes.Length - 1024:N0} bytes without tar's end-of-archive marker (two zero blocks): " +
            "it was cut short at a member boundary: the file was cut short (a download that stopped early, a full disk, or a copy taken before Qdrant finished writing). Use an older snapshot.");
    }

    [Fact]
    public async Task ASegmentArchiveCutShortInsideAWholeMemberIsRejectedNamingTheSegment()
    {
        // The collection snapshot's member is complete, but the segment tar it holds ends early.
        var segment = QdrantLayout.Segment();
        var tar = new TestTar().File("0/segments/abc.tar", segment[..4096]).File("0/shard_config.json", "{}").File("config.json", QdrantLayout.CollectionConfig(new TestCollection())).Finish();
        var path = files.Write("loopover-1-2026-07-04-09-12-05.snapshot", tar);

        var read = () => QdrantSnapshotReader.ReadAsync(path, ct: TestContext.Current.CancellationToken);

        (await read.Should().ThrowAsync<BackupRejectedException>()).Which.Message.Should().StartWith(
            "Snapshot 'loopover-1-2026-07-04-09-12-05.snapshot' is ").And.Contain("but its member '0/segments/abc.tar' ends inside member 'snapshot/files/vector_storage/vectors/chunk_0.mmap'");
    }

    [Fact]
    public async Task AnEmptyFileIsRejected()
    {
        var path = files.Write(QdrantLayout.FullName(Taken), []);

        var read = () => QdrantSnapshotReader.ReadAsync(path, "qdrant/" + QdrantLayout.FullName(Taken), TestContext.Current.CancellationToken);

        (await read.Should().ThrowAsync<BackupRejectedException>()).Which.Message.Should().Be(
            "Snapshot 'qdrant/full-snapshot-2026-07-04-09-12-05.snapshot' is empty (0 bytes): the backup job saved nothing from Qdrant. " +
            "Check the job's log (the POST /snapshots call or its download failed). Use an older snapshot.");
    }

    [Fact]
    public async Task AGzipFileIsRejectedSayingWhatToDo()
    {
        using var gz = new MemoryStream();
        await using (var zip = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
        {
            await zip.WriteAsync(QdrantLayout.Full(new TestCollection()), TestContext.Current.CancellationToken);
        }

        var path = files.Write(QdrantLayout.FullName(Taken), gz.ToArray());

        var read = () => QdrantSnapshotReader.ReadAsync(path, "qdrant/" + QdrantLayout.FullName(Taken), TestContext.Current.CancellationToken);

        (await read.Should().ThrowAsync<BackupRejectedException>()).Which.Message.Should().Be(
            "Snapshot 'qdrant/full-snapshot-2026-07-04-09-12-05.snapshot' is gzip-compressed (it starts with 1f 8b), but Qdrant writes snapshots as plain tar archives. " +
            "If it was compressed after the download, decompress it (gunzip) and keep the .snapshot name; otherwise use an older snapshot.");
    }

    [Fact]
    public async Task RandomBytesAreRejectedAsNotATarArchive()
    {
        var random = new byte[4096];
        new Random(3).NextBytes(random);
        random[0] = 0x42;
        var path = files.Write(QdrantLayout.FullName(Taken), random);

        var read = () => QdrantSnapshotReader.ReadAsync(path, "qdrant/" + QdrantLayout.FullName(Taken), TestContext.Current.CancellationToken);

        (await read.Should().ThrowAsync<BackupRejectedException>()).Which.Message.Should().Be(
            $"Snapshot 'qdrant/full-snapshot-2026-07-04-09-12-05.snapshot' is not a tar archive (its first 512 bytes are no tar header; it starts with {Convert.ToHexStringLower(random.AsSpan(0, 8))}). " +
            "Qdrant snapshots are tar files written by POST /snapshots: this file is something else, or damaged from its first byte. Use an older snapshot.");
    }

    [Fact]
    public async Task ATarOfSomethingElseIsRejectedForHavingNoConfigJson()
    {
        // A directory-format pg_dump, tarred: a valid tar archive, but not Qdrant's.
        var tar = new TestTar().File("toc.dat", new byte[300]).File("3456.dat.gz", new byte[100]).Finish();
        var path = files.Write(QdrantLayout.FullName(Taken), tar);

        var read = () => QdrantSnapshotReader.ReadAsync(path, "qdrant/" + QdrantLayout.FullName(Taken), TestContext.Current.CancellationToken);

        (await read.Should().ThrowAsync<BackupRejectedException>()).Which.Message.Should().Be(
            "Snapshot 'qdrant/full-snapshot-2026-07-04-09-12-05.snapshot' is a tar archive of 2 members but has no config.json at its top level: it is not a Qdrant snapshot " +
            "(a full snapshot ends with config.json mapping each collection to its snapshot; a collection snapshot holds config.json beside its shard folders). " +
            "Use a snapshot written by Qdrant (POST /snapshots), or an older one.");
    }

    [Fact]
    public async Task AFullSnapshotWithNoConfigJsonIsRejected()
    {
        var path = files.Write(QdrantLayout.FullName(Taken), QdrantLayout.Full([new TestCollection()], withConfig: false));

        var read = () => QdrantSnapshotReader.ReadAsync(path, "qdrant/" + QdrantLayout.FullName(Taken), TestContext.Current.CancellationToken);

        (await read.Should().ThrowAsync<BackupRejectedException>()).Which.Message.Should().StartWith(
            "Snapshot 'qdrant/full-snapshot-2026-07-04-09-12-05.snapshot' is a tar archive of 1 member but has no config.json at its top level: it is not a Qdrant snapshot");
    }

    [Fact]
    public async Task ACollectionSnapshotWithNoConfigJsonInsideAFullSnapshotIsRejectedNamingIt()
    {
        var collection = new TestCollection { WithConfig = false };
        var path = files.Write(QdrantLayout.FullName(Taken), QdrantLayout.Full(collection));

        var read = () => QdrantSnapshotReader.ReadAsync(path, "qdrant/" + QdrantLayout.FullName(Taken), TestContext.Current.CancellationToken);

        (await read.Should().ThrowAsync<BackupRejectedException>()).Which.Message.Should().Be(
            $"Snapshot 'qdrant/full-snapshot-2026-07-04-09-12-05.snapshot': its collection snapshot '{collection.SnapshotName}' has no config.json, so Qdrant cannot restore collection 'loopover' " +
            "(restoring reads the collection's configuration from it first). Use an older snapshot.");
    }

    [Fact]
    public async Task ACollectionMissingAConfiguredShardFolderIsRejected()
    {
        var collection = new TestCollection { ShardNumber = 2, ShardFolders = [0] };
        var path = files.Write(collection.SnapshotName, QdrantLayout.Collection(collection));

        var read = () => QdrantSnapshotReader.ReadAsync(path, ct: TestContext.Current.CancellationToken);

        (await read.Should().ThrowAsync<BackupRejectedException>()).Which.Message.Should().Be(
            $"Snapshot '{collection.SnapshotName}': collection 'loopover' is configured with 2 shard(s) (params.shard_number), but shard folder '1/' with its shard_config.json " +
            "is not in the collection snapshot, so Qdrant's restore would stop (\"Can't read shard config\"). Use an older snapshot.");
    }

    [Fact]
    public async Task AShardWithNoSegmentsIsRejected()
    {
        var collection = new TestCollection { SegmentsPerShard = 0 };
        var path = files.Write(collection.SnapshotName, QdrantLayout.Collection(collection));

        var read = () => QdrantSnapshotReader.ReadAsync(path, ct: TestContext.Current.CancellationToken);

        (await read.Should().ThrowAsync<BackupRejectedException>()).Which.Message.Should().Be(
            $"Snapshot '{collection.SnapshotName}': shard 0 of collection 'loopover' holds no segments (0/segments/ is empty or missing); " +
            "Qdrant keeps at least one segment per shard, so its points are not in this snapshot. Use an older snapshot.");
    }

    [Fact]
    public async Task ASegmentWithoutItsSegmentJsonIsRejected()
    {
        var collection = new TestCollection { WithSegmentState = false, SegmentsPerShard = 1 };
        var path = files.Write(collection.SnapshotName, QdrantLayout.Collection(collection));

        var read = () => QdrantSnapshotReader.ReadAsync(path, ct: TestContext.Current.CancellationToken);

        (await read.Should().ThrowAsync<BackupRejectedException>()).Which.Message.Should().MatchRegex(
            @"^Snapshot '.+': segment '0/segments/[0-9a-f-]{36}\.tar' has no segment\.json, so Qdrant cannot load it \(every segment snapshot ends with its segment\.json and version\.info\)\. Use an older snapshot\.$");
    }

    [Fact]
    public async Task AMappingThatNamesAMemberNotInTheArchiveIsRejected()
    {
        var path = files.Write(QdrantLayout.FullName(Taken),
            QdrantLayout.Full([new TestCollection()], mappingOverride: new Dictionary<string, string> { ["loopover"] = "loopover-1-2026-07-01-00-00-00.snapshot" }));

        var read = () => QdrantSnapshotReader.ReadAsync(path, "qdrant/" + QdrantLayout.FullName(Taken), TestContext.Current.CancellationToken);

        (await read.Should().ThrowAsync<BackupRejectedException>()).Which.Message.Should().Be(
            "Snapshot 'qdrant/full-snapshot-2026-07-04-09-12-05.snapshot': its config.json maps collection 'loopover' to 'loopover-1-2026-07-01-00-00-00.snapshot', which is not in the archive, " +
            "so Qdrant cannot restore that collection. Use an older snapshot.");
    }

    private static async Task<string> RunTarAsync(params string[] arguments)
    {
        if (!File.Exists("/usr/bin/tar") && !File.Exists("/bin/tar"))
        {
            Assert.Skip("GNU tar is not installed here (apt-get install tar); it is the independent reader and writer these tests compare with.");
        }

        var info = new ProcessStartInfo("tar") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        process.ExitCode.Should().Be(0, error);
        return output;
    }
}
