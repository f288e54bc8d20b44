using Gittensory.Drills.Checks;

namespace Gittensory.Drills.Reporting;

/// <summary>The checks a reader must see first: every failed check, then every warning, of the set and of each leg, in the order they ran.</summary>
internal static class ReportAttention
{
    /// <summary>The failed checks, then the warnings, each with where it ran (<c>backup set</c> or the store).</summary>
    public static IReadOnlyList<(string Where, CheckResult Check)> Of(DrillReport report) =>
        [.. report.SetChecks.Select(c => (Where: "backup set", Check: c))
            .Concat(report.Legs.SelectMany(l => l.Checks.Select(c => (Where: l.Store, Check: c))))
            .Where(x => x.Check.Verdict is CheckVerdict.Failed or CheckVerdict.Warning)
            .OrderBy(x => x.Check.Verdict == CheckVerdict.Failed ? 0 : 1)];
}
