namespace Gittensory.Drills.Reporting;

/// <summary>How the restore ran: the command (no secrets), parallel jobs, exit code and the last lines of its standard error.</summary>
public sealed record RestoreReport(string Command, int Jobs, long ExitCode, IReadOnlyList<string> StderrTail);
