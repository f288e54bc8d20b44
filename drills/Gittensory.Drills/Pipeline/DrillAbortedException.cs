using Gittensory.Drills.Checks;
using Gittensory.Drills.Reporting;

namespace Gittensory.Drills.Pipeline;

/// <summary>Stops a drill early with a verdict (failed: the backup is bad; error: the drill could not run) and the check that says why.</summary>
internal sealed class DrillAbortedException(DrillVerdict verdict, string message, CheckResult? check = null) : Exception(message)
{
    public DrillVerdict Verdict { get; } = verdict;

    public CheckResult? Check { get; } = check;
}
