using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gittensory.Drills.Profiles;

/// <summary>
/// What the drill knows of one application (tables, ledger, activity columns...), loaded from a JSON file so another
/// application can be drilled by writing its own. A fact left out makes its check "not applicable", never "passed".
/// </summary>
public sealed record DrillProfile
{
    /// <summary>Short name, e.g. <c>loopover</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Human-readable name of the application.</summary>
    public string? DisplayName { get; init; }

    /// <summary>File-name prefixes of backups, newest naming first (LoopOver: <c>loopover</c>, then <c>gittensory</c>).</summary>
    public IReadOnlyList<string> BackupPrefixes { get; init; } = [];

    /// <summary>The schema the application's tables live in (Postgres; default <c>public</c>).</summary>
    public string Schema { get; init; } = "public";

    /// <summary>Every table a healthy database has (Postgres without optional extensions).</summary>
    public IReadOnlyList<string> Tables { get; init; } = [];

    /// <summary>Tables that may or may not exist, per store (<c>postgres</c>, <c>sqlite</c>).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> OptionalTables { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Tables the SQLite store always has on top of <see cref="Tables"/>.</summary>
    public IReadOnlyList<string> SqliteOnlyTables { get; init; } = [];

    /// <summary>How many application tables (those not named <c>_selfhost_*</c>) a healthy database has; null = not checked.</summary>
    public int? ApplicationTableCount { get; init; }

    /// <summary>Tables that must hold at least one row.</summary>
    public IReadOnlyList<string> NonEmptyTables { get; init; } = [];

    /// <summary>Tables that must hold exactly one row (seed rows).</summary>
    public IReadOnlyList<string> SingletonTables { get; init; } = [];

    /// <summary>Tables whose rows are never deleted, so a restored copy can never hold more rows than live.</summary>
    public IReadOnlyList<string> GrowOnlyTables { get; init; } = [];

    /// <summary>Tables pruned on a schedule, which may shrink between backups.</summary>
    public IReadOnlyList<string> PrunedTables { get; init; } = [];

    /// <summary>Text columns holding time stamps of recent activity, for the recovery point.</summary>
    public IReadOnlyList<ActivityColumn> ActivityColumns { get; init; } = [];

    /// <summary>Time stamp values that mean "never" and are ignored (e.g. the 1970 epoch).</summary>
    public IReadOnlyList<string> TimestampSentinels { get; init; } = [];

    /// <summary>Where the application records applied migrations; null = no ledger check.</summary>
    public MigrationLedger? MigrationLedger { get; init; }

    /// <summary>Every migration file name of the newest release, in the order they apply.</summary>
    public IReadOnlyList<string> Migrations { get; init; } = [];

    /// <summary>When true a ledger that lacks the newest migrations fails; otherwise it is reported.</summary>
    public bool RequireNewestRelease { get; init; }

    /// <summary>The oldest a backup may be, in hours (LoopOver alerts at 26); null = not checked.</summary>
    public double? MaxBackupAgeHours { get; init; }

    /// <summary>The most the newest activity may lag the backup's time stamp, in hours; null = reported, not checked.</summary>
    public double? MaxRecoveryPointHours { get; init; }

    /// <summary>The oldest PostgreSQL major the application boots on (LoopOver: 16); null = any. A drill that boots it restores into at least this major.</summary>
    public int? AppMinimumPostgresMajor { get; init; }

    /// <summary>Why the application needs <see cref="AppMinimumPostgresMajor"/>, for the refusal's message; null = not known.</summary>
    public string? AppMinimumPostgresReason { get; init; }

    /// <summary>The application's job queue and counters, for the job-state checks of a restored database; null = not checked.</summary>
    public JobQueueProfile? Jobs { get; init; }

    /// <summary>What the drill knows of the Qdrant store; null = the Qdrant leg's profile checks do not apply.</summary>
    public QdrantProfile? Qdrant { get; init; }

    /// <summary>The profile shipped for LoopOver (and Gittensory before the rename).</summary>
    public static DrillProfile LoopOver => LoopOverProfile.Value;

    /// <summary>
    /// The stores the application can boot on, in the order an install prefers them when a backup set holds more than one
    /// (LoopOver: Postgres when <c>DATABASE_URL</c> is set, else its default SQLite); <c>-BootStore</c> overrides it.
    /// </summary>
    public IReadOnlyList<string> BootStores { get; init; } = ["postgres", "sqlite"];

    private static readonly Lazy<DrillProfile> LoopOverProfile = new(() => Load(Path.Combine(AppContext.BaseDirectory, "Profiles", "loopover.json")));

    /// <summary>Loads a profile from a JSON file, with a message naming the file when it cannot.</summary>
    public static DrillProfile Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Profile '{path}' does not exist. Pass the path of a profile JSON file (see drills/Gittensory.Drills/Profiles/loopover.json).", path);
        }

        try
        {
            return ProfileJson.Read(path, JsonOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Profile '{path}' is not valid: {e.Message}. Compare it with Profiles/loopover.json.", e);
        }
    }

    /// <summary>Whether <paramref name="table"/> is one of the application's own tables (not its <c>_selfhost_*</c> ones).</summary>
    public static bool IsApplicationTable(string table) => !table.StartsWith("_selfhost_", StringComparison.Ordinal);

    // The rules are ProfileJsonContext's: its metadata is generated at build time (the reflection-based reader emitted code at start-up).
    internal static JsonSerializerOptions JsonOptions => ProfileJsonContext.Default.Options;
}

/// <summary>The profile's JSON rules (camelCase keys, comments and trailing commas allowed, unknown keys refused) and its metadata, generated at build time.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(DrillProfile))]
internal sealed partial class ProfileJsonContext : JsonSerializerContext;
