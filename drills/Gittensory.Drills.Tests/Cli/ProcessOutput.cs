using System.Diagnostics;

namespace Gittensory.Drills.Tests.Cli;

/// <summary>Runs a program to its end with both outputs captured: the one way the tests start the drill command, the script and tools.</summary>
internal static class ProcessOutput
{
    /// <summary>Starts <paramref name="start"/> with <paramref name="arguments"/> appended and <paramref name="environment"/> set; returns its exit code and outputs.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        ProcessStartInfo start, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, CancellationToken ct = default)
    {
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await stdout, await stderr);
    }
}
