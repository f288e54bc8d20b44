using System.Diagnostics;
using Gittensory.Drills.Fixtures;

namespace Gittensory.Drills.Tests.Cli;

/// <summary>Runs the built <c>gittensory-drill</c> command as a separate process, as run-drill.ps1 does.</summary>
internal static class DrillCommand
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null, CancellationToken ct = default)
    {
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar))!);
        var dll = Path.Combine(RepoPaths.Root, "drills", "Gittensory.Drills.Cli", "bin", configuration, "net10.0", "gittensory-drill.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
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
