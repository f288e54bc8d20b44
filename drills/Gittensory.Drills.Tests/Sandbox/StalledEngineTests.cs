using FluentAssertions;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Tests.Cli;
using Xunit;

namespace Gittensory.Drills.Tests.Sandbox;

/// <summary>An engine that answers /version and then hangs: the drill stops within its bound and says which engine and what to do.</summary>
public sealed class StalledEngineTests : IDisposable
{
    private readonly string reports = Directory.CreateTempSubdirectory("gdrill-test-stalled-reports-").FullName;

    public void Dispose() => Directory.Delete(reports, recursive: true);

    [Fact(Timeout = 600_000)]
    public async Task AnEngineThatHangsAfterVersionEndsTheDrillWithTwoAndAMessageNamingTheEngine()
    {
        // Given an engine that answers /_ping and /version, then nothing
        var ct = TestContext.Current.CancellationToken;
        await using var engine = new StalledEngine();

        // When the Postgres leg is drilled through it
        var (exit, stdout, stderr) = await DrillCommand.RunAsync(
            ["--backup-root", RepoPaths.SampleBackups, "--bundled-sample", "--store", "postgres", "--report-dir", reports],
            new Dictionary<string, string> { ["DOCKER_HOST"] = $"unix://{engine.SocketPath}" }, ct);

        // Then the drill could not run, and says the engine hung while the drill's network was made, and what to do
        exit.Should().Be(2, stdout + stderr);
        stdout.Should().MatchRegex(
            $@"Drill ERROR \(exit code 2\): The container engine at 'unix://{System.Text.RegularExpressions.Regex.Escape(engine.SocketPath)}' answered /version, " +
            @"but creating the drill's network 'gdrill-[0-9a-f]+' got no answer within 60 s: the engine is hung or overloaded\. " +
            @"Check that 'docker info' and 'docker network ls' answer promptly \(restart the engine, dockerd, if they hang\), then drill again\.");
        stdout.Should().NotContain("TaskCanceledException");
        engine.Requests.Should().Contain(r => r.EndsWith("/version", StringComparison.Ordinal));
    }
}
