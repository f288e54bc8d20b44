namespace Gittensory.Drills.Reporting;

/// <summary>The outcome of a whole drill; CI gates on it through the exit code (0, 1, 2, 130/143).</summary>
public enum DrillVerdict
{
    /// <summary>Every check passed or did not apply (exit code 0).</summary>
    Passed,

    /// <summary>At least one check failed: the backup is not proven restorable (exit code 1).</summary>
    Failed,

    /// <summary>The drill could not run: no engine, no backup, bad arguments, an image too old (exit code 2).</summary>
    Error,

    /// <summary>The drill was stopped (SIGINT or SIGTERM) before it finished and proves nothing (exit code 130 for SIGINT, 143 for SIGTERM).</summary>
    Cancelled,
}
