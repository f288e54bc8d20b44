namespace Gittensory.Drills.Checks;

/// <summary>
/// A table's identity, its schema and its name kept apart: a '.' may be in either (schema <c>we.ird</c> with table <c>x</c>
/// is not schema <c>we</c> with table <c>ird.x</c>), so tables are compared and keyed by both, never by one joined string.
/// </summary>
/// <param name="Schema">The schema (SQLite: <c>main</c>), unquoted.</param>
/// <param name="Name">The table's name, unquoted.</param>
public readonly record struct TableName(string Schema, string Name) : IComparable<TableName>
{
    /// <summary>Orders by schema, then name, ordinally.</summary>
    public int CompareTo(TableName other)
    {
        var bySchema = string.CompareOrdinal(Schema, other.Schema);
        return bySchema != 0 ? bySchema : string.CompareOrdinal(Name, other.Name);
    }

    /// <summary>True when <paramref name="left"/> orders before <paramref name="right"/>.</summary>
    public static bool operator <(TableName left, TableName right) => left.CompareTo(right) < 0;

    /// <summary>True when <paramref name="left"/> orders before or with <paramref name="right"/>.</summary>
    public static bool operator <=(TableName left, TableName right) => left.CompareTo(right) <= 0;

    /// <summary>True when <paramref name="left"/> orders after <paramref name="right"/>.</summary>
    public static bool operator >(TableName left, TableName right) => left.CompareTo(right) > 0;

    /// <summary>True when <paramref name="left"/> orders after or with <paramref name="right"/>.</summary>
    public static bool operator >=(TableName left, TableName right) => left.CompareTo(right) >= 0;

    /// <summary><c>schema.name</c> for a reader: each part as is when it is a plain lower-case identifier, else double-quoted as SQL quotes it (so the two above read <c>"we.ird".x</c> and <c>we."ird.x"</c>).</summary>
    public override string ToString() => $"{Shown(Schema)}.{Shown(Name)}";

    private static string Shown(string part) =>
        part.Length > 0 && (char.IsAsciiLetterLower(part[0]) || part[0] == '_') && part.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '_' or '$')
            ? part
            : SqlNames.Quote(part);
}
