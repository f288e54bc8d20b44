using FluentAssertions;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Tests.AppStandIn;
using Gittensory.Drills.Tests.Cli;
using Xunit;

namespace Gittensory.Drills.Tests.Boot;

/// <summary>The command behind run-drill.ps1 with --boot-app: its flags, their refusals (exit 2), the plan, and one whole drill.</summary>
public sealed class BootAppCommandTests : IDisposable
{
    private readonly string reports = Directory.CreateTempSubdirectory("gdrill-test-boot-cli-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(reports, recursive: true);

    [Theory]
    [InlineData("--app-image|gittensory-drills/loopover-standin:latest", "--app-image only applies with --boot-app; add --boot-app.")]
    [InlineData("--boot-app|--app-image|x|--app-command|node dist/server.mjs", "--app-image and --app-command are two forms of the application; give one.")]
    [InlineData("--boot-app|--app-workdir|/srv/loopover", "--app-workdir is the working directory of --app-command; give --app-command too.")]
    [InlineData("--boot-app|--ready-timeout|-3", "--ready-timeout must be a positive number of seconds; '-3' is not.")]
    [InlineData("--boot-app|--app-host-network", "--app-host-network is about where --app-command runs; give --app-command too.")]
    [InlineData("--app-host-network", "--app-host-network only applies with --boot-app; add --boot-app.")]
    public async Task ABootFlagThatCannotBeUsedExitsWithTwoAndSaysWhy(string flags, string message)
    {
        var (exit, _, stderr) = await DrillCommand.RunAsync(["--backup-root", RepoPaths.SampleBackups, .. flags.Split('|')], ct: Ct);

        exit.Should().Be(2);
        stderr.Should().StartWith($"gittensory-drill: {message}");
    }

    [Fact]
    public async Task ThePlanSaysHowTheApplicationWouldBootAndTouchesNothing()
    {
        var (exit, stdout, _) = await DrillCommand.RunAsync(
            ["--backup-root", RepoPaths.SampleBackups, "--bundled-sample", "--report-dir", Path.Combine(reports, "never"), "--plan", "--boot-app", "--app-command", "node dist/server.mjs", "--ready-timeout", "90"],
            ct: Ct);

        exit.Should().Be(0);
        stdout.Should().Contain("What if: Would then boot the application on this host on the scratch Postgres (DATABASE_URL): node dist/server.mjs (in ")
            .And.Contain("What if: Would poll /ready for up to 90 s, then compare the migration ledger after boot with the one measured before it.");
        Directory.Exists(Path.Combine(reports, "never")).Should().BeFalse();
    }

    [Fact]
    public async Task TheCommandDrillsTheSampleSetGreenWithTheApplicationBooted()
    {
        await EngineGate.RequireEngineAsync(Ct);

        var (exit, stdout, stderr) = await DrillCommand.RunAsync(
            ["--backup-root", RepoPaths.SampleBackups, "--bundled-sample", "--store", "postgres", "--report-dir", reports, "--boot-app", "--app-image", AppStandInImageTests.Image],
            ct: Ct);

        exit.Should().Be(0, stdout + stderr);
        stdout.Should().Contain("PASS  app.isolation: The application can reach only the scratch services: container gdrill-")
            .And.Contain("PASS  app.ready: The application boots on the restored copy and /ready answers 200: /ready answered 200 after ");
        stdout.Should().MatchRegex(@"\n  full recovery time: \d+\.\d s from the drill's start to the application's first 200 from /ready\n");
        stderr.Should().Contain("The application is ready: /ready answered 200 ");
    }
}
