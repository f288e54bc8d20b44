namespace Gittensory.Drills.Checks;

/// <summary>One table of a restored database and its exact row count.</summary>
public sealed record TableFact(string Schema, string Name, long Rows)
{
    /// <summary>The table as (schema, name), its key.</summary>
    public TableName Key => new(Schema, Name);

    /// <summary><c>schema.name</c> for a reader (see <see cref="TableName.ToString"/>); never a key.</summary>
    public string QualifiedName => Key.ToString();
}
