using FluentAssertions;
using Gittensory.Drills.Tests.Cli;
using Xunit;

namespace Gittensory.Drills.Tests.Reporting;

/// <summary>run-drill.ps1 passes -MetricsFile through to the drill command, which checks it (PowerShell 7 as the local dotnet tool).</summary>
public sealed class RunDrillScriptMetricsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("gdrill-test-ps1-metrics-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task MetricsFileIsPassedThroughAndABadNameExitsWithTwo()
    {
        var ct = TestContext.Current.CancellationToken;
        var metrics = Path.Combine(folder, "gittensory-drill.prom");

        var (exit, output) = await PwshAsync(["-Store", "Sqlite", "-ReportDir", Path.Combine(folder, "reports"), "-MetricsFile", metrics], ct);
        exit.Should().Be(0, output);
        (await File.ReadAllTextAsync(metrics, ct)).Should().Contain("gittensory_drill_verdict{verdict=\"passed\"} 1");

        var (badExit, badOutput) = await PwshAsync(["-Store", "Sqlite", "-ReportDir", Path.Combine(folder, "reports"), "-MetricsFile", Path.Combine(folder, "drill.txt")], ct);
        badExit.Should().Be(2);
        badOutput.Should().Contain("--metrics-file must end in .prom");
    }

    private static async Task<(int Exit, string Output)> PwshAsync(IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var (exit, stdout, stderr) = await RunDrillScript.RunAsync(arguments, ct: ct);
        return (exit, stdout + stderr);
    }
}
