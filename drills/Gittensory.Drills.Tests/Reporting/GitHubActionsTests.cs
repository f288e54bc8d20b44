using FluentAssertions;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Tests.Cli;
using Xunit;

namespace Gittensory.Drills.Tests.Reporting;

/// <summary>The drill command in a GitHub Actions job (GITHUB_STEP_SUMMARY set): the job summary and the annotations, over real drills.</summary>
public sealed class GitHubActionsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("gdrill-test-github-").FullName;

    private string Reports => Path.Combine(folder, "reports");

    private string Summary => Path.Combine(folder, "step-summary.md");

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task AFailedDrillAppendsItsReportFailuresFirstAndAnnotatesEachFailedCheck()
    {
        // Given a job summary that an earlier step already wrote to
        var ct = TestContext.Current.CancellationToken;
        await File.WriteAllTextAsync(Summary, "An earlier step's summary.\n", ct);

        // When a real drill fails in the job
        var (exit, stdout, _) = await DrillCommand.RunAsync(SqliteDrills.Arguments(Reports, failing: true),
            new Dictionary<string, string> { [GitHubActions.StepSummaryVariable] = Summary }, ct);

        // Then each failed check is an ::error annotation titled with its id
        exit.Should().Be(1);
        var annotations = stdout.Split('\n').Where(l => l.StartsWith("::", StringComparison.Ordinal)).ToList();
        annotations.Should().Contain(l => l.StartsWith("::error title=backup.age::The backup is recent enough (sqlite): expected taken at most 1 h before the drill; found taken 2026-07-04 09:09:39Z", StringComparison.Ordinal));
        annotations.Should().Contain(l => l.StartsWith("::error title=set.age.sqlite::", StringComparison.Ordinal));
        annotations.Should().OnlyContain(l => l.StartsWith("::error ", StringComparison.Ordinal));

        // And the summary keeps the earlier step's text, then lists the failures before the report itself
        var summary = await File.ReadAllTextAsync(Summary, ct);
        summary.Should().StartWith("An earlier step's summary.\n## Restore drill FAILED: 3 failed, 0 warnings");
        var failure = summary.IndexOf("- **FAIL** `backup.age` (sqlite)", StringComparison.Ordinal);
        var report = summary.IndexOf("\n# Restore drill FAILED", StringComparison.Ordinal);
        var store = summary.IndexOf("## sqlite: FAILED", StringComparison.Ordinal);
        failure.Should().BePositive();
        report.Should().BeGreaterThan(failure);
        store.Should().BeGreaterThan(report);
        summary.Should().Contain("*What to do:* The newest backup is too old");
    }

    [Fact]
    public async Task APassingDrillAnnotatesNothingAndSaysEveryCheckPassed()
    {
        var ct = TestContext.Current.CancellationToken;
        var (exit, stdout, _) = await DrillCommand.RunAsync(SqliteDrills.Arguments(Reports, failing: false),
            new Dictionary<string, string> { [GitHubActions.StepSummaryVariable] = Summary }, ct);

        exit.Should().Be(0);
        stdout.Should().NotContain("::error").And.NotContain("::warning");
        (await File.ReadAllTextAsync(Summary, ct)).Should().StartWith("## Restore drill PASSED: 0 failed, 0 warnings\n\nEvery check passed or did not apply.");
    }

    [Fact]
    public async Task WithoutAStepSummaryTheCommandPrintsNoWorkflowCommands()
    {
        var ct = TestContext.Current.CancellationToken;
        var (exit, stdout, _) = await DrillCommand.RunAsync(SqliteDrills.Arguments(Reports, failing: true),
            new Dictionary<string, string> { [GitHubActions.StepSummaryVariable] = "" }, ct);

        exit.Should().Be(1);
        stdout.Should().NotContain("::error");
        File.Exists(Summary).Should().BeFalse();
    }

    [Fact]
    public async Task AnAnnotationEscapesLineBreaksAndPercentSignsFromTheData()
    {
        // Given a drill that cannot run, whose problem names a backups root with a line break and a percent sign in its name
        var ct = TestContext.Current.CancellationToken;
        var root = Path.Combine(folder, "no such\nroot 100%");
        var (exit, stdout, _) = await DrillCommand.RunAsync(["--backup-root", root, "--report-dir", Reports],
            new Dictionary<string, string> { [GitHubActions.StepSummaryVariable] = Summary }, ct);

        // Then its one annotation stays on one line, escaped as GitHub's workflow commands require
        exit.Should().Be(2);
        stdout.Should().Contain($"::error title=drill::The drill could not run: Backups root '{folder}/no such%0Aroot 100%25' does not exist.");
    }
}
