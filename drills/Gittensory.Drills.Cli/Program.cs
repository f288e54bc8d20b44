using Gittensory.Drills.Reporting;
using Gittensory.Drills.Cli;
using Gittensory.Drills.Pipeline;

// The command behind run-drill.ps1. Exit codes: 0 every check passed, 1 a check failed, 2 the drill could not run.
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

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

DrillOptions options;
try
{
    options = arguments.ToOptions(Console.Error);
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

var outcome = await DrillPipeline.RunAsync(options, cancel.Token);
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

Console.WriteLine($"Report: {Path.Combine(outcome.ReportFolder, "report.md")}");
return report.ExitCode;
