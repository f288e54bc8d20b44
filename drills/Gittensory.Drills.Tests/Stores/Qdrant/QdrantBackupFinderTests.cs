using FluentAssertions;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Preflight;
using Gittensory.Drills.Tests.Backups;
using Xunit;

namespace Gittensory.Drills.Tests.Stores.Qdrant;

public sealed class QdrantBackupFinderTests : IDisposable
{
    private static readonly string[] Prefixes = ["loopover", "gittensory"];
    private readonly TempBackupRoot root = new();

    public void Dispose() => root.Dispose();

    [Fact]
    public void QdrantsTwoSnapshotNamesParseWithTheirTimeStamps()
    {
        QdrantSnapshotName.TryParse("full-snapshot-2026-07-04-09-09-39.snapshot", out var full).Should().BeTrue();
        full.Should().Be(new QdrantSnapshotName(QdrantSnapshotKind.Full, null, null, new DateTimeOffset(2026, 7, 4, 9, 9, 39, TimeSpan.Zero)));

        QdrantSnapshotName.TryParse("my-collection-5183452357126393-2026-07-04-09-09-40.snapshot", out var one).Should().BeTrue();
        one.Should().Be(new QdrantSnapshotName(QdrantSnapshotKind.Collection, "my-collection", 5_183_452_357_126_393, new DateTimeOffset(2026, 7, 4, 9, 9, 40, TimeSpan.Zero)));

        QdrantSnapshotName.TryParse("loopover-20260704T090939Z.snapshot", out _).Should().BeFalse();
        QdrantSnapshotName.TryParse("full-snapshot-2026-07-04-09-09-39.snapshot.checksum", out _).Should().BeFalse();
    }

    [Fact]
    public async Task TheNewestSnapshotIsChosenByQdrantsTimeStampAndChecksumFilesAreNotBackups()
    {
        root.Write("qdrant/full-snapshot-2026-07-03-09-10-02.snapshot", modified: DateTime.UtcNow);
        root.Write("qdrant/full-snapshot-2026-07-04-09-10-02.snapshot", modified: DateTime.UtcNow.AddDays(-9));
        root.Write("qdrant/full-snapshot-2026-07-04-09-10-02.snapshot.checksum");
        root.Write("qdrant/notes.txt");

        var selection = await BackupFinder.FindAsync(root.Path, BackupStore.Qdrant, Prefixes, ct: TestContext.Current.CancellationToken);

        selection.Backup.RelativePath.Should().Be("qdrant/full-snapshot-2026-07-04-09-10-02.snapshot");
        selection.Backup.Prefix.Should().Be("full-snapshot");
        selection.Candidates.Should().HaveCount(2);
    }

    [Fact]
    public async Task TheManifestsQdrantEntryWithNoByteCountChoosesTheSnapshot()
    {
        root.Write("qdrant/full-snapshot-2026-07-04-09-10-02.snapshot", bytes: 2048);
        root.Write("qdrant/full-snapshot-2026-07-05-09-10-02.snapshot");
        root.WriteManifest("""{"ts":"20260704T090939Z","postgres":null,"sqlite":null,"qdrant":{"file":"qdrant/full-snapshot-2026-07-04-09-10-02.snapshot"},"retain":7}""");

        var selection = await BackupFinder.FindAsync(root.Path, BackupStore.Qdrant, Prefixes, ct: TestContext.Current.CancellationToken);

        selection.SelectedBy.Should().Be("manifest");
        selection.Backup.Timestamp.Should().Be(new DateTimeOffset(2026, 7, 4, 9, 10, 2, TimeSpan.Zero), "the time stamp is Qdrant's own, not the run's");
        selection.ManifestCheck.Verdict.Should().Be(CheckVerdict.Warning, "a newer snapshot is on disk than the manifest names");
    }

    [Fact]
    public async Task AFolderWithNoQdrantNamedSnapshotSaysWhichNamesAreExpected()
    {
        root.Write("qdrant/backup.snapshot");

        var find = () => BackupFinder.FindAsync(root.Path, BackupStore.Qdrant, Prefixes, ct: TestContext.Current.CancellationToken);

        (await find.Should().ThrowAsync<BackupRejectedException>()).Which.Message.Should().Be(
            $"No Qdrant backup in '{Path.Combine(root.Path, "qdrant")}'. Expected files named qdrant/full-snapshot-YYYY-MM-DD-HH-MM-SS.snapshot (POST /snapshots) " +
            "or qdrant/<collection>-<peer id>-YYYY-MM-DD-HH-MM-SS.snapshot (one collection), as Qdrant names them. Check -BackupRoot points at the backups volume (loopover-backups).");
    }
}
