using Gittensory.Drills.Restore;
using Gittensory.Drills.Sandbox;

namespace Gittensory.Drills.Checks;

/// <summary>The restore finished with exit code 0, no error and no "errors ignored on restore".</summary>
public static class RestoreCheck
{
    /// <summary>The check's name in reports.</summary>
    public const string Name = "postgres.restore";

    private const string Title = "pg_restore finished with no error";

    /// <summary>The check when pg_restore did not finish within the drill's bound: failed, with the timeout's message.</summary>
    public static CheckResult TimedOut(RestoreTimeoutException timeout) =>
        CheckResult.Fail(Name, Title, "pg_restore exits within the restore timeout (-RestoreTimeout)", timeout.Message);

    /// <summary>
    /// Judges pg_restore's outcome. When the scratch data was kept in memory (<paramref name="storage"/>) and the server ran out of
    /// room there, the finding says so and how to run again: a restored copy larger than the drill's estimate is not a broken backup.
    /// </summary>
    public static CheckResult Evaluate(RestoreOutcome outcome, ScratchStorage? storage = null)
    {
        const string title = Title;
        const string expected = "exit code 0, no error, no \"errors ignored on restore\"";
        if (outcome.Succeeded)
        {
            return CheckResult.Pass(Name, title, expected, $"exit code 0 in {outcome.Duration.TotalSeconds:0.0} s with {outcome.Jobs} parallel jobs");
        }

        var lines = outcome.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var first = lines.FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)) ?? lines.FirstOrDefault() ?? "(no output)";
        var found = $"exit code {outcome.ExitCode}: {first}";
        if (storage is { MemoryFolder: { } folder, LimitBytes: { } limit } && outcome.Stderr.Contains("No space left on device", StringComparison.OrdinalIgnoreCase))
        {
            found += $". The scratch Postgres kept its data in memory (a tmpfs of {ScratchStorage.Gib(limit)} on {folder}) and filled it: "
                + $"the restored copy is larger than the drill's estimate ({ScratchStorage.ExpectedExpansion} times the dump). "
                + "This says nothing against the backup: run the drill again with -ScratchStorage Disk (--scratch-storage disk), or on an engine with more memory.";
        }

        return CheckResult.Fail(Name, title, expected, found, [.. lines.TakeLast(20)]);
    }
}
