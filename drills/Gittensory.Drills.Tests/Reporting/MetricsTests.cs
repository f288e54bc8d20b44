using System.Diagnostics;
using System.Globalization;
using FluentAssertions;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Tests.Cli;
using Xunit;

namespace Gittensory.Drills.Tests.Reporting;

/// <summary>The Prometheus textfile of real drills, parsed and linted by Prometheus' own promtool, and the example alert rules unit-tested by it.</summary>
public sealed class MetricsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("gdrill-test-metrics-").FullName;

    private string Reports => Path.Combine(folder, "reports");

    private string MetricsFile => Path.Combine(folder, "textfile", "gittensory-drill.prom");

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task TheMetricsOfAPassingDrillParseAndLintCleanWithPromtool()
    {
        // Given a real drill that passes, writing its metrics
        var ct = TestContext.Current.CancellationToken;
        var promtool = ReportTools.Require("promtool");
        Directory.CreateDirectory(Path.GetDirectoryName(MetricsFile)!);
        var outcome = await SqliteDrills.PassingAsync(Reports, metricsFile: MetricsFile, ct: ct);

        // Then promtool's parser and linter accept the file
        var (exit, output) = await RunAsync(promtool, ["check", "metrics"], await File.ReadAllTextAsync(MetricsFile, ct), ct);
        exit.Should().Be(0, output);

        // And it holds the last success, the verdict, each phase, the recovery point, the backup's age and the rows restored
        var text = await File.ReadAllTextAsync(MetricsFile, ct);
        var report = outcome.Report;
        var leg = report.Leg("sqlite")!;
        Value(text, PrometheusTextfile.LastSuccessMetric).Should().BeApproximately(report.FinishedAt.ToUnixTimeMilliseconds() / 1000.0, 0.001);
        Value(text, "gittensory_drill_verdict{verdict=\"passed\"}").Should().Be(1);
        Value(text, "gittensory_drill_verdict{verdict=\"failed\"}").Should().Be(0);
        Value(text, "gittensory_drill_phase_duration_seconds{store=\"sqlite\",phase=\"expand\"}").Should().Be(leg.Phases.Single(p => p.Name == "expand").Seconds);
        Value(text, "gittensory_drill_phase_duration_seconds{store=\"drill\",phase=\"scan\"}").Should().Be(report.Phases.Single(p => p.Name == "scan").Seconds);
        Value(text, "gittensory_drill_recovery_point_seconds{store=\"sqlite\"}").Should().BeApproximately(leg.RecoveryPointMinutes!.Value * 60, 0.001);
        Value(text, "gittensory_drill_backup_age_seconds{store=\"sqlite\"}").Should().BeApproximately((report.StartedAt - leg.Backup!.Timestamp!.Value).TotalSeconds, 0.001);
        Value(text, "gittensory_drill_restored_rows{store=\"sqlite\"}").Should().Be(leg.Tables.Sum(t => t.RestoredRows ?? 0));
        Value(text, "gittensory_drill_table_restored_rows{store=\"sqlite\",table=\"webhook_events\"}").Should().Be(leg.Tables.Single(t => t.Name == "webhook_events").RestoredRows!.Value);
        text.Should().Contain("# HELP gittensory_drill_duration_seconds ").And.Contain("# TYPE gittensory_drill_duration_seconds gauge");
        Directory.GetFiles(Path.GetDirectoryName(MetricsFile)!).Should().ContainSingle("the temporary file is renamed into place");
    }

    [Fact]
    public async Task AFailedDrillKeepsTheLastSuccessOfThePreviousFile()
    {
        // Given a drill that passed, then one that failed, into the same metrics file
        var ct = TestContext.Current.CancellationToken;
        var promtool = ReportTools.Require("promtool");
        Directory.CreateDirectory(Path.GetDirectoryName(MetricsFile)!);
        var passed = await SqliteDrills.PassingAsync(Reports, metricsFile: MetricsFile, ct: ct);
        var failed = await SqliteDrills.FailingAsync(Reports, metricsFile: MetricsFile, ct: ct);

        // Then the file still says when the last success was, and that the newest drill failed
        var text = await File.ReadAllTextAsync(MetricsFile, ct);
        Value(text, PrometheusTextfile.LastSuccessMetric).Should().BeApproximately(passed.Report.FinishedAt.ToUnixTimeMilliseconds() / 1000.0, 0.001);
        Value(text, "gittensory_drill_last_run_timestamp_seconds").Should().BeApproximately(failed.Report.FinishedAt.ToUnixTimeMilliseconds() / 1000.0, 0.001);
        Value(text, "gittensory_drill_verdict{verdict=\"failed\"}").Should().Be(1);
        Value(text, "gittensory_drill_exit_code").Should().Be(1);
        Value(text, "gittensory_drill_checks{verdict=\"failed\"}").Should().Be(failed.Report.AllChecks.Count(c => c.Verdict == Gittensory.Drills.Checks.CheckVerdict.Failed));
        (await RunAsync(promtool, ["check", "metrics"], text, ct)).Exit.Should().Be(0);
    }

    [Fact]
    public async Task TableNamesWithQuotesBackslashesAndLineBreaksAreEscapedInLabels()
    {
        // Given a real SQLite backup whose tables are named to break a label
        var ct = TestContext.Current.CancellationToken;
        var promtool = ReportTools.Require("promtool");
        var root = CraftedSqliteBackup.Create(CraftedSqliteBackup.HostileTableNames);
        Directory.CreateDirectory(Path.GetDirectoryName(MetricsFile)!);
        try
        {
            // When it is drilled
            await SqliteDrills.OfRootAsync(root, Reports, MetricsFile, ct);

            // Then promtool parses every label, escaped as the text format says
            var text = await File.ReadAllTextAsync(MetricsFile, ct);
            var (exit, output) = await RunAsync(promtool, ["check", "metrics"], text, ct);
            exit.Should().Be(0, output);
            text.Should().Contain("table=\"quote\\\" back\\\\slash\\nnew line, comma: colon %25\"} 5");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task TheExampleAlertRulesAreValidAndFireOnlyAfter26HoursWithoutASuccess()
    {
        // Given the shipped rules and their unit tests
        var ct = TestContext.Current.CancellationToken;
        var promtool = ReportTools.Require("promtool");
        var alerts = Path.Combine(RepoPaths.Root, "docs", "examples", "alerts");

        // Then promtool accepts the rules and their unit tests pass
        var check = await RunAsync(promtool, ["check", "rules", Path.Combine(alerts, "gittensory-drills.rules.yml")], null, ct);
        check.Exit.Should().Be(0, check.Output);
        var test = await RunAsync(promtool, ["test", "rules", Path.Combine(alerts, "gittensory-drills.rules.test.yml")], null, ct);
        test.Exit.Should().Be(0, test.Output);

        // And the unit tests catch a rule with another threshold (28 h): they can fail
        var copy = Path.Combine(folder, "alerts");
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(alerts))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        var rules = Path.Combine(copy, "gittensory-drills.rules.yml");
        var original = await File.ReadAllTextAsync(rules, ct);
        original.Should().Contain("> 26 * 3600");
        await File.WriteAllTextAsync(rules, original.Replace("> 26 * 3600", "> 28 * 3600", StringComparison.Ordinal), ct);
        var wrong = await RunAsync(promtool, ["test", "rules", Path.Combine(copy, "gittensory-drills.rules.test.yml")], null, ct);
        wrong.Exit.Should().NotBe(0);
        wrong.Output.Should().Contain("alertname: RestoreDrillNotSucceededIn26h");
    }

    [Fact]
    public async Task TheDrillCommandRefusesAMetricsFileThatIsNotPromOrWhoseFolderIsMissing()
    {
        var ct = TestContext.Current.CancellationToken;
        var notProm = await DrillCommand.RunAsync([.. SqliteDrills.Arguments(Reports, failing: false), "--metrics-file", Path.Combine(folder, "drill.txt")], ct: ct);
        notProm.ExitCode.Should().Be(2);
        notProm.Stderr.Should().StartWith("gittensory-drill: --metrics-file must end in .prom (node_exporter's textfile collector reads only *.prom files)");

        var noFolder = await DrillCommand.RunAsync([.. SqliteDrills.Arguments(Reports, failing: false), "--metrics-file", "/nonexistent/textfile/drill.prom"], ct: ct);
        noFolder.ExitCode.Should().Be(2);
        noFolder.Stderr.Should().StartWith("gittensory-drill: --metrics-file '/nonexistent/textfile/drill.prom': its folder '/nonexistent/textfile' does not exist.");
        Directory.Exists(Reports).Should().BeFalse("a refused argument stops the drill before it runs");
    }

    private static double Value(string text, string series)
    {
        var line = text.Split('\n').SingleOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        line.Should().NotBeNull($"the file should have a sample of {series}:\n{text}");
        return double.Parse(line![(series.Length + 1)..], CultureInfo.InvariantCulture);
    }

    private static async Task<(int Exit, string Output)> RunAsync(string program, IReadOnlyList<string> arguments, string? input, CancellationToken ct)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input.AsMemory(), ct);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await stdout + await stderr);
    }
}
