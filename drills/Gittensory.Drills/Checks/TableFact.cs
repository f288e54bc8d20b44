namespace Gittensory.Drills.Checks;

/// <summary>One table of a restored database and its exact row count.</summary>
public sealed record TableFact(string Schema, string Name, long Rows)
{
    /// <summary><c>schema.name</c>.</summary>
    public string QualifiedName => $"{Schema}.{Name}";
}
