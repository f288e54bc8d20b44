namespace Gittensory.Drills.Sandbox;

/// <summary>The container images a drill uses, read from <c>DRILL_*_IMAGE</c>; defaults are the official images LoopOver runs.</summary>
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

    /// <summary>Reads the images from the environment, keeping defaults for variables that are unset or empty.</summary>
    public static DrillImages FromEnvironment()
    {
        var defaults = new DrillImages();
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

    private static string? Read(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
