using System.Diagnostics;
using System.Text.Json;
using Gittensory.Drills.Fixtures;

namespace Gittensory.Drills.Tests.Cli;

/// <summary>Runs run-drill.ps1 with the repository's own PowerShell (the local tool), as an operator or CI does.</summary>
internal static class RunDrillScript
{
    /// <summary>The local tool's pwsh.dll in the NuGet cache, at the version <c>.config/dotnet-tools.json</c> pins.</summary>
    public static string PwshDll
    {
        get
        {
            using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, ".config", "dotnet-tools.json")));
            var version = manifest.RootElement.GetProperty("tools").GetProperty("powershell").GetProperty("version").GetString()!;
            var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
                ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
            var dll = Path.Combine(cache, "powershell", version, "tools", "net10.0", "any", "unix", "pwsh.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException($"PowerShell {version} is not in '{cache}'; run 'dotnet tool restore' in the repository first.", dll);
        }
    }

    /// <summary>
    /// Runs <c>dotnet pwsh ./run-drill.ps1 ARGS</c> in the repository root, or, with <paramref name="workingDirectory"/>,
    /// <c>dotnet pwsh.dll -File /abs/run-drill.ps1 ARGS</c> from that folder (where <c>dotnet pwsh</c> has no manifest).
    /// </summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(
        IReadOnlyList<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null, CancellationToken ct = default)
    {
        var start = new ProcessStartInfo("dotnet");
        if (workingDirectory is null)
        {
            start.WorkingDirectory = RepoPaths.Root;
            start.ArgumentList.Add("pwsh");
            start.ArgumentList.Add("./run-drill.ps1");
        }
        else
        {
            start.WorkingDirectory = workingDirectory;
            start.ArgumentList.Add(PwshDll);
            start.ArgumentList.Add("-NoProfile");
            start.ArgumentList.Add("-File");
            start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "run-drill.ps1"));
        }

        return await ProcessOutput.RunAsync(start, arguments, environment, ct);
    }
}
