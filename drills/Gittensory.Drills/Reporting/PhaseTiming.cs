namespace Gittensory.Drills.Reporting;

/// <summary>One phase of the drill (discover, preflight, sandbox, restore, verify, ...) and how long it took, in seconds.</summary>
public sealed record PhaseTiming(string Name, double Seconds, bool Completed);
