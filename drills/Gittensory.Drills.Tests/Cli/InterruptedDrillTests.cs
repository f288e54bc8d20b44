using System.Text.Json;
using System.Text.RegularExpressions;
using Docker.DotNet.Models;
using FluentAssertions;
using Gittensory.Drills.Sandbox;
using Xunit;

namespace Gittensory.Drills.Tests.Cli;

/// <summary>
/// Drills stopped from outside, as operators and CI stop them: SIGINT (Ctrl+C) and SIGTERM, sent to the drill command or to
/// run-drill.ps1, during pg_restore and during the SQLite expansion; and a restore that stalls (its container paused) until
/// --restore-timeout. Each ends with its documented exit code, a report that says why, and nothing of the run left behind,
/// checked from the engine by the run's label and from the file system.
/// </summary>
public sealed partial class InterruptedDrillTests(LongDrillSetsFixture sets) : IClassFixture<LongDrillSetsFixture>, IDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(10); // run-drill.ps1 builds the command first
    private static readonly TimeSpan ExitLimit = TimeSpan.FromMinutes(3);

    private readonly string reports = Directory.CreateTempSubdirectory("gdrill-test-interrupt-reports-").FullName;
    private readonly string temp = Directory.CreateTempSubdirectory("gdrill-test-interrupt-temp-").FullName;

    public void Dispose()
    {
        Directory.Delete(reports, recursive: true);
        Directory.Delete(temp, recursive: true);
    }

    [Theory(Timeout = 1_200_000)]
    [InlineData("command", "SIGINT")]
    [InlineData("command", "SIGTERM")]
    [InlineData("script", "SIGINT")]
    [InlineData("script", "SIGTERM")]
    public async Task ASignalDuringTheRestoreCancelsTheDrillWithItsExitCodeAReportAndNothingLeft(string launcher, string signal)
    {
        // Given a drill of a dump whose pg_restore runs, its container paused so that the restore is certainly still under way
        var ct = TestContext.Current.CancellationToken;
        var root = await sets.PostgresRootAsync(ct);
        using var drill = Start(launcher, root, "postgres");
        var container = ContainerOf(await drill.WaitForLineAsync("Starting scratch Postgres", StartLimit, ct));
        await PauseOncePgRestoreRunsAsync(container, ct);

        // When the signal is sent
        drill.Send(Number(signal));
        var exit = await drill.WaitForExitAsync(ExitLimit, ct);

        // Then the drill says it was cancelled during the restore, exits with the signal's code, and leaves nothing
        await ThenCancelledAsync(drill, launcher, signal, exit, "postgres restore", ct);
    }

    [Theory(Timeout = 1_200_000)]
    [InlineData("command", "SIGINT")]
    [InlineData("command", "SIGTERM")]
    [InlineData("script", "SIGINT")]
    [InlineData("script", "SIGTERM")]
    public async Task ASignalDuringTheSqliteExpansionCancelsTheDrillAndRemovesThePartialCopy(string launcher, string signal)
    {
        // Given a drill of a SQLite backup that expands to 1.5 GiB, whose expansion into its scratch folder has begun
        var ct = TestContext.Current.CancellationToken;
        var root = await sets.SqliteRootAsync(ct);
        using var drill = Start(launcher, root, "sqlite");
        await drill.WaitForLineAsync("Expanding sqlite/loopover-20260704T090939Z.sqlite.gz into ", StartLimit, ct);
        Directory.GetDirectories(temp).Should().ContainSingle(d => Path.GetFileName(d).StartsWith("gdrill-", StringComparison.Ordinal), "the expansion has its scratch folder");

        // When the signal is sent
        drill.Send(Number(signal));
        var exit = await drill.WaitForExitAsync(ExitLimit, ct);

        // Then the drill says it was cancelled during the expansion, and the partial plaintext copy is gone with its folder
        await ThenCancelledAsync(drill, launcher, signal, exit, "sqlite expand", ct);
    }

    [Fact(Timeout = 1_200_000)]
    public async Task APausedContainerMakesTheRestoreTimeOutWithAMessageNamingTheContainerAndTheBound()
    {
        // Given a drill bounded by --restore-timeout 20 whose scratch Postgres is paused while pg_restore runs
        var ct = TestContext.Current.CancellationToken;
        var root = await sets.PostgresRootAsync(ct);
        using var drill = SignalledProcess.StartCommand(
            ["--backup-root", root, "--bundled-sample", "--store", "postgres", "--report-dir", reports, "--temp-dir", temp, "--restore-timeout", "20"]);
        var container = ContainerOf(await drill.WaitForLineAsync("Starting scratch Postgres", StartLimit, ct));
        await PauseOncePgRestoreRunsAsync(container, ct);

        // When the bound passes
        var exit = await drill.WaitForExitAsync(ExitLimit, ct);

        // Then the drill could not run (2), names the container, the bound and its state, and removed the paused container
        exit.Should().Be(2, drill.Output);
        var expected = $"pg_restore in the scratch container '{container}' did not finish within the restore timeout of 20 s (-RestoreTimeout / --restore-timeout, in seconds); " +
                       "the engine says the container is paused";
        drill.Output.Should().Contain($"Drill ERROR (exit code 2): {expected}");
        using var report = await ReportOfAsync(drill, ct);
        var restore = report.RootElement.GetProperty("legs").EnumerateArray().Single(l => l.GetProperty("store").GetString() == "postgres")
            .GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "postgres.restore");
        restore.GetProperty("verdict").GetString().Should().Be("failed");
        restore.GetProperty("found").GetString().Should().StartWith(expected);
        await ThenNothingLeftAsync(report, ct);
    }

    [Fact]
    public async Task ARestoreTimeoutThatIsNotAPositiveNumberOfSecondsExitsWithTwo()
    {
        var (exit, _, stderr) = await DrillCommand.RunAsync(
            ["--backup-root", reports, "--restore-timeout", "0"], ct: TestContext.Current.CancellationToken);

        exit.Should().Be(2);
        stderr.Should().StartWith("gittensory-drill: --restore-timeout must be a positive number of seconds (default 7200, 2 h; at most 2147483); '0' is not.");
    }

    private SignalledProcess Start(string launcher, string root, string store) => (launcher, store) switch
    {
        ("command", "postgres") => SignalledProcess.StartCommand(["--backup-root", root, "--bundled-sample", "--store", "postgres", "--report-dir", reports, "--temp-dir", temp]),
        ("command", _) => SignalledProcess.StartCommand(
            ["--backup-root", root, "--bundled-sample", "--store", "sqlite", "--report-dir", reports, "--temp-dir", temp, "--max-expansion-ratio", LongDrillSetsFixture.SqliteExpansionRatio]),
        (_, "postgres") => SignalledProcess.StartScript(["-BackupRoot", root, "-Store", "Postgres", "-ReportDir", reports, "-TempDir", temp, "-MaxBackupAge", "1000000"]),
        _ => SignalledProcess.StartScript(
            ["-BackupRoot", root, "-Store", "Sqlite", "-ReportDir", reports, "-TempDir", temp, "-MaxBackupAge", "1000000", "-MaxExpansionRatio", LongDrillSetsFixture.SqliteExpansionRatio]),
    };

    private async Task ThenCancelledAsync(SignalledProcess drill, string launcher, string signal, int exit, string phase, CancellationToken ct)
    {
        var code = signal == "SIGINT" ? 130 : 143;
        exit.Should().Be(code, drill.Output);
        // The offline archive read runs at idle priority beside the restore: on a busy machine it may still be running, and is then named too.
        var during = $"during (postgres preflight, )?{Regex.Escape(phase)}";
        drill.Output.Should().MatchRegex($"Drill CANCELLED \\(exit code {code}\\): The drill was cancelled by {signal} {during}: it did not finish, so it proves nothing about the backups\\.");
        if (launcher == "script")
        {
            drill.Output.Should().Contain($"run-drill.ps1: passed {signal} on to the drill command, which exited with {code}");
            SignalledProcess.ProcessesMentioning(reports).Should().BeEmpty("the drill command is not left running after run-drill.ps1 exits");
        }

        using var report = await ReportOfAsync(drill, ct);
        report.RootElement.GetProperty("verdict").GetString().Should().Be("cancelled");
        report.RootElement.GetProperty("cancelledBy").GetString().Should().Be(signal);
        report.RootElement.GetProperty("problem").GetString().Should().MatchRegex($"cancelled by {signal} {during}:")
            .And.Contain("Everything it had created (containers, networks, scratch folders) was removed.");
        await ThenNothingLeftAsync(report, ct);
    }

    private async Task ThenNothingLeftAsync(JsonDocument report, CancellationToken ct)
    {
        var runId = report.RootElement.GetProperty("runId").GetString()!;
        (await ContainerEngine.CountRunResourcesAsync(runId, ct)).Should().Be((0, 0), $"no container or network labelled with run {runId} is left");
        Directory.GetFileSystemEntries(temp).Should().BeEmpty("no scratch folder (gdrill-<run id>-*) is left in the temporary folder");
    }

    private static async Task<JsonDocument> ReportOfAsync(SignalledProcess drill, CancellationToken ct)
    {
        var markdown = ReportLine().Matches(drill.Output).Select(m => m.Groups[1].Value.Trim()).LastOrDefault();
        markdown.Should().NotBeNull($"the drill names its report. Its output:\n{drill.Output}");
        return JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(markdown)!, "report.json"), ct));
    }

    private static string ContainerOf(string startingLine) => NetworkName().Match(startingLine) is { Success: true } m
        ? $"{m.Value}-postgres"
        : throw new InvalidOperationException($"No network name in '{startingLine}'.");

    // The restore is under way once pg_restore runs in the container: pause it there, so a signal certainly finds it running.
    private static async Task PauseOncePgRestoreRunsAsync(string container, CancellationToken ct)
    {
        var engine = await EngineClient.GetAsync(ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(StartLimit);
        while (true)
        {
            try
            {
                var top = await engine.Containers.ListProcessesAsync(container, new ContainerListProcessesParameters(), limit.Token);
                if (top.Processes.Any(p => p.Any(field => field.Contains("pg_restore --host", StringComparison.Ordinal))))
                {
                    await engine.Containers.PauseContainerAsync(container, limit.Token);
                    return;
                }
            }
            catch (Docker.DotNet.DockerApiException)
            {
                // not created or not running yet
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"pg_restore did not start in '{container}' within {StartLimit.TotalMinutes:0} min.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), limit.Token);
        }
    }

    private static int Number(string signal) => signal == "SIGINT" ? SignalledProcess.Interrupt : SignalledProcess.Terminate;

    [GeneratedRegex(@"^Report: (.+)$", RegexOptions.Multiline)]
    private static partial Regex ReportLine();

    [GeneratedRegex(@"gdrill-[0-9a-f]+")]
    private static partial Regex NetworkName();
}
