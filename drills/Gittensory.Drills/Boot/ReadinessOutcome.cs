using Gittensory.Drills.Reporting;

namespace Gittensory.Drills.Boot;

/// <summary>How polling <c>/ready</c> ended: every answer, the 200 when one came, or the exit code when the application exited first.</summary>
/// <param name="Answers">Every request to <c>/ready</c>, in order.</param>
/// <param name="Ready">The first 200, or null.</param>
/// <param name="ExitCode">The application's exit code when it exited on its own before a 200, else null.</param>
/// <param name="ExitedAtSeconds">When its exit was seen (seconds since it was started).</param>
/// <param name="Timeout">How long it was given.</param>
internal sealed record ReadinessOutcome(IReadOnlyList<AppAnswer> Answers, AppAnswer? Ready, long? ExitCode, double? ExitedAtSeconds, TimeSpan Timeout)
{
    /// <summary>The last request's answer, or null when none was made.</summary>
    public AppAnswer? Last => Answers.Count == 0 ? null : Answers[^1];
}
