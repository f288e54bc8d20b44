namespace Gittensory.Drills.Checks;

/// <summary>The backup is no older than the maximum age (LoopOver alerts at 26 h).</summary>
public static class BackupAgeCheck
{
    /// <summary>The check's name in reports.</summary>
    public const string Name = "backup.age";

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
        var found = $"taken {taken:u}, {age.TotalHours:0.#} h ago";
        return age <= max
            ? CheckResult.Pass(Name, title, expected, found)
            : CheckResult.Fail(Name, title, expected, found + $": older than {max.TotalHours:0.#} h. Is the backup job running? (LoopOver alerts at 26 h)");
    }
}
