using System.Text.Json;
using FluentAssertions;
using Gittensory.Drills.Reporting;
using Xunit;

namespace Gittensory.Drills.Tests.Reporting;

/// <summary>The reports root's history.jsonl, the change since the previous drill in report.md and report.html, and latest, over real drills.</summary>
public sealed class HistoryTests : IDisposable
{
    private readonly string reports = Directory.CreateTempSubdirectory("gdrill-test-history-").FullName;

    public void Dispose() => Directory.Delete(reports, recursive: true);

    [Fact]
    public async Task TwoDrillsGiveTwoLinesAndTheSecondReportShowsTheChangeInRowsAndRestoreTime()
    {
        // Given a drill of the older SQLite backup, then one of the newest (more rows in the tables that grow)
        var ct = TestContext.Current.CancellationToken;
        var first = await SqliteDrills.PassingAsync(reports, SqliteDrills.OlderBackup, ct: ct);
        var second = await SqliteDrills.PassingAsync(reports, ct: ct);

        // Then the history holds one line per drill, in order, with its run id, backup, verdict, durations and rows
        var lines = await File.ReadAllLinesAsync(Path.Combine(reports, DrillHistory.FileName), ct);
        lines.Should().HaveCount(2);
        var entries = lines.Select(l => JsonSerializer.Deserialize<HistoryEntry>(l, new JsonSerializerOptions(ReportWriter.JsonOptions))!).ToList();
        entries.Select(e => e.RunId).Should().Equal(first.Report.RunId, second.Report.RunId);
        entries[0].Legs.Single().Backup.Should().Be(SqliteDrills.OlderBackup);
        entries[1].Legs.Single().Backup.Should().Be("sqlite/loopover-20260704T090939Z.sqlite.gz");
        entries[1].Legs.Single().RestoreSeconds.Should().BePositive();
        entries[1].Legs.Single().Rows.Should().ContainKey("webhook_events");
        entries[1].Phases.Should().ContainKeys("scan", "stores", "teardown");

        // And the second report.md names the previous drill and each table whose rows changed, with the figures of both reports
        var before = first.Report.Leg("sqlite")!.Tables.Single(t => t.Name == "webhook_events").RestoredRows!.Value;
        var now = second.Report.Leg("sqlite")!.Tables.Single(t => t.Name == "webhook_events").RestoredRows!.Value;
        now.Should().BeGreaterThan(before);
        var markdown = await File.ReadAllTextAsync(Path.Combine(second.ReportFolder, "report.md"), ct);
        markdown.Should().Contain("## Since the previous drill")
            .And.Contain($"Previous drill `{first.Report.RunId}`")
            .And.Contain(FormattableString.Invariant($"| sqlite | webhook\\_events | {before:N0} | {now:N0} | +{now - before:N0} |"))
            .And.Contain(FormattableString.Invariant($"| sqlite | {entries[0].Legs[0].RestoreSeconds:0.00} | {entries[1].Legs[0].RestoreSeconds:0.00} |"));

        // And so does its HTML, and the first report says it had nothing to compare with
        var html = await File.ReadAllTextAsync(Path.Combine(second.ReportFolder, "report.html"), ct);
        html.Should().Contain($"Previous drill <code>{first.Report.RunId}</code>").And.Contain("<td>webhook_events</td>");
        (await File.ReadAllTextAsync(Path.Combine(first.ReportFolder, "report.md"), ct)).Should().Contain("This is the first drill of this backups root");
    }

    [Fact]
    public async Task LatestPointsAtTheNewestReportAndHoldsACopyOfItsFiles()
    {
        // Given two drills, the second failing
        var ct = TestContext.Current.CancellationToken;
        await SqliteDrills.PassingAsync(reports, ct: ct);
        var second = await SqliteDrills.FailingAsync(reports, ct: ct);

        // Then latest.json names the second's folder, and latest/ holds its three report files
        using var pointer = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(reports, LatestReport.PointerFile), ct));
        pointer.RootElement.GetProperty("runId").GetString().Should().Be(second.Report.RunId);
        pointer.RootElement.GetProperty("verdict").GetString().Should().Be("failed");
        Path.Combine(reports, pointer.RootElement.GetProperty("report").GetString()!).Should().Be(second.ReportFolder);
        var copy = Path.Combine(reports, LatestReport.Folder);
        Directory.GetFiles(copy).Select(Path.GetFileName).Should().BeEquivalentTo("report.json", "report.md", "report.html");
        (await File.ReadAllTextAsync(Path.Combine(copy, "report.json"), ct)).Should().Be(await File.ReadAllTextAsync(Path.Combine(second.ReportFolder, "report.json"), ct));
    }

    [Fact]
    public async Task DrillsFinishingAtOnceEachAppendOneWholeLineAndLatestIsTheOneThatStartedLast()
    {
        // Given eight real drills into one reports root at the same time
        var ct = TestContext.Current.CancellationToken;
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => SqliteDrills.PassingAsync(reports, ct: ct), ct)));

        // Then the history has eight whole lines, one per run id
        var lines = await File.ReadAllLinesAsync(Path.Combine(reports, DrillHistory.FileName), ct);
        lines.Should().HaveCount(8);
        (await DrillHistory.ReadAsync(reports, ct)).Select(e => e.RunId).Should().BeEquivalentTo(outcomes.Select(o => o.Report.RunId));

        // And latest is the drill that started last
        var newest = outcomes.MaxBy(o => o.Report.StartedAt)!.Report;
        using var pointer = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(reports, LatestReport.PointerFile), ct));
        pointer.RootElement.GetProperty("runId").GetString().Should().Be(newest.RunId);
    }

    [Fact]
    public async Task ADrillWaitsForTheReportsRootsLockBeforeItWritesItsReportHistoryAndLatest()
    {
        // Given another drill holding the reports root's lock
        var ct = TestContext.Current.CancellationToken;
        var held = await ReportsRootLock.AcquireAsync(reports, ct: ct);
        var drill = Task.Run(() => SqliteDrills.PassingAsync(reports, ct: ct), ct);

        // When this drill has finished its checks (its report folder exists) and a second has passed
        while (!Directory.EnumerateDirectories(reports).Any(d => Path.GetFileName(d) != LatestReport.Folder) && !drill.IsCompleted)
        {
            await Task.Delay(20, ct);
        }

        await Task.Delay(TimeSpan.FromSeconds(1), ct);

        // Then it has written nothing yet; once the lock is released it writes its report and its line
        drill.IsCompleted.Should().BeFalse("the lock is held, so the drill must wait before it reads and appends the history");
        File.Exists(Path.Combine(reports, DrillHistory.FileName)).Should().BeFalse();
        held.Dispose();
        var outcome = await drill;
        (await DrillHistory.ReadAsync(reports, ct)).Single().RunId.Should().Be(outcome.Report.RunId);
        File.Exists(Path.Combine(outcome.ReportFolder, "report.html")).Should().BeTrue();
    }

    [Fact]
    public async Task TwoDrillCommandsFinishingAtOnceBothAppendTheirLine()
    {
        // Given two drill commands (two processes) started together on one reports root
        var ct = TestContext.Current.CancellationToken;
        var runs = await Task.WhenAll(
            Cli.DrillCommand.RunAsync(SqliteDrills.Arguments(reports, failing: false), ct: ct),
            Cli.DrillCommand.RunAsync(SqliteDrills.Arguments(reports, failing: true), ct: ct));

        // Then both appended a whole line
        runs.Select(r => r.ExitCode).Should().Equal(0, 1);
        var entries = await DrillHistory.ReadAsync(reports, ct);
        entries.Should().HaveCount(2);
        entries.Select(e => e.Verdict).Should().BeEquivalentTo([DrillVerdict.Passed, DrillVerdict.Failed]);
        (await File.ReadAllLinesAsync(Path.Combine(reports, DrillHistory.FileName), ct)).Should().HaveCount(2);
    }

    [Fact]
    public async Task ALineCutShortIsPassedOverAndTheNextDrillStillAppends()
    {
        // Given a history whose last line was cut short (a disk that filled up)
        var ct = TestContext.Current.CancellationToken;
        await SqliteDrills.PassingAsync(reports, ct: ct);
        await File.AppendAllTextAsync(Path.Combine(reports, DrillHistory.FileName), "{\"runId\":\"cut", ct);

        // When another drill runs
        var next = await SqliteDrills.PassingAsync(reports, ct: ct);

        // Then the cut line is passed over and the new drill's line is readable
        var entries = await DrillHistory.ReadAsync(reports, ct);
        entries.Select(e => e.RunId).Should().HaveCount(2).And.Contain(next.Report.RunId);
    }
}
