using System.Globalization;

namespace Gittensory.Drills.Checks;

/// <summary>
/// Parses LoopOver's two text time stamp shapes: <c>2026-07-04T09:09:39.123Z</c> (the application) and
/// <c>2026-07-04 09:09:39</c> (database defaults, UTC).
/// </summary>
public static class ActivityTimestamp
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:sszzz",
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
    ];

    /// <summary>SQL LIKE patterns that pick out each shape, so each shape's maximum is taken separately.</summary>
    public static IReadOnlyList<string> ShapePatterns { get; } = ["____-__-__T%", "____-__-__ %"];

    /// <summary>Parses one value in either shape as UTC.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text?.Trim(), Formats, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
}
