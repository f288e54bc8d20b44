namespace Gittensory.Drills.Checks;

/// <summary>The outcome of one check.</summary>
public enum CheckVerdict
{
    /// <summary>What was found is what was expected.</summary>
    Passed,

    /// <summary>What was found is not what was expected; the drill fails.</summary>
    Failed,

    /// <summary>Worth a person's attention, but not a failure (e.g. a manifest older than the newest file).</summary>
    Warning,

    /// <summary>The check could not apply (its facts are not in the profile, or the leg did not run); never counted as passed.</summary>
    NotApplicable,
}
