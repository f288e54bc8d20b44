namespace Gittensory.Drills.Reporting;

/// <summary>One variable of the booted application's environment: its name and where it came from (never its value).</summary>
public sealed record AppVariable(string Name, string Source);
