using FluentAssertions;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.QdrantStandIn;
using Gittensory.Drills.Reporting;
using Xunit;

namespace Gittensory.Drills.Tests.Stores.Qdrant;

/// <summary>
/// The Qdrant store end to end against the stand-in (no Qdrant server can be made here): snapshots the tests build in
/// Qdrant's layout, the restore, the collection checks, and the cross-store checks, which ask a real restored SQLite database
/// (the sample's, its repo_chunks rows set by each test) which of the sampled points' rows it holds.
/// </summary>
public sealed class QdrantDrillTests : IDisposable
{
        private static readonly DateTimeOffset SnapshotTaken = new(2026, 7, 4, 9, 12, 5, TimeSpan.Zero);
    private readonly SnapshotFiles files = new();
    private readonly string reports = Directory.CreateTempSubdirectory("gdrill-test-reports-").FullName;

    public void Dispose()
    {
        files.Dispose();
        Directory.Delete(reports, recursive: true);
    }

    [Fact]
    public async Task AFullSnapshotRestoresIntoTheStandInAndEveryCheckPassesAgainstTheRestoredRows()
    {
        // Given a full snapshot taken 2.4 minutes after the dump, and one point for each of the dump's 160 chunk rows
        var ids = StandInHost.ChunkIds(160);
        files.Write(QdrantLayout.FullName(SnapshotTaken), QdrantLayout.Full(new TestCollection { Taken = SnapshotTaken }), withChecksum: true);

        // When the SQLite and Qdrant stores are drilled together
        var (report, leg) = await DrillAsync(ids, StandInHost.PointsFor("loopover", ids));

        // Then every check passes, with the facts of both stores
        report.Verdict.Should().Be(DrillVerdict.Passed, report.Problem);
        leg.Checks.Should().OnlyContain(c => c.Verdict == CheckVerdict.Passed || c.Verdict == CheckVerdict.NotApplicable, string.Join("\n", leg.Checks.Select(c => $"{c.Name}: {c.Found}")));
        leg.Check(QdrantChecks.Checksum)!.Verdict.Should().Be(CheckVerdict.Passed);
        leg.Check(QdrantChecks.Skew)!.Found.Should().Be("taken 2.4 minutes after the SQLite backup 'sqlite/loopover-20260704T090939Z.sqlite.gz' (2026-07-04 09:12:05Z vs 2026-07-04 09:09:39Z)");
        leg.Check(QdrantChecks.Collections)!.Found.Should().Be("'loopover' exists");
        leg.Check(QdrantChecks.Vectors)!.Found.Should().Be("collection 'loopover': size 1024, Cosine (Qdrant serves)");
        leg.Check(QdrantChecks.PointsVsChunks)!.Found.Should().Be("160 points, 160 rows: drift 0");
        leg.Check(QdrantChecks.Orphans)!.Found.Should().Be("0 of 160 sampled points (0.0%) have a _orig_id with no row in repo_chunks");
        leg.Phases.Select(p => p.Name).Should().Equal("preflight", "restore", "verify");
        leg.Qdrant!.Should().BeEquivalentTo(new { Kind = "Full", Collection = "loopover", Points = 160L, ChunkRows = 160L, Sampled = 160, Orphans = 0, Dimension = 1024L, SkewMinutes = 2.4 });
        var markdown = await File.ReadAllTextAsync(Directory.GetFiles(reports, "report.md", SearchOption.AllDirectories).Single(f => Path.GetFileName(Path.GetDirectoryName(f)) != LatestReport.Folder), TestContext.Current.CancellationToken);
        markdown.Should().Contain("### Qdrant").And.Contain("QDRANT_DIM=1024");
    }

    [Fact]
    public async Task AnOlderSetsCollectionSnapshotIsUploadedWithItsChecksumAndChecked()
    {
        var ids = StandInHost.ChunkIds(40);
        var collection = new TestCollection("gittensory") { Taken = SnapshotTaken };
        files.Write(collection.SnapshotName, QdrantLayout.Collection(collection));

        var (report, leg) = await DrillAsync(ids, StandInHost.PointsFor("gittensory", ids));

        report.Verdict.Should().Be(DrillVerdict.Passed, report.Problem);
        leg.Check(QdrantChecks.Restore)!.Found.Should().StartWith("POST /collections/gittensory/snapshots/upload answered result true");
        leg.Check(QdrantChecks.Collections)!.Found.Should().Be("'gittensory' exists");
        leg.Check(QdrantChecks.Checksum)!.Verdict.Should().Be(CheckVerdict.NotApplicable);
        leg.Phases.Select(p => p.Name).Should().Equal("preflight", "sandbox", "restore", "verify");
    }

    [Fact]
    public async Task ASnapshotWhoseChecksumFileDisagreesFailsBeforeAnyRestore()
    {
        var bytes = QdrantLayout.Full(new TestCollection { Taken = SnapshotTaken });
        var wrong = new string('0', 64);
        files.Write(QdrantLayout.FullName(SnapshotTaken), bytes, checksum: wrong + "\n");

        var (report, leg) = await DrillAsync(null, []);

        report.Verdict.Should().Be(DrillVerdict.Failed);
        leg.Check(QdrantChecks.Checksum)!.Found.Should().Be(
            $"Snapshot 'qdrant/full-snapshot-2026-07-04-09-12-05.snapshot' has SHA-256 {SnapshotFiles.Sha256(bytes)}, but 'qdrant/full-snapshot-2026-07-04-09-12-05.snapshot.checksum' " +
            $"beside it says {wrong}: the file changed after Qdrant wrote it (a partial or damaged copy). Use an older snapshot.");
        leg.Problem.Should().Be(leg.Check(QdrantChecks.Checksum)!.Found);
        leg.Phases.Select(p => p.Name).Should().Equal("preflight");
    }

    [Fact]
    public async Task ATruncatedSnapshotFailsPreflightWithItsMessage()
    {
        var bytes = QdrantLayout.Full(new TestCollection { Taken = SnapshotTaken });
        files.Write(QdrantLayout.FullName(SnapshotTaken), bytes[..(bytes.Length * 2 / 3)]);

        var (report, leg) = await DrillAsync(null, []);

        report.Verdict.Should().Be(DrillVerdict.Failed);
        leg.Check(QdrantChecks.Snapshot)!.Found.Should().StartWith($"Snapshot 'qdrant/full-snapshot-2026-07-04-09-12-05.snapshot' is {bytes.Length * 2 / 3:N0} bytes, but ")
            .And.EndWith("the file was cut short (a download that stopped early, a full disk, or a copy taken before Qdrant finished writing). Use an older snapshot.");
        leg.Phases.Select(p => p.Name).Should().NotContain("restore");
    }

    [Fact]
    public async Task ACollectionWhoseVectorSizeDiffersFromTheProfileFailsOfflineAndAsServed()
    {
        var ids = StandInHost.ChunkIds(30);
        files.Write(QdrantLayout.FullName(SnapshotTaken), QdrantLayout.Full(new TestCollection(VectorSize: 768) { Taken = SnapshotTaken }));

        var (report, leg) = await DrillAsync(ids, StandInHost.PointsFor("loopover", ids));

        report.Verdict.Should().Be(DrillVerdict.Failed);
        const string tail = ", but the profile expects size 1024, distance Cosine: the application would refuse it (LoopOver stops at boot on a dimension mismatch). " +
                            "Restore with the QDRANT_DIM the vectors were made with, or re-index.";
        leg.Check(QdrantChecks.SnapshotConfig)!.Found.Should().Be("collection 'loopover' has vectors of size 768 (its config.json says)" + tail);
        leg.Check(QdrantChecks.Vectors)!.Found.Should().Be("collection 'loopover' has vectors of size 768 (Qdrant serves)" + tail);
        leg.Qdrant!.Dimension.Should().Be(768);
    }

    [Fact]
    public async Task PointsWhoseOrigIdIsMissingFromRepoChunksBeyondTheToleranceFailBothCrossStoreChecks()
    {
        // Given 160 rows restored, and a collection of their 160 points plus 40 points of chunks the dump does not have
        var ids = StandInHost.ChunkIds(160);
        var points = StandInHost.PointsFor("loopover", [.. ids, .. StandInHost.ChunkIds(40, "other/repo")]);
        files.Write(QdrantLayout.FullName(SnapshotTaken), QdrantLayout.Full(new TestCollection { Taken = SnapshotTaken }));

        var (report, leg) = await DrillAsync(ids, points);

        report.Verdict.Should().Be(DrillVerdict.Failed);
        leg.Check(QdrantChecks.PointsVsChunks)!.Found.Should().Be(
            "collection 'loopover' holds 200 points but repo_chunks has 160 rows: a drift of +40 is beyond the 25 allowed. Points without rows are search hits the application cannot show.");
        leg.Check(QdrantChecks.Orphans)!.Found.Should().Be(
            "40 of 200 sampled points (20.0%) have a _orig_id with no row in repo_chunks, above the 1.0% allowed: the vectors index chunks the restored database does not have " +
            "(a snapshot and a dump from different runs, or rows lost from the dump).");
        leg.Check(QdrantChecks.Orphans)!.Details.Should().HaveCount(20).And.OnlyContain(d => d.Contains("'proj:other/repo|"));
        leg.Qdrant!.Orphans.Should().Be(40);
    }

    [Fact]
    public async Task ASmallDriftWithinTheToleranceIsNormalAndPasses()
    {
        // The snapshot is taken after the dump: 10 chunks indexed in between are within the 25 allowed, and 10 of 170 orphans is...
        var ids = StandInHost.ChunkIds(2000);
        var points = StandInHost.PointsFor("loopover", [.. ids, .. StandInHost.ChunkIds(10, "new/repo")]);
        files.Write(QdrantLayout.FullName(SnapshotTaken), QdrantLayout.Full(new TestCollection { Taken = SnapshotTaken }));

        var (report, leg) = await DrillAsync(ids, points);

        leg.Check(QdrantChecks.PointsVsChunks)!.Found.Should().Be("2,010 points, 2,000 rows: drift +10");
        leg.Check(QdrantChecks.Orphans)!.Verdict.Should().Be(CheckVerdict.Passed, "a sample of 1,000 of 2,010 points holds about 5 new ones, under 1%");
        report.Verdict.Should().Be(DrillVerdict.Passed, report.Problem);
    }

    [Fact]
    public async Task ASnapshotMoreThanTheAllowedSkewOlderThanTheDatabaseBackupFails()
    {
        var taken = new DateTimeOffset(2026, 7, 3, 9, 12, 5, TimeSpan.Zero);
        files.Write(QdrantLayout.FullName(taken), QdrantLayout.Full(new TestCollection { Taken = taken }));

        var (report, leg) = await DrillAsync(StandInHost.ChunkIds(3), []);

        report.Verdict.Should().Be(DrillVerdict.Failed);
        leg.Check(QdrantChecks.Skew)!.Found.Should().Be(
            "the snapshot was taken 1437.6 minutes before the SQLite backup 'sqlite/loopover-20260704T090939Z.sqlite.gz' (2026-07-03 09:12:05Z vs 2026-07-04 09:09:39Z), more than the 60 allowed. " +
            "LoopOver snapshots Qdrant after the database, so this snapshot belongs to an older backup run: the two stores would come back from different points in time. " +
            "Drill the snapshot of the database backup's own run (-Backup), or find why this run's snapshot is missing.");
    }

    [Fact]
    public async Task WithoutADatabaseInTheDrillTheCrossStoreChecksDoNotApplyAndSaySo()
    {
        files.Write(QdrantLayout.FullName(SnapshotTaken), QdrantLayout.Full(new TestCollection { Taken = SnapshotTaken }));

        var (report, leg) = await DrillAsync(null, StandInHost.PointsFor("loopover", StandInHost.ChunkIds(5)));

        report.Verdict.Should().Be(DrillVerdict.Passed, report.Problem);
        leg.Check(QdrantChecks.PointsVsChunks)!.Should().BeEquivalentTo(new
        {
            Verdict = CheckVerdict.NotApplicable,
            Found = "this drill restores no database (Postgres or SQLite) to compare the points with: drill -Store All to compare the stores",
        });
        leg.Check(QdrantChecks.Orphans)!.Verdict.Should().Be(CheckVerdict.NotApplicable);
        leg.Check(QdrantChecks.Skew)!.Should().BeEquivalentTo(new { Verdict = CheckVerdict.NotApplicable, Found = "no Postgres dump or SQLite backup to pair the snapshot with" });
    }

    [Fact]
    public async Task ARedCollectionFailsItsStatusCheck()
    {
        files.Write(QdrantLayout.FullName(SnapshotTaken), QdrantLayout.Full(new TestCollection { Taken = SnapshotTaken }));

        var outcome = await DrillPipeline.RunAsync(Options(), new DrillServices(StandInHost.Serving(StandInHost.PointsFor("loopover", StandInHost.ChunkIds(3)), "red")),
            TestContext.Current.CancellationToken);

        outcome.Report.Leg("qdrant")!.Check(QdrantChecks.Status)!.Found.Should().Be(
            "collection 'loopover' is red: some operations failed and were not recovered (Qdrant's definition of red). Read the Qdrant container's log.");
    }

    private DrillOptions Options(bool withDatabase = false) => new()
    {
        BackupRoot = files.Root,
        BundledSample = true,
        Stores = withDatabase ? new HashSet<BackupStore> { BackupStore.Sqlite, BackupStore.Qdrant } : new HashSet<BackupStore> { BackupStore.Qdrant },
        ReportsRoot = reports,
    };

    // With chunk ids: a real SQLite backup whose repo_chunks holds exactly those ids is drilled beside the snapshot.
    private async Task<(DrillReport Report, LegReport Leg)> DrillAsync(IReadOnlyCollection<string>? chunkIds, IReadOnlyList<StandInPoint> points)
    {
        if (chunkIds is not null)
        {
            ChunkDatabase.Write(files.Root, chunkIds);
        }

        var snapshot = Directory.GetFiles(Path.Combine(files.Root, "qdrant"), "*.snapshot").Single();
        var before = SnapshotFiles.Sha256(await File.ReadAllBytesAsync(snapshot, TestContext.Current.CancellationToken));
        var outcome = await DrillPipeline.RunAsync(Options(chunkIds is not null), new DrillServices(StandInHost.Serving(points)), TestContext.Current.CancellationToken);
        SnapshotFiles.Sha256(await File.ReadAllBytesAsync(snapshot, TestContext.Current.CancellationToken)).Should().Be(before, "the drill never changes a backup");
        return (outcome.Report, outcome.Report.Leg("qdrant")!);
    }
}
