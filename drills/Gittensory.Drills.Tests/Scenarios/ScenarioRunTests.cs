using System.Diagnostics;
using FluentAssertions;
using Gittensory.Drills.Fixtures;
using Xunit;

namespace Gittensory.Drills.Tests.Scenarios;

/// <summary>The scenarios run as CI runs them (the built test program, DRILL_BACKUP_ROOT in its environment): nothing to drill fails, never skips.</summary>
public sealed class ScenarioRunTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("gdrill-test-scenario-root-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task AnEmptyBackupRootFailsEveryScenarioNamingTheRootAndWhatIsMissing()
    {
        // Given an empty backups root (a backups volume that is not mounted)
        // When the scenarios run over it
        var (exit, output) = await RunScenariosAsync(root);

        // Then they fail, each saying which root and what it lacks, and the run exits non-zero
        exit.Should().NotBe(0, output);
        output.Should().Contain($"DRILL_BACKUP_ROOT '{root}' holds no backup: no postgres/<prefix>-YYYYMMDDTHHMMSSZ.dump, sqlite/<prefix>-YYYYMMDDTHHMMSSZ.sqlite.gz or qdrant/*.snapshot")
            .And.Contain("With nothing to drill the scenarios fail rather than skip: check that the backups volume is mounted there.")
            .And.MatchRegex(@"Total: (\d+), Errors: 0, Failed: \1, Skipped: 0,", "every scenario test fails, none is skipped");
    }

    [Fact]
    public async Task AMissingBackupRootFailsTheScenarios()
    {
        var missing = Path.Combine(root, "not-mounted");

        var (exit, output) = await RunScenariosAsync(missing, "-class", "*PostgresRestoreDrill");

        exit.Should().NotBe(0, output);
        output.Should().Contain($"DRILL_BACKUP_ROOT '{missing}' is not a folder: there is nothing to drill, so the scenarios fail rather than skip.")
            .And.MatchRegex(@"Total: (\d+), Errors: 0, Failed: \1, Skipped: 0,");
    }

    [Fact]
    public async Task AStoreWithNoBackupsInARootThatHasOthersIsSkippedWithItsReason()
    {
        // Given a root with a SQLite backup and no Postgres dump
        Directory.CreateDirectory(Path.Combine(root, "sqlite"));
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.SampleBackups, "sqlite")))
        {
            File.Copy(file, Path.Combine(root, "sqlite", Path.GetFileName(file)));
        }

        // When the Postgres scenario runs over it
        var (_, output) = await RunScenariosAsync(root, "-class", "*PostgresRestoreDrill");

        // Then its tests are skipped, saying why
        output.Should().Contain($"no postgres/ backups under '{root}', which holds others (the set health checks say whether that is expected)")
            .And.MatchRegex(@"Total: (\d+), Errors: 0, Failed: 0, Skipped: \1,");
    }

    private static async Task<(int ExitCode, string Output)> RunScenariosAsync(string backupRoot, params string[] arguments)
    {
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar))!);
        var dll = Path.Combine(RepoPaths.Root, "drills", "Gittensory.Drills.Scenarios", "bin", configuration, "net10.0", "Gittensory.Drills.Scenarios.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[dll, "-noColor", "-noLogo", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DRILL_BACKUP_ROOT"] = backupRoot;
        start.Environment["DRILL_REPORT_DIR"] = Path.Combine(Path.GetTempPath(), "gdrill-test-scenario-reports");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await stdout + await stderr);
    }
}
