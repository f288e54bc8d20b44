using FluentAssertions;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Tests.Reporting;
using Xunit;

namespace Gittensory.Drills.Tests.Cli;

/// <summary>run-drill.ps1's parameters: typed, completed, and a refused argument exits 2 ("could not run"), never 1.</summary>
[Collection(ReleaseBuildCollection.Name)]
public sealed class RunDrillScriptTests
{
    [Theory]
    [InlineData(new[] { "-BackupRot", "/backups" }, "A parameter cannot be found that matches parameter name 'BackupRot'.")]
    [InlineData(new[] { "-BackupRoot" }, "Missing an argument for parameter 'BackupRoot'.")]
    [InlineData(new[] { "-KeepSandbox:maybe" }, "Cannot process argument transformation on parameter 'KeepSandbox'.")]
    [InlineData(new[] { "-BootApp", "-BootStore", "Mongo" }, "The argument \"Mongo\" does not belong to the set \"Postgres,Sqlite\"")]
    [InlineData(new[] { "-MaxBackupAge", "a day" }, "Cannot convert value \"a day\" to type \"System.Double\".")]
    [InlineData(new[] { "/backups" }, "A positional parameter cannot be found that accepts argument '/backups'.")]
    public async Task AnArgumentPowerShellCannotBindExitsWithTwoAndSaysWhy(string[] arguments, string message)
    {
        var (exit, _, stderr) = await RunDrillScript.RunAsync(arguments, ct: TestContext.Current.CancellationToken);

        exit.Should().Be(2, "1 means a check failed; a refused argument means the drill could not run. stderr: {0}", stderr);
        stderr.Should().Contain($"run-drill.ps1: ").And.Contain(message).And.Contain("The drill did not run (exit code 2).");
    }

    [Fact]
    public async Task AStoreThePowerShellBinderAcceptsButTheDrillDoesNotKnowExitsWithTwo()
    {
        // From bash, pwsh -File passes 'Postgres,Mongo' as one string: the drill command splits it and names the stranger.
        var (exit, _, stderr) = await RunDrillScript.RunAsync(["-Store", "Postgres,Mongo", "-WhatIf"], ct: TestContext.Current.CancellationToken);

        exit.Should().Be(2, "stderr: {0}", stderr);
        stderr.Should().Contain("--store takes postgres, sqlite, qdrant or all; 'mongo' is none of them.");
    }

    [Fact]
    public async Task ACommaListOfStoresFromBashIsOneValidList()
    {
        var (exit, stdout, stderr) = await RunDrillScript.RunAsync(["-Store", "Postgres,Sqlite", "-WhatIf"], ct: TestContext.Current.CancellationToken);

        exit.Should().Be(0, "stderr: {0}", stderr);
        stdout.Should().Contain("What if: Would drill: postgres/loopover-20260704T090939Z.dump").And.Contain("SQLite backup");
        stdout.Should().NotContain("Qdrant snapshot", "only the two stores named were asked for");
    }

    [Fact]
    public async Task TheStoreAndBootStoreParametersCompleteWithTheirValues()
    {
        var script = Path.Combine(RepoPaths.Root, "run-drill.ps1").Replace("'", "''", StringComparison.Ordinal);
        var command = $$"""
            foreach ($line in "& '{{script}}' -Store Q", "& '{{script}}' -BootStore S") {
                $completion = TabExpansion2 -inputScript $line -cursorColumn $line.Length
                ($completion.CompletionMatches | ForEach-Object CompletionText) -join ','
            }
            """;
        var (exit, stdout, stderr) = await PwshCommand(command);

        exit.Should().Be(0, "stderr: {0}", stderr);
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Should().Equal("Qdrant", "Sqlite");
    }

    [Fact]
    public async Task TheHelpListsEveryOutputPropertyTheScriptEmitsTheExitCodesAndTheEnvironment()
    {
        var (exit, stdout, stderr) = await PwshCommand($"Get-Help '{Path.Combine(RepoPaths.Root, "run-drill.ps1")}' -Full | Out-String -Width 200");

        exit.Should().Be(0, "stderr: {0}", stderr);
        var emitted = EmittedProperties();
        emitted.Should().Contain(["Verdict", "ExitCode", "Failed", "ReportFolder"]);
        foreach (var property in emitted)
        {
            stdout.Should().MatchRegex($@"(?m)^\s+{property}\s+\[", "the help's OUTPUTS must list '{0}', which the script emits", property);
        }

        stdout.Should().Contain("Gittensory.Drills.DrillResult").And.Contain("RELATED LINKS").And.Contain("docs/schemas/report.schema.json");
        stdout.Should().Contain("2 the drill").And.Contain("DRILL_POSTGRES_IMAGE").And.Contain("DOCKER_HOST").And.Contain("NO_COLOR");
    }

    [Fact]
    public async Task TheScriptRunsFromAnotherFolderWithPathsRelativeToThatFolder()
    {
        var folder = Directory.CreateTempSubdirectory("gdrill-test-cwd-").FullName;
        try
        {
            var (exit, stdout, stderr) = await RunDrillScript.RunAsync(["-Store", "Sqlite", "-ReportDir", "reports-here"], folder, ct: TestContext.Current.CancellationToken);

            exit.Should().Be(0, "stdout: {0} stderr: {1}", stdout, stderr);
            stdout.Should().Contain("sqlite: Passed");
            DrillFolders.ReportJsons(Path.Combine(folder, "reports-here")).Should().ContainSingle();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static List<string> EmittedProperties()
    {
        // The properties of the one [pscustomobject]@{ ... } the script emits, read from the script itself.
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "run-drill.ps1"));
        var block = text[text.IndexOf("[pscustomobject]@{", StringComparison.Ordinal)..];
        block = block[..block.IndexOf("\n    }", StringComparison.Ordinal)];
        return [.. System.Text.RegularExpressions.Regex.Matches(block, @"(?m)^\s+([A-Za-z0-9]+)\s+=").Select(m => m.Groups[1].Value).Where(n => n != "PSTypeName")];
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> PwshCommand(string command)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        start.ArgumentList.Add(RunDrillScript.PwshDll);
        start.ArgumentList.Add("-NoProfile");
        start.ArgumentList.Add("-Command");
        start.ArgumentList.Add(command);
        start.Environment["NO_COLOR"] = "1";
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout, await stderr);
    }
}
