using System.Diagnostics;
using FluentAssertions;
using Gittensory.Drills.Fixtures;
using Xunit;

namespace Gittensory.Drills.Tests.Cli;

/// <summary>
/// The first run on a fresh machine: with no engine, run-drill.ps1 runs the ensure step when it may (root on Debian),
/// else names the one command. The ensure script is stubbed (DRILL_ENSURE_ENGINE) and the engine made unreachable
/// (DOCKER_HOST=unix:///nonexistent), so the shared engine is never touched.
/// </summary>
[Collection(ReleaseBuildCollection.Name)]
public sealed class EngineStepTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("gdrill-test-engine-step-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task WithNoEngineAsRootOnDebianTheDrillRunsTheEnsureStepAndShowsItsOutput()
    {
        Directory.Exists("/etc").Should().BeTrue();
        File.Exists("/etc/debian_version").Should().BeTrue("this test runs on the project's Debian machines");
        var stub = Path.Combine(folder, "ensure-engine-stub.sh");
        var record = Path.Combine(folder, "called");
        await File.WriteAllTextAsync(stub, $"#!/usr/bin/env bash\necho '[stub] bringing up an engine'\necho \"$*\" > '{record}'\n", TestContext.Current.CancellationToken);

        var (exit, stdout, stderr) = await RunDrillScript.RunAsync(
            ["-Store", "Postgres", "-ReportDir", Path.Combine(folder, "reports")],
            environment: new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///nonexistent/docker.sock", ["DRILL_ENSURE_ENGINE"] = stub },
            ct: TestContext.Current.CancellationToken);

        File.Exists(record).Should().BeTrue("the ensure step ran. stdout: {0} stderr: {1}", stdout, stderr);
        stdout.Should().Contain($"No container engine answers: bringing one up with {stub}").And.Contain("[stub] bringing up an engine");
        exit.Should().Be(2, "the stub brings up nothing, so the drill still finds no engine");
        stdout.Should().Contain("No container engine: '/nonexistent/docker.sock' does not exist.");
    }

    [Fact]
    public async Task TheDecisionRunsTheScriptOnlyAsRootOnDebianAndOtherwiseNamesTheCommand()
    {
        var script = Path.Combine(RepoPaths.Root, "fixtures", "engine", "ensure-engine.sh");
        var missing = Path.Combine(folder, "no-such-script.sh");
        var output = await PwshAsync($$"""
            Import-Module '{{Path.Combine(RepoPaths.Root, "drills", "run-drill", "EngineStep.psm1")}}'
            $cases = @(
                @{ EngineAnswers = $false; IsRoot = $true;  IsDebian = $true;  Script = '{{script}}' },
                @{ EngineAnswers = $false; IsRoot = $false; IsDebian = $true;  Script = '{{script}}' },
                @{ EngineAnswers = $false; IsRoot = $true;  IsDebian = $false; Script = '{{script}}' },
                @{ EngineAnswers = $false; IsRoot = $true;  IsDebian = $true;  Script = '{{missing}}' },
                @{ EngineAnswers = $true;  IsRoot = $true;  IsDebian = $true;  Script = '{{script}}' })
            foreach ($case in $cases) { $s = Get-EngineStep @case; "$($s.Action)|$($s.Message)" }
            "unreachable:$(Test-EngineAnswer -DockerHost 'unix:///nonexistent/docker.sock')"
            """);

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lines.Should().HaveCount(6, output);
        lines[0].Should().Be($"run|No container engine answers: bringing one up with {script} (first run: several minutes).");
        lines[1].Should().Be($"advise|No container engine answers, and the drill does not start one itself here (this is not root). Run once: sudo bash {script}");
        lines[2].Should().EndWith($"(this is not a Debian machine). Run once: sudo bash {script}");
        lines[3].Should().StartWith($"advise|No container engine answers, and the script that brings one up ('{missing}') does not exist.");
        lines[4].Should().Be("none|");
        lines[5].Should().Be("unreachable:False");
    }

    private static async Task<string> PwshAsync(string command)
    {
        var (_, stdout, stderr) = await ProcessOutput.RunAsync(
            new ProcessStartInfo("dotnet") { WorkingDirectory = RepoPaths.Root }, [RunDrillScript.PwshDll, "-NoProfile", "-Command", command], ct: TestContext.Current.CancellationToken);
        stderr.Should().BeEmpty();
        return stdout;
    }
}
