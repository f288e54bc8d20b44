using System.Runtime.InteropServices;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Cli;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.Reporting;

// The command behind run-drill.ps1. Exit codes: 0 every check passed, 1 a check failed, 2 the drill could not run, 130/143 cancelled
// by SIGINT/SIGTERM.
CliArguments arguments;
try
{
    arguments = CliArguments.Parse(args);
}
catch (ArgumentException e)
{
    await Console.Error.WriteLineAsync($"gittensory-drill: {e.Message}");
    await Console.Error.WriteLineAsync(CliArguments.Usage);
    return 2;
}

if (arguments.Help)
{
    Console.WriteLine(CliArguments.Usage);
    return 0;
}

if (arguments.Version)
{
    Console.WriteLine($"gittensory-drill {ToolVersion.Text}");
    return 0;
}

// SIGINT (Ctrl+C) and SIGTERM (CI runners, timeout, run-drill.ps1 passing its own on) cancel the drill: it still tears down
// everything it created and writes a report that says "cancelled"; the exit code is 130 or 143, never 0.
using var cancellation = new DrillCancellation();
using var onInterrupt = CancelOn(PosixSignal.SIGINT, DrillCancellation.Interrupt);
using var onTerminate = CancelOn(PosixSignal.SIGTERM, DrillCancellation.Terminate);
var cancel = cancellation;

DrillOptions options;
try
{
    options = arguments.ToOptions(Console.Error) with { Cancellation = cancellation };
}
catch (Exception e) when (e is ArgumentException or FileNotFoundException or InvalidDataException)
{
    await Console.Error.WriteLineAsync($"gittensory-drill: {e.Message}");
    return 2;
}

if (arguments.Plan)
{
    foreach (var line in await DrillPlan.DescribeAsync(options, cancel.Token))
    {
        Console.WriteLine($"What if: {line}");
    }

    return 0;
}

DrillOutcome outcome;
try
{
    outcome = await DrillPipeline.RunAsync(options);
}
catch (ReportNotWrittenException e)
{
    await Console.Error.WriteLineAsync($"gittensory-drill: {e.Message}");
    return ReportNotWrittenException.ExitCode;
}

var report = outcome.Report;
Console.WriteLine();
Console.WriteLine($"Drill {report.Verdict.ToString().ToUpperInvariant()} (exit code {report.ExitCode})" + (report.Problem is null ? "" : $": {report.Problem}"));
foreach (var leg in report.Legs)
{
    Console.WriteLine($"  {leg.Store}: {(leg.Ran ? leg.Verdict.ToString() : "did not run")} ({leg.Reason})");
}

if (report.RecoveryTimeSeconds is { } recovery)
{
    Console.WriteLine($"  full recovery time: {recovery:0.0} s from the drill's start to the application's first 200 from /ready");
}

foreach (var line in ConsoleSummary.Lines(report, ConsoleSummary.UseColour(Console.IsOutputRedirected, Environment.GetEnvironmentVariable("NO_COLOR"))))
{
    Console.WriteLine(line);
}

if (Environment.GetEnvironmentVariable(GitHubActions.StepSummaryVariable) is { Length: > 0 } stepSummary)
{
    // In a GitHub Actions job: annotate each failed check and warning, and add the report to the job's summary.
    foreach (var annotation in GitHubActions.Annotations(report))
    {
        Console.WriteLine(annotation);
    }

    var markdown = await File.ReadAllTextAsync(Path.Combine(outcome.ReportFolder, "report.md"), CancellationToken.None);
    await File.AppendAllTextAsync(stepSummary, GitHubActions.StepSummary(report, markdown), CancellationToken.None);
}

Console.WriteLine($"Report: {Path.Combine(outcome.ReportFolder, "report.md")}");
return report.ExitCode;

PosixSignalRegistration CancelOn(PosixSignal signal, string name) => PosixSignalRegistration.Create(signal, context =>
{
    // Handled: the runtime must not end the process before the teardown has run. A second signal only says so again.
    context.Cancel = true;
    Console.Error.WriteLine(cancellation.Cancel(name)
        ? $"gittensory-drill: {name} received: cancelling the drill; removing what it created and writing its report"
        : $"gittensory-drill: {name} received again: the drill is already cancelling and removing what it created; it exits when that is done");
});
