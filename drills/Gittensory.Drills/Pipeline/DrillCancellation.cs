using Gittensory.Drills.Reporting;

namespace Gittensory.Drills.Pipeline;

/// <summary>
/// Stops a drill from outside (the command's SIGINT and SIGTERM handlers): cancels the drill's token and remembers why, so the
/// pipeline still tears everything down, writes a report that says "cancelled" and by what, and the process exits non-zero.
/// </summary>
public sealed class DrillCancellation : IDisposable
{
    /// <summary>The name recorded for an interrupt (Ctrl+C).</summary>
    public const string Interrupt = "SIGINT";

    /// <summary>The name recorded for a termination request (CI runners, <c>timeout</c>, <c>docker stop</c>).</summary>
    public const string Terminate = "SIGTERM";

    /// <summary>The exit code of a drill cancelled by SIGINT, or by a caller's token (128 + 2, the shells' convention).</summary>
    public const int InterruptExitCode = 130;

    /// <summary>The exit code of a drill cancelled by SIGTERM (128 + 15).</summary>
    public const int TerminateExitCode = 143;

    private readonly CancellationTokenSource source = new();
    private string? signal;

    /// <summary>The token the drill runs under; cancelled by the first <see cref="Cancel"/>.</summary>
    public CancellationToken Token => source.Token;

    /// <summary>What cancelled the drill (<see cref="Interrupt"/>, <see cref="Terminate"/>), or null while it runs.</summary>
    public string? Signal => Volatile.Read(ref signal);

    /// <summary>Cancels the drill because of <paramref name="reason"/>; returns false (and changes nothing) when it was already cancelled.</summary>
    public bool Cancel(string reason)
    {
        if (Interlocked.CompareExchange(ref signal, reason, null) is not null)
        {
            return false;
        }

        source.Cancel();
        return true;
    }

    /// <summary>The exit code of a drill cancelled by <paramref name="cancelledBy"/>: 143 for SIGTERM, else 130.</summary>
    public static int ExitCodeOf(string? cancelledBy) => cancelledBy == Terminate ? TerminateExitCode : InterruptExitCode;

    /// <summary>The report's problem for a cancelled drill: by what, during which stages, and what was left.</summary>
    internal static string Problem(string cancelledBy, IReadOnlyList<string> during, bool kept) =>
        $"The drill was cancelled by {cancelledBy} during {(during.Count == 0 ? "its report" : string.Join(", ", during))}: it did not finish, so it proves " +
        "nothing about the backups. " +
        (kept
            ? "-KeepSandbox was given, so its containers, network and scratch folders were kept for inspection."
            : "Everything it had created (containers, networks, scratch folders) was removed.") +
        " Run it again to completion.";

    /// <inheritdoc />
    public void Dispose() => source.Dispose();

    /// <summary>Where each of a cancelled drill's unfinished phases ran: "postgres restore", "sqlite expand", else the drill's own stage.</summary>
    internal static IReadOnlyList<string> UnfinishedPhases(IEnumerable<LegReport> legs, IEnumerable<PhaseTiming> drillPhases)
    {
        var inLegs = legs.SelectMany(l => l.Phases.Where(p => !p.Completed).Select(p => $"{l.Store} {p.Name}")).ToList();
        return inLegs.Count > 0 ? inLegs : [.. drillPhases.Where(p => !p.Completed && p.Name != "teardown").Select(p => $"the drill's {p.Name} stage")];
    }
}
