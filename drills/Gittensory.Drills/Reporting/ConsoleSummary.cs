using Gittensory.Drills.Checks;

namespace Gittensory.Drills.Reporting;

/// <summary>
/// The closing lines a drill prints: one line per check with its id, failures first, then warnings, passes and checks
/// that did not apply; coloured only on a terminal and never when <c>NO_COLOR</c> is set (https://no-color.org).
/// </summary>
public static class ConsoleSummary
{
    private const string Red = "\u001b[31m";
    private const string Yellow = "\u001b[33m";
    private const string Green = "\u001b[32m";
    private const string Dim = "\u001b[2m";
    private const string Reset = "\u001b[0m";

    /// <summary>Whether to colour: only when the output is a terminal and <c>NO_COLOR</c> is unset or empty.</summary>
    public static bool UseColour(bool outputRedirected, string? noColor) => !outputRedirected && string.IsNullOrEmpty(noColor);

    /// <summary>The summary's lines, in the order they are printed: a heading, then every check, failures first.</summary>
    public static IReadOnlyList<string> Lines(DrillReport report, bool colour)
    {
        var checks = report.AllChecks.OrderBy(c => Rank(c.Verdict)).ToList();
        var failed = checks.Count(c => c.Verdict == CheckVerdict.Failed);
        var warned = checks.Count(c => c.Verdict == CheckVerdict.Warning);
        var passed = checks.Count(c => c.Verdict == CheckVerdict.Passed);
        var lines = new List<string>
        {
            $"Summary: {failed} failed, {warned} warnings, {passed} passed, {checks.Count - failed - warned - passed} not applicable",
        };
        foreach (var check in checks)
        {
            var (mark, paint) = check.Verdict switch
            {
                CheckVerdict.Failed => ("FAIL", Red),
                CheckVerdict.Warning => ("WARN", Yellow),
                CheckVerdict.Passed => ("PASS", Green),
                _ => ("n/a ", Dim),
            };
            var line = $"  {mark}  {check.Name}: {check.Title}: {check.Found}";
            lines.Add(colour ? paint + line + Reset : line);
        }

        return lines;
    }

    private static int Rank(CheckVerdict verdict) => verdict switch
    {
        CheckVerdict.Failed => 0,
        CheckVerdict.Warning => 1,
        CheckVerdict.Passed => 2,
        _ => 3,
    };
}
