using System.Text.Json.Nodes;
using FluentAssertions;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Tests.Reporting;
using Xunit;

namespace Gittensory.Drills.Tests.Cli;

/// <summary>--restore-point, --restore-point-seed, --window-budget and --window-only on the command line: checked once, by the command, and written in the report.</summary>
public sealed class RestorePointCommandTests : IDisposable
{
    private readonly string reports = Directory.CreateTempSubdirectory("gdrill-test-cli-point-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(reports, recursive: true);

    [Fact]
    public async Task GivenRandomWithTheSameSeedTwice_WhenDrilled_ThenBothReportsNameTheSeedAndTheSameBackup()
    {
        var first = await DrillAsync("random", "7");
        var second = await DrillAsync("random", "7");

        first["restorePoint"]!.GetValue<string>().Should().Be("random (seed 7)");
        first["restorePointSeed"]!.GetValue<int>().Should().Be(7);
        Chosen(second).Should().Be(Chosen(first)).And.StartWith("sqlite/loopover-2026070");
        first["phases"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).Should().Contain("window");
        first["window"]!["backups"]!.AsArray().Should().HaveCount(3);
    }

    [Fact]
    public async Task GivenRandomWithoutASeed_WhenDrilled_ThenTheDrawnSeedIsInTheReportAndRepeatsTheChoice()
    {
        var drawn = await DrillAsync("random", null);
        var seed = drawn["restorePointSeed"]!.GetValue<int>();

        var again = await DrillAsync("random", seed.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Chosen(again).Should().Be(Chosen(drawn));
    }

    [Theory]
    [InlineData(new[] { "--restore-point", "last-tuesday" }, "gittensory-drill: --restore-point takes newest, oldest, random or a backup's time stamp like 20260704T090939Z; 'last-tuesday' is none of them.")]
    [InlineData(new[] { "--restore-point-seed", "4" }, "gittensory-drill: --restore-point-seed only applies with --restore-point random; add --restore-point random.")]
    [InlineData(new[] { "--restore-point", "oldest", "--restore-point-seed", "4" }, "gittensory-drill: --restore-point-seed only applies with --restore-point random (not 'oldest').")]
    [InlineData(new[] { "--restore-point", "random", "--restore-point-seed", "-1" }, "gittensory-drill: --restore-point-seed must be a whole number from 0 to 2147483647; '-1' is not.")]
    [InlineData(new[] { "--restore-point", "oldest", "--backup", "sqlite/loopover-20260704T090939Z.sqlite.gz" }, "gittensory-drill: --backup names the backup to drill, --restore-point chooses one; give one of them.")]
    [InlineData(new[] { "--window-only", "--window-budget", "0" }, "gittensory-drill: --window-only with --window-budget 0 would read nothing; give a budget above 0.")]
    [InlineData(new[] { "--window-only", "--boot-app" }, "gittensory-drill: --window-only restores nothing, so there is nothing to boot; leave out --boot-app or --window-only.")]
    [InlineData(new[] { "--window-budget", "lots" }, "gittensory-drill: --window-budget must be a number of bytes of at least 0, optionally with KiB, MiB, GiB or TiB (e.g. 32GiB); 'lots' is not.")]
    public async Task GivenABadRestorePointOrBudget_WhenParsed_ThenTheCommandExitsTwoAndSaysWhy(string[] extra, string message)
    {
        var (exit, _, stderr) = await DrillCommand.RunAsync(["--backup-root", RepoPaths.SampleBackups, "--report-dir", reports, .. extra], ct: Ct);

        exit.Should().Be(2);
        stderr.Should().StartWith(message + Environment.NewLine);
    }

    [Fact]
    public async Task GivenAWindowBudgetWithASuffix_WhenDrilled_ThenTheReportCarriesItInBytes()
    {
        var report = await DrillAsync(null, null, "--window-budget", "1.5MiB");

        report["window"]!["budgetBytes"]!.GetValue<long>().Should().Be(1_572_864);
    }

    [Fact]
    public async Task GivenWindowOnly_WhenDrilled_ThenEveryRetainedBackupIsReadAndNothingIsRestored()
    {
        var report = await DrillAsync(null, null, "--window-only");

        report["window"]!["backups"]!.AsArray().Should().HaveCount(3);
        report["legs"]!.AsArray().Should().OnlyContain(l => !l!["ran"]!.GetValue<bool>());
        report["legs"]!.AsArray().Single(l => l!["store"]!.GetValue<string>() == "sqlite")!["reason"]!.GetValue<string>()
            .Should().Be("not restored: --window-only reads the retention window offline only");
        report["phases"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).Should().Equal("scan", "window", "teardown");
    }

    private async Task<JsonNode> DrillAsync(string? point, string? seed, params string[] extra)
    {
        var folder = Path.Combine(reports, Guid.NewGuid().ToString("N"));
        List<string> arguments = ["--backup-root", RepoPaths.SampleBackups, "--bundled-sample", "--store", "sqlite", "--report-dir", folder, .. extra];
        if (point is not null)
        {
            arguments.AddRange(["--restore-point", point]);
        }

        if (seed is not null)
        {
            arguments.AddRange(["--restore-point-seed", seed]);
        }

        var (exit, stdout, stderr) = await DrillCommand.RunAsync(arguments, ct: Ct);
        exit.Should().Be(0, stdout + stderr);
        return JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(DrillFolders.In(folder).Single(), "report.json"), Ct))!;
    }

    private static string Chosen(JsonNode report) =>
        report["legs"]!.AsArray().Single(l => l!["store"]!.GetValue<string>() == "sqlite")!["backup"]!["file"]!.GetValue<string>();
}
