using FluentAssertions;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.Tests.Window;
using Xunit;

namespace Gittensory.Drills.Tests.Backups;

/// <summary>Restore points other than the newest: oldest, a time stamp, and a random choice that the same seed repeats.</summary>
public sealed class RestorePointTests : IDisposable
{
    private readonly WindowSet set = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => set.Dispose();

    [Fact]
    public async Task GivenTheSameSeed_WhenRandomIsChosenTwice_ThenTheSameBackupIsChosen()
    {
        foreach (var seed in new[] { 0, 1, 2, 3, 42, 1234567 })
        {
            var first = await ChosenAsync(RandomPoint(seed));
            var second = await ChosenAsync(RandomPoint(seed));
            second.Should().Be(first, $"seed {seed} chooses one backup");
        }
    }

    [Fact]
    public async Task GivenSeveralSeeds_WhenRandomIsChosen_ThenMoreThanOneBackupOfTheWindowIsChosen()
    {
        // A "random" that always chose the same backup could not be told from newest.
        var chosen = new HashSet<string>();
        foreach (var seed in Enumerable.Range(0, 12))
        {
            chosen.Add(await ChosenAsync(RandomPoint(seed)));
        }

        chosen.Should().HaveCountGreaterThan(1).And.BeSubsetOf(
            [WindowSet.OldestSqlite, WindowSet.MiddleSqlite, WindowSet.NewestSqlite]);
    }

    [Fact]
    public async Task GivenRandomWithASeed_WhenChosen_ThenTheSelectionNamesThePointAndItsSeed()
    {
        var selection = await SelectionAsync(RandomPoint(42));

        selection.SelectedBy.Should().Be("restore point random (seed 42)");
        selection.Notes.Should().ContainSingle().Which.Should().Be($"Restore point random (seed 42): {selection.Backup.RelativePath}, of 3 complete sqlite/ backups.");
    }

    [Fact]
    public async Task GivenOldestOrATimeStamp_WhenChosen_ThenThatBackupIsChosen()
    {
        (await ChosenAsync(new RestorePoint { Kind = RestorePointKind.Oldest })).Should().Be(WindowSet.OldestSqlite);
        (await ChosenAsync(RestorePoint.Parse("20260703T090939Z", null, out _)!)).Should().Be(WindowSet.MiddleSqlite);
        (await ChosenAsync(RestorePoint.Newest)).Should().Be(WindowSet.NewestSqlite);
    }

    [Fact]
    public async Task GivenATimeStampNoBackupCarries_WhenChosen_ThenNothingIsChosenAndTheMessageListsTheWindow()
    {
        var options = set.Copy.Options() with { RestorePoint = RestorePoint.Parse("20260601T000000Z", null, out _)! };
        var scanned = await BackupSetScan.ScanAsync(DrillPipeline.ScanOptions(options), Ct);

        scanned[BackupStore.Sqlite].Selection.Should().BeNull();
        scanned[BackupStore.Sqlite].NoSelectionReason.Should().Be(
            "No complete sqlite/ backup carries the time stamp 20260601T000000Z (restore point). The window holds: 20260704T090939Z, 20260703T090939Z, 20260702T090939Z. " +
            "Give one of these, or newest, oldest or random.");
    }

    [Theory]
    [InlineData("yesterday", "takes newest, oldest, random or a backup's time stamp like 20260704T090939Z; 'yesterday' is none of them")]
    [InlineData("2026-07-04", "takes newest, oldest, random or a backup's time stamp like 20260704T090939Z; '2026-07-04' is none of them")]
    public void GivenTextThatIsNoRestorePoint_WhenParsed_ThenTheErrorSaysWhatItTakes(string text, string error)
    {
        RestorePoint.Parse(text, null, out var message).Should().BeNull();
        message.Should().Be(error);
    }

    private static RestorePoint RandomPoint(int seed) => RestorePoint.Parse("random", seed, out _)!;

    private async Task<BackupSelection> SelectionAsync(RestorePoint point)
    {
        var options = set.Copy.Options() with { RestorePoint = point };
        var scanned = await BackupSetScan.ScanAsync(DrillPipeline.ScanOptions(options), Ct);
        return scanned.Require(BackupStore.Sqlite);
    }

    private async Task<string> ChosenAsync(RestorePoint point) => (await SelectionAsync(point)).Backup.RelativePath;
}
