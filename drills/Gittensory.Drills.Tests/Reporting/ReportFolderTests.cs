using FluentAssertions;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Tests.Cli;
using Xunit;

namespace Gittensory.Drills.Tests.Reporting;

/// <summary>A report folder that cannot be written is found before the drill starts, and one that fails at the end is said so: exit 2, never a stack trace.</summary>
public sealed class ReportFolderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AReadOnlyReportFolderStopsTheDrillBeforeAnyStage()
    {
        // Given a report folder on a read-only file system
        await using var folder = await TmpfsFolder.ReadOnlyAsync();
        var log = new StringWriter();

        // When a drill is asked to report there
        var run = () => DrillPipeline.RunAsync(SqliteDrill(Path.Combine(folder.Path, "reports"), log), Ct);

        // Then it stops before the first stage, saying which folder and why
        var thrown = (await run.Should().ThrowAsync<ReportNotWrittenException>()).Which;
        thrown.Message.Should().MatchRegex(
            $@"^The report folder '{folder.Path}/reports' cannot be written: a 4096-byte probe file failed there \(.*[Rr]ead-only file system.*\)\. " +
            @"The drill writes its report there at its end, so it did not start\. Give a writable -ReportDir with free space\.$");
        thrown.Report.Should().BeNull();
        log.ToString().Should().BeEmpty("no stage ran");
    }

    [Fact]
    public async Task AFullReportFolderMakesTheCommandExitTwoBeforeAnyStageWithoutAStackTrace()
    {
        await using var folder = await TmpfsFolder.WithFreeBytesAsync(0);

        var (exit, stdout, stderr) = await DrillCommand.RunAsync(
            ["--backup-root", RepoPaths.SampleBackups, "--bundled-sample", "--store", "sqlite", "--report-dir", folder.Path], ct: Ct);

        exit.Should().Be(2);
        stderr.Should().MatchRegex($@"^gittensory-drill: The report folder '{folder.Path}' cannot be written: a 4096-byte probe file failed there \((?:.*disk was full|No space left on device).*\)\. ")
            .And.NotContain("   at ").And.NotContain("sqlite", "no stage ran");
        stdout.Should().BeEmpty();
        Directory.GetFiles(folder.Path).Should().Equal([Path.Combine(folder.Path, "filler")], "the probe is removed");
    }

    [Fact]
    public async Task AReportThatCannotBeWrittenAtTheEndIsSaidSoWithTheVerdictAndExitTwo()
    {
        // Given a folder with room for the probe (one page) but not for the report
        await using var folder = await TmpfsFolder.WithFreeBytesAsync(ReportFolderProbe.ProbeBytes);

        // When the whole drill runs (the SQLite leg passes)
        var (exit, stdout, stderr) = await DrillCommand.RunAsync(
            ["--backup-root", RepoPaths.SampleBackups, "--bundled-sample", "--store", "sqlite", "--report-dir", folder.Path], ct: Ct);

        // Then the command says the drill passed but nothing recorded it, and exits 2
        exit.Should().Be(2, stdout + stderr);
        stderr.Should().Contain("sqlite leg Passed").And.MatchRegex(
            $@"gittensory-drill: The drill finished \(PASSED, exit code 0\), but its report could not be written to '{folder.Path}/\d{{8}}T\d{{6}}Z-sqlite-[0-9a-f]+' " +
            @"\((?:.*disk was full|No space left on device).*\), so its result is recorded nowhere\. Free space there or give a writable -ReportDir, and drill again\.")
            .And.NotContain("   at ");
        Directory.EnumerateFiles(folder.Path, "report.*", SearchOption.AllDirectories).Should().BeEmpty("a half-written file is no report");
    }

    private static DrillOptions SqliteDrill(string reports, TextWriter log) => new()
    {
        BackupRoot = RepoPaths.SampleBackups,
        BundledSample = true,
        Stores = new HashSet<BackupStore> { BackupStore.Sqlite },
        ReportsRoot = reports,
        Log = log,
    };
}
