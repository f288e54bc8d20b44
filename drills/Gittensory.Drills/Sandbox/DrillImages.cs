namespace Gittensory.Drills.Sandbox;

/// <summary>
/// The container images a drill uses: each from its <c>DRILL_*_IMAGE</c> variable, else from the machine's images file
/// (<c>DRILL_IMAGES_FILE</c>, default <c>/etc/gittensory-drills/images.env</c>, which fixtures/engine/ensure-engine.sh writes
/// at a site with no registry), else the official images LoopOver runs.
/// </summary>
public sealed record DrillImages
{
    /// <summary>
    /// The operator's Postgres image or template (<c>DRILL_POSTGRES_IMAGE</c>; <c>{major}</c> is replaced by the major the dump needs),
    /// used for every dump when set; null = chosen per dump from <see cref="LocalPostgres"/>, else <see cref="DefaultPostgres"/>.
    /// </summary>
    public string? Postgres { get; init; }

    /// <summary>The Postgres images built on this machine, each tagged with its major (<c>DRILL_POSTGRES_IMAGES</c>, comma-separated; default none).</summary>
    public IReadOnlyList<string> LocalPostgres { get; init; } = [];

    /// <summary>The official image LoopOver runs, used when neither <see cref="Postgres"/> nor <see cref="LocalPostgres"/> is set.</summary>
    public const string DefaultPostgres = "pgvector/pgvector:pg{major}";

    /// <summary>Redis image (default <c>redis:7-alpine</c>).</summary>
    public string Redis { get; init; } = "redis:7-alpine";

    /// <summary>Qdrant image (default <c>qdrant/qdrant:v1.18.2</c>).</summary>
    public string Qdrant { get; init; } = "qdrant/qdrant:v1.18.2";

    /// <summary>The application image booted against restored state (default <c>ghcr.io/jsonbored/loopover-selfhost:latest</c>).</summary>
    public string App { get; init; } = "ghcr.io/jsonbored/loopover-selfhost:latest";

    /// <summary>The machine-wide images file read when a <c>DRILL_*_IMAGE</c> variable is unset.</summary>
    public const string DefaultImagesFile = "/etc/gittensory-drills/images.env";

    /// <summary>
    /// Reads the images from the environment, then the images file, keeping defaults for what neither sets. The file's
    /// <c>DRILL_POSTGRES_IMAGE</c> is used only when no <c>DRILL_POSTGRES_IMAGES</c> list is given (an images file from before the list).
    /// </summary>
    public static DrillImages FromEnvironment()
    {
        var defaults = new DrillImages();
        var file = ReadImagesFile(Environment.GetEnvironmentVariable("DRILL_IMAGES_FILE") is { Length: > 0 } f ? f : DefaultImagesFile);
        string? Read(string name) => ReadVariable(name) ?? file.GetValueOrDefault(name);
        var local = (Read("DRILL_POSTGRES_IMAGES") ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new DrillImages
        {
            Postgres = ReadVariable("DRILL_POSTGRES_IMAGE") ?? (local.Length == 0 ? file.GetValueOrDefault("DRILL_POSTGRES_IMAGE") : null),
            LocalPostgres = local,
            Redis = Read("DRILL_REDIS_IMAGE") ?? defaults.Redis,
            Qdrant = Read("DRILL_QDRANT_IMAGE") ?? defaults.Qdrant,
            App = Read("DRILL_APP_IMAGE") ?? defaults.App,
        };
    }

    /// <summary>The Postgres image for a dump that needs the given major (see <see cref="PostgresImageChoice"/>); throws when no listed image is new enough.</summary>
    public string PostgresFor(int major)
    {
        var choice = PostgresImageChoice.For(this, major);
        return choice.Image ?? throw new InvalidOperationException(choice.Reason);
    }

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
