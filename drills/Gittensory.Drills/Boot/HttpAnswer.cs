namespace Gittensory.Drills.Boot;

/// <summary>What one HTTP request to the application gave: a status and body, or, when nothing answered, why.</summary>
internal sealed record HttpAnswer(int? Status, string? Body, string? Error)
{
    /// <summary>Nothing answered, because of <paramref name="error"/>.</summary>
    public static HttpAnswer None(string error) => new(null, null, error);
}
