using Gittensory.Drills.Boot;

namespace Gittensory.Drills.Checks;

/// <summary>The application boots on the restored copy and <c>/ready</c> answers 200 with every check true, before the timeout.</summary>
public static class AppReadyCheck
{
    /// <summary>The check's name in reports.</summary>
    public const string Name = "app.ready";

    /// <summary>What the check proves.</summary>
    public const string Title = "The application boots on the restored copy and /ready answers 200";

    /// <summary>The check when the application was not started, with why.</summary>
    public static CheckResult NotRun(string reason) => CheckResult.NotApplicable(Name, Title, reason);

    /// <summary>Judges how polling ended; <paramref name="logTail"/> (redacted) goes into the details of a failure.</summary>
    internal static CheckResult Evaluate(ReadinessOutcome outcome, IReadOnlyList<string> expectedChecks, IReadOnlyList<string> logTail)
    {
        var expected = $"/ready answers 200 with ok=true and {string.Join(", ", expectedChecks)} all true, within {outcome.Timeout.TotalSeconds:0} s of the start";
        var last = outcome.Last is { } answer ? $"{answer.Describe()} at {answer.AtSeconds:0.0} s" : "none (it was never asked)";
        var logs = logTail.Select(l => $"log: {l}").ToList();
        if (outcome.Ready is { } ready)
        {
            var problems = new List<string>();
            if (ready.Ok != true)
            {
                problems.Add(ready.Ok is null ? "ok is missing" : "ok is false");
            }

            foreach (var check in expectedChecks)
            {
                if (ready.Checks is null || !ready.Checks.TryGetValue(check, out var passed))
                {
                    problems.Add($"check {check} is missing");
                }
                else if (!passed)
                {
                    problems.Add($"check {check} is false");
                }
            }

            problems.AddRange((ready.Checks ?? new Dictionary<string, bool>()).Where(c => !c.Value && !expectedChecks.Contains(c.Key)).Select(c => $"check {c.Key} is false"));
            var checks = string.Join(", ", (ready.Checks ?? new Dictionary<string, bool>()).Select(c => $"{c.Key}={(c.Value ? "true" : "false")}"));
            return problems.Count == 0
                ? CheckResult.Pass(Name, Title, expected, $"/ready answered 200 after {ready.AtSeconds:0.0} s ({outcome.Answers.Count} requests): ok=true, {checks}")
                : CheckResult.Fail(Name, Title, expected, $"/ready answered 200 after {ready.AtSeconds:0.0} s, but its body does not say ready: {string.Join("; ", problems)} ({ready.Body})", logs);
        }

        if (outcome.ExitCode is { } exitCode)
        {
            return CheckResult.Fail(Name, Title, expected,
                $"the application exited with code {exitCode} {outcome.ExitedAtSeconds:0.0} s after it started, before /ready answered 200; last answer: {last}", logs);
        }

        return CheckResult.Fail(Name, Title, expected,
            $"/ready did not answer 200 within {outcome.Timeout.TotalSeconds:0} s, and the application is still running; last answer: {last}", logs);
    }
}
