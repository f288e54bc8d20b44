namespace Gittensory.Drills.Reporting;

/// <summary>One phase of the drill (scan, preflight, sandbox, restore, verify, ...) and how long it took, in seconds.</summary>
/// <param name="Name">The phase.</param>
/// <param name="Seconds">How long it took.</param>
/// <param name="Completed">False when it stopped on an error or a cancellation.</param>
/// <param name="StartSeconds">When it started, in seconds from the drill's start (phases of different stores overlap); null when not known.</param>
public sealed record PhaseTiming(string Name, double Seconds, bool Completed, double? StartSeconds = null);
