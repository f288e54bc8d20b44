using System.Diagnostics;
using FluentAssertions;
using Gittensory.Drills.Fixtures;
using Xunit;

namespace Gittensory.Drills.Tests.Cli;

/// <summary>The drill command as a .NET tool: packed to a local folder, installed from it, and run by its command name.</summary>
[Collection(ReleaseBuildCollection.Name)]
public sealed class ToolPackageTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("gdrill-test-tool-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task ThePackedToolInstallsFromALocalFolderAndPrintsItsVersionAndExitCodes()
    {
        var packages = Path.Combine(folder, "packages");
        var tools = Path.Combine(folder, "tools");

        var pack = await RunAsync("dotnet", "pack", Path.Combine(RepoPaths.Root, "drills", "Gittensory.Drills.Cli"), "-c", "Release", "-o", packages, "-nologo");
        pack.ExitCode.Should().Be(0, pack.Output);
        var install = await RunAsync("dotnet", "tool", "install", "--tool-path", tools, "--add-source", packages, "Gittensory.Drills.Cli");
        install.ExitCode.Should().Be(0, install.Output);

        var version = await RunAsync(Path.Combine(tools, "gittensory-drill"), "--version");
        var help = await RunAsync(Path.Combine(tools, "gittensory-drill"), "--help");

        var expected = typeof(Gittensory.Drills.Reporting.DrillReport).Assembly.GetName().Version!.ToString(3);
        version.ExitCode.Should().Be(0);
        version.Output.Trim().Should().Be($"gittensory-drill {expected}");
        help.ExitCode.Should().Be(0);
        help.Output.Should().Contain("Exit codes:").And.Contain("1  a check failed").And.Contain("2  the drill could not run");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] arguments)
    {
        var (exit, stdout, stderr) = await ProcessOutput.RunAsync(
            new ProcessStartInfo(program) { WorkingDirectory = Path.GetTempPath() }, arguments, ct: TestContext.Current.CancellationToken);
        return (exit, stdout + stderr);
    }
}
