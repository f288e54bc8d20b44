using FluentAssertions;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Xunit;

namespace Gittensory.Drills.Tests.Backups;

public sealed class BackupFinderTests : IDisposable
{
    private static readonly string[] Prefixes = ["loopover", "gittensory"];
    private readonly TempBackupRoot root = new();

    public void Dispose() => root.Dispose();

    [Fact]
    public async Task NewestDumpIsChosenByTheTimeStampInItsNameNotByModificationTime()
    {
        // Given an older dump copied last (newest mtime) and a newer one copied first
        root.Write("postgres/loopover-20260703T090000Z.dump", modified: DateTime.UtcNow);
        root.Write("postgres/loopover-20260704T090000Z.dump", modified: DateTime.UtcNow.AddDays(-10));

        // When the newest is looked for
        var selection = await BackupFinder.FindAsync(root.Path, BackupStore.Postgres, Prefixes, ct: TestContext.Current.CancellationToken);

        // Then the name decides
        selection.Backup.RelativePath.Should().Be("postgres/loopover-20260704T090000Z.dump");
        selection.SelectedBy.Should().Be("file name");
        selection.ManifestCheck.Verdict.Should().Be(CheckVerdict.NotApplicable);
    }

    [Fact]
    public async Task PreRenameGittensoryDumpsAreFoundBesideLoopOverOnes()
    {
        root.Write("postgres/gittensory-20260701T090000Z.dump");
        root.Write("postgres/loopover-20260630T090000Z.dump");

        var selection = await BackupFinder.FindAsync(root.Path, BackupStore.Postgres, Prefixes, ct: TestContext.Current.CancellationToken);

        selection.Backup.RelativePath.Should().Be("postgres/gittensory-20260701T090000Z.dump");
        selection.Backup.Prefix.Should().Be("gittensory");
        selection.Candidates.Should().HaveCount(2);
    }

    [Fact]
    public async Task AManifestThatAgreesWithTheDiskChoosesTheBackup()
    {
        root.Write("postgres/loopover-20260704T090939Z.dump", bytes: 100);
        root.WriteManifest("""{"ts":"20260704T090939Z","postgres":{"file":"postgres/loopover-20260704T090939Z.dump","bytes":100},"sqlite":null,"qdrant":{"file":null},"retain":7}""");

        var selection = await BackupFinder.FindAsync(root.Path, BackupStore.Postgres, Prefixes, ct: TestContext.Current.CancellationToken);

        selection.SelectedBy.Should().Be("manifest");
        selection.ManifestCheck.Verdict.Should().Be(CheckVerdict.Passed);
        selection.ManifestCheck.Found.Should().Contain("100 bytes");
    }

    [Fact]
    public async Task AManifestWhoseByteCountDisagreesFailsItsCheckAndTheNameDecides()
    {
        root.Write("postgres/loopover-20260704T090939Z.dump", bytes: 99);
        root.WriteManifest("""{"ts":"20260704T090939Z","postgres":{"file":"postgres/loopover-20260704T090939Z.dump","bytes":100},"retain":7}""");

        var selection = await BackupFinder.FindAsync(root.Path, BackupStore.Postgres, Prefixes, ct: TestContext.Current.CancellationToken);

        selection.ManifestCheck.Verdict.Should().Be(CheckVerdict.Failed);
        selection.ManifestCheck.Found.Should().Be(
            "manifest.json says 'postgres/loopover-20260704T090939Z.dump' has 100 bytes, but it has 99 on disk: truncated or replaced after the run. The newest backup by name is drilled instead.");
        selection.SelectedBy.Should().Be("file name");
        selection.Notes.Should().ContainSingle().Which.Should().Contain("chosen by the time stamp in its name");
    }

    [Fact]
    public async Task AManifestNamingAFileOutsideTheRootIsRefusedAndNeverRead()
    {
        var outside = Path.Combine(Path.GetDirectoryName(root.Path)!, "outside-" + Guid.NewGuid().ToString("N") + ".dump");
        await File.WriteAllBytesAsync(outside, new byte[5], TestContext.Current.CancellationToken);
        try
        {
            root.Write("postgres/loopover-20260704T090939Z.dump");
            root.WriteManifest($$"""{"ts":"20260704T090939Z","postgres":{"file":"../{{Path.GetFileName(outside)}}","bytes":5},"retain":7}""");

            var selection = await BackupFinder.FindAsync(root.Path, BackupStore.Postgres, Prefixes, ct: TestContext.Current.CancellationToken);

            selection.ManifestCheck.Verdict.Should().Be(CheckVerdict.Failed);
            selection.ManifestCheck.Found.Should().StartWith($"manifest.json names '../{Path.GetFileName(outside)}', which lies outside the backups root");
            selection.Backup.RelativePath.Should().Be("postgres/loopover-20260704T090939Z.dump");
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public async Task ASymbolicLinkLeadingOutsideTheRootIsNotABackup()
    {
        root.Write("postgres/loopover-20260701T090000Z.dump");
        Directory.CreateDirectory(Path.Combine(root.Path, "postgres"));
        File.CreateSymbolicLink(Path.Combine(root.Path, "postgres", "loopover-20260705T090000Z.dump"), "/etc/hostname");

        var selection = await BackupFinder.FindAsync(root.Path, BackupStore.Postgres, Prefixes, ct: TestContext.Current.CancellationToken);

        selection.Backup.RelativePath.Should().Be("postgres/loopover-20260701T090000Z.dump");
    }

    [Fact]
    public async Task AManifestThatIsNotJsonFailsItsCheckWithTheParserMessage()
    {
        root.Write("postgres/loopover-20260704T090939Z.dump");
        root.WriteManifest("{\"ts\": \"20260704T090939Z\", \"postgres\": {");

        var selection = await BackupFinder.FindAsync(root.Path, BackupStore.Postgres, Prefixes, ct: TestContext.Current.CancellationToken);

        selection.ManifestCheck.Verdict.Should().Be(CheckVerdict.Failed);
        selection.ManifestCheck.Found.Should().StartWith("'manifest.json' is not valid manifest JSON (");
    }

    [Fact]
    public async Task AManifestOlderThanTheNewestFileIsAWarningAndTheManifestsBackupIsDrilled()
    {
        root.Write("postgres/loopover-20260703T090000Z.dump", bytes: 10);
        root.Write("postgres/loopover-20260704T090000Z.dump", bytes: 3);
        root.WriteManifest("""{"ts":"20260703T090000Z","postgres":{"file":"postgres/loopover-20260703T090000Z.dump","bytes":10},"retain":7}""");

        var selection = await BackupFinder.FindAsync(root.Path, BackupStore.Postgres, Prefixes, ct: TestContext.Current.CancellationToken);

        selection.Backup.RelativePath.Should().Be("postgres/loopover-20260703T090000Z.dump");
        selection.ManifestCheck.Verdict.Should().Be(CheckVerdict.Warning);
        selection.ManifestCheck.Found.Should().Contain("'postgres/loopover-20260704T090000Z.dump' is newer by its name");
    }

    [Fact]
    public async Task AFolderWithNoWellNamedDumpIsAClearError()
    {
        root.Write("postgres/backup.dump");
        root.Write("postgres/loopover-2026.dump");

        var find = () => BackupFinder.FindAsync(root.Path, BackupStore.Postgres, Prefixes, ct: TestContext.Current.CancellationToken);

        (await find.Should().ThrowAsync<BackupRejectedException>())
            .Which.Message.Should().StartWith($"No Postgres backup in '{Path.Combine(root.Path, "postgres")}'. Expected files named postgres/loopover-YYYYMMDDTHHMMSSZ.dump or postgres/gittensory-YYYYMMDDTHHMMSSZ.dump.");
    }

    [Fact]
    public async Task AMissingRootIsAClearError()
    {
        var missing = Path.Combine(root.Path, "nope");

        var find = () => BackupFinder.FindAsync(missing, BackupStore.Postgres, Prefixes, ct: TestContext.Current.CancellationToken);

        (await find.Should().ThrowAsync<BackupRejectedException>())
            .Which.Message.Should().StartWith($"Backups root '{missing}' does not exist.");
    }

    [Fact]
    public async Task AnExplicitBackupOverridesTheNewest()
    {
        root.Write("postgres/loopover-20260701T090000Z.dump");
        root.Write("postgres/loopover-20260704T090000Z.dump");

        var selection = await BackupFinder.FindAsync(root.Path, BackupStore.Postgres, Prefixes, "postgres/loopover-20260701T090000Z.dump", TestContext.Current.CancellationToken);

        selection.SelectedBy.Should().Be("explicit");
        selection.Backup.Timestamp.Should().Be(new DateTimeOffset(2026, 7, 1, 9, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task AnExplicitBackupThatDoesNotExistIsAClearError()
    {
        var find = () => BackupFinder.FindAsync(root.Path, BackupStore.Postgres, Prefixes, "postgres/missing.dump", TestContext.Current.CancellationToken);

        (await find.Should().ThrowAsync<BackupRejectedException>())
            .Which.Message.Should().Be($"Backup '{Path.Combine(root.Path, "postgres/missing.dump")}' does not exist. Check the path given with -Backup.");
    }
}
