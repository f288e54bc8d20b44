using System.Text.RegularExpressions;

namespace Gittensory.Drills.Sandbox;

/// <summary>Reads PostgreSQL major versions from version strings ("16.4", "15.18 (Debian ...)", "pg_restore (PostgreSQL) 16.4", "9.6.24").</summary>
public static partial class PgVersion
{
    /// <summary>The major version in <paramref name="text"/>, or null when it holds none.</summary>
    public static int? Major(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var match = VersionPattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        // Before 10 the major was two numbers (9.6); for "is this server new enough" the first is what matters here.
        return int.Parse(match.Groups["a"].Value);
    }

    [GeneratedRegex(@"(?<![\d.])(?<a>\d+)(?:\.\d+)?", RegexOptions.CultureInvariant)]
    private static partial Regex VersionPattern();
}
