using System.Diagnostics;
using System.Text.RegularExpressions;
using FluentAssertions;
using Gittensory.Drills.Fixtures;
using Xunit;

namespace Gittensory.Drills.Tests.Cli;

/// <summary>The console summary of a real (SQLite) drill: failures first, one line per check id, colour only on a terminal.</summary>
public sealed class ConsoleSummaryTests : IDisposable
{
    private readonly string reports = Directory.CreateTempSubdirectory("gdrill-test-summary-").FullName;

    public void Dispose() => Directory.Delete(reports, recursive: true);

    // The bundled sample is old by construction: with a maximum age of one hour, backup.age fails and the rest passes.
    private string[] FailingDrill => ["--backup-root", RepoPaths.SampleBackups, "--bundled-sample", "--store", "sqlite", "--max-backup-age", "1", "--report-dir", reports];

    [Fact]
    public async Task TheSummaryListsFailuresFirstOneLinePerCheckIdWithoutColourWhenRedirected()
    {
        var (exit, stdout, _) = await DrillCommand.RunAsync(FailingDrill, ct: TestContext.Current.CancellationToken);

        exit.Should().Be(1);
        stdout.Should().NotContain("\u001b[", "the output is redirected, so no escape codes");
        var lines = SummaryLines(stdout);
        lines[0].Should().MatchRegex(@"^Summary: [1-9]\d* failed, \d+ warnings, [1-9]\d* passed, \d+ not applicable$");
        var failures = lines.Skip(1).TakeWhile(l => l.StartsWith("  FAIL  ", StringComparison.Ordinal)).ToList();
        failures.Should().Contain(l => l.StartsWith("  FAIL  backup.age: ", StringComparison.Ordinal));
        lines.Skip(1 + failures.Count).Should().NotContain(l => l.StartsWith("  FAIL", StringComparison.Ordinal), "every failure comes before the other checks");
        lines.Skip(1).Should().OnlyContain(l => Regex.IsMatch(l, @"^  (FAIL|WARN|PASS|n/a ) {2}[a-z0-9]+(\.[^\s:]+)+: "), "one line per check, with its id");
        lines.Should().Contain(l => l.StartsWith("  PASS  sqlite.integrity: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OnATerminalTheSummaryIsColouredUnlessNoColorIsSet()
    {
        var coloured = await OnATerminalAsync(noColor: null);
        var plain = await OnATerminalAsync(noColor: "1");

        coloured.Should().Contain("\u001b[31m  FAIL  backup.age: ", "a failed check is red on a terminal");
        // .NET itself writes a keypad-mode sequence to a terminal; colour is what NO_COLOR turns off.
        plain.Should().Contain("  FAIL  backup.age: ").And.NotContainAny(["\u001b[31m", "\u001b[32m", "\u001b[2m", "\u001b[0m"], "NO_COLOR is set");
    }

    private static List<string> SummaryLines(string stdout)
    {
        var lines = stdout.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var start = lines.FindIndex(l => l.StartsWith("Summary: ", StringComparison.Ordinal));
        start.Should().BeGreaterThanOrEqualTo(0, "the output ends with a summary: {0}", stdout);
        return [.. lines.Skip(start).TakeWhile(l => !l.StartsWith("Report: ", StringComparison.Ordinal))];
    }

    private async Task<string> OnATerminalAsync(string? noColor)
    {
        // script(1) gives the command a pseudo-terminal, so Console.IsOutputRedirected is false inside it.
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar))!);
        var dll = Path.Combine(RepoPaths.Root, "drills", "Gittensory.Drills.Cli", "bin", configuration, "net10.0", "gittensory-drill.dll");
        var command = string.Join(' ', new[] { "dotnet", dll }.Concat(FailingDrill).Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        var start = new ProcessStartInfo("script") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in new[] { "-q", "-e", "-c", command, "/dev/null" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("NO_COLOR");
        if (noColor is not null)
        {
            start.Environment["NO_COLOR"] = noColor;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return await stdout;
    }
}
