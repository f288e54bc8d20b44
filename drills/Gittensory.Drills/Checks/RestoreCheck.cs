using Gittensory.Drills.Restore;

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

    /// <summary>Judges pg_restore's outcome.</summary>
    public static CheckResult Evaluate(RestoreOutcome outcome)
    {
        const string title = Title;
        const string expected = "exit code 0, no error, no \"errors ignored on restore\"";
        if (outcome.Succeeded)
        {
            return CheckResult.Pass(Name, title, expected, $"exit code 0 in {outcome.Duration.TotalSeconds:0.0} s with {outcome.Jobs} parallel jobs");
        }

        var lines = outcome.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var first = lines.FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)) ?? lines.FirstOrDefault() ?? "(no output)";
        return CheckResult.Fail(Name, title, expected, $"exit code {outcome.ExitCode}: {first}", [.. lines.TakeLast(20)]);
    }
}
