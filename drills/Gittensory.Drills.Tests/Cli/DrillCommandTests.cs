using FluentAssertions;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Fixtures;
using Xunit;

namespace Gittensory.Drills.Tests.Cli;

public sealed class DrillCommandTests : IDisposable
{
    private readonly string reports = Directory.CreateTempSubdirectory("gdrill-test-cli-").FullName;

    public void Dispose() => Directory.Delete(reports, recursive: true);

    [Fact]
    public async Task ADeadEngineExitsWithTwoAndTheReportSaysWhy()
    {
        var (exit, stdout, _) = await DrillCommand.RunAsync(
            ["--backup-root", RepoPaths.SampleBackups, "--bundled-sample", "--store", "postgres", "--report-dir", reports],
            new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///nonexistent/docker.sock" },
            TestContext.Current.CancellationToken);

        exit.Should().Be(2);
        stdout.Should().Contain("Drill ERROR (exit code 2): No container engine: '/nonexistent/docker.sock' does not exist. Start one with fixtures/engine/ensure-engine.sh");
        var markdown = await File.ReadAllTextAsync(Path.Combine(Directory.GetDirectories(reports).Single(d => Path.GetFileName(d) != LatestReport.Folder), "report.md"), TestContext.Current.CancellationToken);
        markdown.Should().StartWith("# Restore drill COULD NOT RUN").And.Contain("No container engine");
    }

    [Fact]
    public async Task AnUnknownArgumentExitsWithTwoAndTheUsage()
    {
        var (exit, _, stderr) = await DrillCommand.RunAsync(["--backup-root", RepoPaths.SampleBackups, "--restore-over-production"], ct: TestContext.Current.CancellationToken);

        exit.Should().Be(2);
        stderr.Should().StartWith("gittensory-drill: Unknown argument '--restore-over-production'.").And.Contain("Usage: gittensory-drill --backup-root DIR");
    }

    [Fact]
    public async Task AnUnknownScratchStorageExitsWithTwoNamingTheChoices()
    {
        var (exit, _, stderr) = await DrillCommand.RunAsync(["--backup-root", RepoPaths.SampleBackups, "--scratch-storage", "ramdisk"], ct: TestContext.Current.CancellationToken);

        exit.Should().Be(2);
        stderr.Should().StartWith("gittensory-drill: --scratch-storage takes auto, memory or disk; 'ramdisk' is none of them.");
    }

    [Fact]
    public async Task AMissingBackupRootExitsWithTwoAndAReport()
    {
        var (exit, stdout, _) = await DrillCommand.RunAsync(["--backup-root", "/nonexistent/backups", "--report-dir", reports], ct: TestContext.Current.CancellationToken);

        exit.Should().Be(2);
        stdout.Should().Contain("Backups root '/nonexistent/backups' does not exist.");
        Directory.GetDirectories(reports).Where(d => Path.GetFileName(d) != LatestReport.Folder).Should().ContainSingle();
    }

    [Fact]
    public async Task ThePlanShowsTheBackupAndTouchesNothing()
    {
        var (exit, stdout, _) = await DrillCommand.RunAsync(
            ["--backup-root", RepoPaths.SampleBackups, "--bundled-sample", "--report-dir", Path.Combine(reports, "never"), "--plan"],
            ct: TestContext.Current.CancellationToken);

        exit.Should().Be(0);
        stdout.Should().Contain("What if: Would drill: postgres/loopover-20260704T090939Z.dump (210,332 bytes, taken 2026-07-04 09:09:39Z), chosen by manifest");
        Directory.Exists(Path.Combine(reports, "never")).Should().BeFalse();
    }
}
