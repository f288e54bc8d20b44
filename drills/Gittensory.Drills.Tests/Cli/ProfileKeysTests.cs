using FluentAssertions;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Profiles;
using Xunit;

namespace Gittensory.Drills.Tests.Cli;

/// <summary>A profile key the drill does not know is refused (exit 2), naming the key and the file; "$" keys are notes.</summary>
public sealed class ProfileKeysTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("gdrill-test-profile-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void AMisspeltTopLevelKeyIsRefusedWithTheKeyAndTheFile()
    {
        var file = WriteProfile("\"nonEmptyTabels\": [\"users\"]");

        var load = () => DrillProfile.Load(file);

        load.Should().Throw<InvalidDataException>().WithMessage(
            $"Profile '{file}' has a key the drill does not know: 'nonEmptyTabels' (at the top level). A misspelt key would turn its check into \"not applicable\"*docs/schemas/profile.schema.json*");
    }

    [Fact]
    public void AMisspeltNestedKeyIsRefusedWithWhereItIs()
    {
        var file = WriteProfile("\"migrationLedger\": { \"tabel\": \"_migrations\", \"nameColumn\": \"name\" }");

        var load = () => DrillProfile.Load(file);

        load.Should().Throw<InvalidDataException>().WithMessage($"Profile '{file}' has a key the drill does not know: 'tabel' (in $.migrationLedger)*");
    }

    [Fact]
    public void KeysStartingWithADollarAreNotesAndTheShippedProfileLoads()
    {
        var file = WriteProfile("\"$note\": \"a note\", \"nonEmptyTables\": [\"users\"]");

        DrillProfile.Load(file).NonEmptyTables.Should().Equal("users");
        DrillProfile.LoopOver.Tables.Should().HaveCount(95);
    }

    [Fact]
    public async Task TheDrillCommandExitsWithTwoOnAnUnknownProfileKey()
    {
        var file = WriteProfile("\"requireNewestRelase\": true");

        var (exit, _, stderr) = await DrillCommand.RunAsync(
            ["--backup-root", RepoPaths.SampleBackups, "--store", "sqlite", "--profile", file, "--report-dir", folder], ct: TestContext.Current.CancellationToken);

        exit.Should().Be(2);
        stderr.Should().Contain($"gittensory-drill: Profile '{file}' has a key the drill does not know: 'requireNewestRelase'");
    }

    private string WriteProfile(string extra)
    {
        var file = Path.Combine(folder, "app.json");
        File.WriteAllText(file, "{ \"name\": \"app\", \"tables\": [\"users\"], " + extra + " }");
        return file;
    }
}
