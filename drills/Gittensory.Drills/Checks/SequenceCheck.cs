namespace Gittensory.Drills.Checks;

/// <summary>Every sequence is at least the largest value in the column it feeds, so the next insert cannot collide.</summary>
public static class SequenceCheck
{
    /// <summary>The check's name in reports.</summary>
    public const string Name = "postgres.sequences";

    /// <summary>Judges each sequence against its column's maximum.</summary>
    public static CheckResult Evaluate(IReadOnlyList<SequenceFact> sequences)
    {
        const string title = "Every sequence is at least the largest value in its column";
        const string expected = "last_value >= max(column) for each owned sequence";
        if (sequences.Count == 0)
        {
            return CheckResult.NotApplicable(Name, title, "the database has no sequence");
        }

        var behind = sequences
            .Where(s => s.MaxInColumn is long max && (s.IsCalled ? s.LastValue : s.LastValue - 1) < max)
            .Select(s => $"{s.QualifiedName} is at {(s.IsCalled ? s.LastValue : s.LastValue - 1)}, but {s.OwnedBy} holds {s.MaxInColumn}: the next insert would collide")
            .ToList();
        var found = string.Join("; ", sequences.Select(s => $"{s.QualifiedName} = {s.LastValue} (max {s.OwnedBy ?? "unowned"} = {s.MaxInColumn?.ToString() ?? "none"})"));
        return behind.Count == 0
            ? CheckResult.Pass(Name, title, expected, found)
            : CheckResult.Fail(Name, title, expected, behind[0], behind);
    }
}
