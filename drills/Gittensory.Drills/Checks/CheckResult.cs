namespace Gittensory.Drills.Checks;

/// <summary>One named check: what was expected, what was found, and the verdict, so every report format renders the same facts.</summary>
/// <param name="Name">Stable name of the check, e.g. <c>postgres.row-counts</c>.</param>
/// <param name="Title">What the check proves, as a sentence.</param>
/// <param name="Expected">What a healthy backup gives.</param>
/// <param name="Found">What this backup gave.</param>
/// <param name="Verdict">The outcome.</param>
/// <param name="Details">Further lines (e.g. each mismatching table), possibly empty.</param>
public sealed record CheckResult(string Name, string Title, string Expected, string Found, CheckVerdict Verdict, IReadOnlyList<string> Details)
{
    /// <summary>A passed check.</summary>
    public static CheckResult Pass(string name, string title, string expected, string found, params IReadOnlyList<string> details) =>
        new(name, title, expected, found, CheckVerdict.Passed, details);

    /// <summary>A failed check.</summary>
    public static CheckResult Fail(string name, string title, string expected, string found, params IReadOnlyList<string> details) =>
        new(name, title, expected, found, CheckVerdict.Failed, details);

    /// <summary>A check that does not apply, with the reason as what was found.</summary>
    public static CheckResult NotApplicable(string name, string title, string reason) =>
        new(name, title, "-", reason, CheckVerdict.NotApplicable, []);

    /// <summary>A passed or failed check, by <paramref name="ok"/>.</summary>
    public static CheckResult From(bool ok, string name, string title, string expected, string found, params IReadOnlyList<string> details) =>
        new(name, title, expected, found, ok ? CheckVerdict.Passed : CheckVerdict.Failed, details);
}
