namespace Gittensory.Drills.Restore;

/// <summary>What <c>pg_restore</c> did: the command (no secrets in it), its exit code, its standard error, and how long it took.</summary>
public sealed record RestoreOutcome(string Command, int Jobs, long ExitCode, string Stderr, TimeSpan Duration)
{
    /// <summary>pg_restore's summary line when it carried on past errors ("pg_restore: warning: errors ignored on restore: N").</summary>
    public bool ErrorsIgnored => Stderr.Contains("errors ignored on restore", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when the restore exited 0 and reported no error.</summary>
    public bool Succeeded => ExitCode == 0 && !ErrorsIgnored && !Stderr.Contains("pg_restore: error", StringComparison.Ordinal);
}
