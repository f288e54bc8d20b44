namespace Gittensory.Drills.Sandbox;

/// <summary>
/// The container images a drill uses: each from its <c>DRILL_*_IMAGE</c> variable, else from the machine's images file
/// (<c>DRILL_IMAGES_FILE</c>, default <c>/etc/gittensory-drills/images.env</c>, which fixtures/engine/ensure-engine.sh writes
/// at a site with no registry), else the official images LoopOver runs.
/// </summary>
public sealed record DrillImages
{
    /// <summary>Postgres image or template; <c>{major}</c> is replaced by the dump's server major version (default <c>pgvector/pgvector:pg{major}</c>).</summary>
    public string Postgres { get; init; } = "pgvector/pgvector:pg{major}";

    /// <summary>Redis image (default <c>redis:7-alpine</c>).</summary>
    public string Redis { get; init; } = "redis:7-alpine";

    /// <summary>Qdrant image (default <c>qdrant/qdrant:v1.18.2</c>).</summary>
    public string Qdrant { get; init; } = "qdrant/qdrant:v1.18.2";

    /// <summary>The application image booted against restored state (default <c>ghcr.io/jsonbored/loopover-selfhost:latest</c>).</summary>
    public string App { get; init; } = "ghcr.io/jsonbored/loopover-selfhost:latest";

    /// <summary>The machine-wide images file read when a <c>DRILL_*_IMAGE</c> variable is unset.</summary>
    public const string DefaultImagesFile = "/etc/gittensory-drills/images.env";

    /// <summary>Reads the images from the environment, then the images file, keeping defaults for what neither sets.</summary>
    public static DrillImages FromEnvironment()
    {
        var defaults = new DrillImages();
        var file = ReadImagesFile(Environment.GetEnvironmentVariable("DRILL_IMAGES_FILE") is { Length: > 0 } f ? f : DefaultImagesFile);
        string? Read(string name) => ReadVariable(name) ?? file.GetValueOrDefault(name);
        return new DrillImages
        {
            Postgres = Read("DRILL_POSTGRES_IMAGE") ?? defaults.Postgres,
            Redis = Read("DRILL_REDIS_IMAGE") ?? defaults.Redis,
            Qdrant = Read("DRILL_QDRANT_IMAGE") ?? defaults.Qdrant,
            App = Read("DRILL_APP_IMAGE") ?? defaults.App,
        };
    }

    /// <summary>The Postgres image for a dump of the given server major version (the template's <c>{major}</c> filled in).</summary>
    public string PostgresFor(int major) => Postgres.Replace("{major}", major.ToString(), StringComparison.Ordinal);

    /// <summary>The <c>KEY=VALUE</c> lines of an images file (comments with #); empty when it does not exist.</summary>
    public static IReadOnlyDictionary<string, string> ReadImagesFile(string path)
    {
        if (!File.Exists(path))
        {
            return new Dictionary<string, string>();
        }

        return File.ReadLines(path)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#') && line.Contains('=', StringComparison.Ordinal))
            .Select(line => line.Split('=', 2))
            .Where(pair => pair[1].Trim().Length > 0)
            .GroupBy(pair => pair[0].Trim(), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last()[1].Trim(), StringComparer.Ordinal);
    }

    private static string? ReadVariable(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
