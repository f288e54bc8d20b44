using FluentAssertions;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Sandbox;
using Gittensory.Drills.Tests.Cli;
using Gittensory.Drills.Tests.Reporting;
using Xunit;

namespace Gittensory.Drills.Tests.Pipeline;

/// <summary>An image the engine does not have is found in the preflight (before any restore, exit 2) and shown by the plan.</summary>
public sealed class MissingImageTests : IDisposable
{
    private const string Absent = "gdrill-test/absent-app-image:never";
    private readonly string reports = Directory.CreateTempSubdirectory("gdrill-test-images-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(reports, recursive: true);

    [Fact]
    public async Task AnAppImageNotOnTheEngineStopsTheDrillBeforeAnyRestoreWithExitTwo()
    {
        await EngineGate.RequireEngineAsync(Ct);

        var (exit, stdout, stderr) = await DrillCommand.RunAsync(
            ["--backup-root", RepoPaths.SampleBackups, "--bundled-sample", "--store", "postgres", "--report-dir", reports, "--boot-app", "--app-image", Absent], ct: Ct);

        exit.Should().Be(2, stdout + stderr);
        stdout.Should().Contain($"Drill ERROR (exit code 2): The application image '{Absent}' is not on this container engine, and the drill does not pull images. " +
                                $"Load it before the drill: docker pull {Absent}, or where there is no registry docker load -i a copy saved with docker save {Absent} " +
                                "on a machine that has it; or name another image with -AppImage or DRILL_APP_IMAGE.");
        var folder = DrillFolders.In(reports).Single();
        using var json = await ReportWriter.ReadJsonAsync(folder, Ct);
        var legs = json.RootElement.GetProperty("legs").EnumerateArray().ToList();
        legs.Should().NotContain(l => l.GetProperty("ran").GetBoolean(), "nothing was restored");
        var runId = json.RootElement.GetProperty("runId").GetString()!;
        (await ContainerEngine.CountRunResourcesAsync(runId, Ct)).Should().Be((0, 0), "no sandbox was started");
    }

    [Fact]
    public async Task ThePlanShowsAnAppImageMissingFromTheEngineAndOnePresent()
    {
        await EngineGate.RequireEngineAsync(Ct);
        var present = DrillImages.FromEnvironment().PostgresFor(15);
        var redis = DrillImages.FromEnvironment().Redis;

        var missing = await DrillCommand.RunAsync(
            ["--backup-root", RepoPaths.SampleBackups, "--bundled-sample", "--store", "postgres", "--plan", "--boot-app", "--app-image", Absent], ct: Ct);
        var found = await DrillCommand.RunAsync(
            ["--backup-root", RepoPaths.SampleBackups, "--bundled-sample", "--store", "postgres", "--plan", "--boot-app", "--app-image", present], ct: Ct);

        missing.ExitCode.Should().Be(0);
        missing.Stdout.Should().Contain($"What if: Would stop before any restore (exit 2): The application image '{Absent}' is not on this container engine")
            .And.Contain($"What if: Image (scratch Redis): '{redis}' is on the engine.");
        found.Stdout.Should().Contain($"What if: Image (application): '{present}' is on the engine.").And.NotContain("Would stop");
    }
}
