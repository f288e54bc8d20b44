namespace Gittensory.Drills.Checks;

/// <summary>Quoting of SQL identifiers (the same double-quote rule in PostgreSQL and SQLite).</summary>
public static class SqlNames
{
    /// <summary><paramref name="name"/> as a quoted identifier.</summary>
    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary><c>"schema"."name"</c>.</summary>
    public static string Quote(string schema, string name) => Quote(schema) + "." + Quote(name);

    /// <summary><paramref name="value"/> as a quoted string literal.</summary>
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
}
