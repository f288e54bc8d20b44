namespace Gittensory.Drills.Reporting;

/// <summary>
/// One request to the booted application: the path, when (seconds since it was started), the HTTP status (null when nothing
/// answered, with the reason in <see cref="Error"/>), and for <c>/ready</c> its body's <c>ok</c>, <c>checks</c> and <c>durationsMs</c>.
/// </summary>
public sealed record AppAnswer(
    string Path,
    double AtSeconds,
    int? Status,
    bool? Ok,
    IReadOnlyDictionary<string, bool>? Checks,
    IReadOnlyDictionary<string, double>? DurationsMs,
    string? Body,
    string? Error)
{
    /// <summary>The answer in one line: <c>503 {"ok":false,...}</c>, or <c>no answer (connect: Connection refused)</c>.</summary>
    public string Describe() => Status is { } status ? $"{status} {Body}".TrimEnd() : $"no answer ({Error})";
}
