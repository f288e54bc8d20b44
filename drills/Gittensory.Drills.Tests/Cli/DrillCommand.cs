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
        var start = new ProcessStartInfo("dotnet");
        start.ArgumentList.Add(dll);
        return await ProcessOutput.RunAsync(start, arguments, environment, ct);
    }
}
