using System.Diagnostics;

namespace Gittensory.Drills.Reporting;

/// <summary>The one clock every phase of a process is timed by, so that phases of different stores can be set side by side (the report rebases it to the drill's start).</summary>
internal static class PhaseClock
{
    private static readonly long Origin = Stopwatch.GetTimestamp();

    /// <summary>Seconds since this process first timed anything.</summary>
    public static double Now => Stopwatch.GetElapsedTime(Origin).TotalSeconds;
}
