using FluentAssertions;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Reporting;
using Xunit;

namespace Gittensory.Drills.Scenarios;

/// <summary>Turns one check of a drill report into a test outcome: passed (or a warning) passes, failed fails with expected and found, not applicable skips with the reason.</summary>
public static class CheckAssertions
{
    public static void ShouldHavePassed(this LegReport leg, string checkName)
    {
        var check = leg.Check(checkName);
        check.Should().NotBeNull($"the {leg.Store} leg should have run check '{checkName}', but it stopped first: {leg.Problem ?? "(no reason given)"}");
        if (check!.Verdict == CheckVerdict.NotApplicable)
        {
            Assert.Skip($"{check.Title}: not applicable: {check.Found}");
        }

        if (check.Verdict == CheckVerdict.Warning)
        {
            TestContext.Current.SendDiagnosticMessage($"WARNING {check.Name}: {check.Found}");
        }

        check.Verdict.Should().BeOneOf([CheckVerdict.Passed, CheckVerdict.Warning],
            $"{check.Title}. Expected {check.Expected}; found {check.Found}{(check.Details.Count > 0 ? " — " + string.Join("; ", check.Details.Take(10)) : "")}");
    }
}
