namespace Gittensory.Drills.Reporting;

/// <summary>One store's leg of the drill: whether it ran, and why (or why not).</summary>
public sealed record LegReport(string Store, bool Ran, string Reason);
