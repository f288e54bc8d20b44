namespace Gittensory.Drills.Checks;

/// <summary>The backup is no older than the maximum age (LoopOver alerts at 26 h).</summary>
public static class BackupAgeCheck
{
    /// <summary>The check's name in reports.</summary>
    public const string Name = "backup.age";

    /// <summary>How far in the future a time stamp may lie before it is refused (clock skew between the backup host and this one): 5 minutes.</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    /// <summary>Judges the backup's age at <paramref name="now"/>; <paramref name="notAppliedReason"/> makes it not applicable, saying why.</summary>
    public static CheckResult Evaluate(DateTimeOffset? backupTime, DateTimeOffset now, TimeSpan? maxAge, string? notAppliedReason = null)
    {
        const string title = "The backup is recent enough";
        if (notAppliedReason is not null)
        {
            return CheckResult.NotApplicable(Name, title, notAppliedReason);
        }

        if (maxAge is not { } max)
        {
            return CheckResult.NotApplicable(Name, title, "no maximum age set (-MaxBackupAge, or maxBackupAgeHours in the profile)");
        }

        if (backupTime is not { } taken)
        {
            return CheckResult.NotApplicable(Name, title, "the backup's file name carries no time stamp");
        }

        var age = now - taken;
        var expected = $"taken at most {max.TotalHours:0.#} h before the drill";
        if (age < -FutureTolerance)
        {
            return CheckResult.Fail(Name, title, expected,
                $"taken {taken:u}, {-age.TotalHours:0.#} h in the future: the time stamp in its name is after the drill's clock ({now:u}). " +
                "A backup cannot come from the future: check the clock of the machine that made it and of this one, and whether the file was renamed.");
        }

        var found = $"taken {taken:u}, {Math.Max(0, age.TotalHours):0.#} h ago";
        return age <= max
            ? CheckResult.Pass(Name, title, expected, found)
            : CheckResult.Fail(Name, title, expected, found + $": older than {max.TotalHours:0.#} h. Is the backup job running? (LoopOver alerts at 26 h)");
    }
}
