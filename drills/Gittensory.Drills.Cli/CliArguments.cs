using System.Globalization;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Drills;
using Gittensory.Drills.Profiles;

namespace Gittensory.Drills.Cli;

/// <summary>The command line of <c>gittensory-drill</c>, parsed and checked.</summary>
internal sealed record CliArguments
{
    public const string Usage =
        """
        Usage: gittensory-drill --backup-root DIR [options]
          --backup-root DIR         the backups root (postgres/, sqlite/, manifest.json)
          --bundled-sample          the root is the bundled sample set (its age is not judged unless --max-backup-age is given)
          --store STORES            postgres, sqlite, qdrant or all (comma-separated; default: every store with backups)
          --backup FILE             drill this backup file instead of the newest
          --report-dir DIR          where dated report folders go (default: reports)
          --max-backup-age HOURS    the oldest the backup may be (default: the profile's, 26 for LoopOver)
          --live-database-url URL   compare row counts with the live database (read only; refused if it is the restore target)
          --keep-sandbox            keep the scratch containers and network, and the SQLite leg's expanded copy, for inspection
          --temp-dir DIR            where the SQLite leg expands its copy (default: the system's temporary folder)
          --max-expansion-ratio N   the most a SQLite backup may expand, as a multiple of its compressed size (default: 200)
          --profile FILE            an application profile (default: LoopOver's)
          --plan                    show what the drill would do, touch nothing
        Exit codes: 0 every check passed, 1 a check failed, 2 the drill could not run.
        """;

    public string? BackupRoot { get; init; }

    public bool BundledSample { get; init; }

    public IReadOnlySet<BackupStore>? Stores { get; init; }

    public string? Backup { get; init; }

    public string ReportDir { get; init; } = "reports";

    public double? MaxBackupAgeHours { get; init; }

    public string? LiveDatabaseUrl { get; init; }

    public bool KeepSandbox { get; init; }

    public string? TempDir { get; init; }

    public double? MaxExpansionRatio { get; init; }

    public string? Profile { get; init; }

    public bool Plan { get; init; }

    public bool Help { get; init; }

    public static CliArguments Parse(IReadOnlyList<string> args)
    {
        var parsed = new CliArguments();
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            parsed = args[i] switch
            {
                "--backup-root" => parsed with { BackupRoot = Value() },
                "--bundled-sample" => parsed with { BundledSample = true },
                "--store" => parsed with { Stores = ParseStores(Value()) },
                "--backup" => parsed with { Backup = Value() },
                "--report-dir" => parsed with { ReportDir = Value() },
                "--max-backup-age" => parsed with { MaxBackupAgeHours = Hours(Value()) },
                "--live-database-url" => parsed with { LiveDatabaseUrl = Value() },
                "--keep-sandbox" => parsed with { KeepSandbox = true },
                "--temp-dir" => parsed with { TempDir = Value() },
                "--max-expansion-ratio" => parsed with { MaxExpansionRatio = Ratio(Value()) },
                "--profile" => parsed with { Profile = Value() },
                "--plan" => parsed with { Plan = true },
                "--help" or "-h" => parsed with { Help = true },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'."),
            };
        }

        if (parsed.BackupRoot is null && !parsed.Help)
        {
            throw new ArgumentException("--backup-root is required.");
        }

        return parsed;
    }

    public DrillOptions ToOptions(TextWriter log) => new()
    {
        BackupRoot = BackupRoot!,
        BundledSample = BundledSample,
        Stores = Stores,
        Backup = Backup,
        ReportsRoot = ReportDir,
        MaxBackupAge = MaxBackupAgeHours is double h ? TimeSpan.FromHours(h) : null,
        LiveDatabaseUrl = LiveDatabaseUrl,
        KeepSandbox = KeepSandbox,
        TempRoot = TempDir,
        MaxExpansionRatio = MaxExpansionRatio ?? DrillOptions.DefaultMaxExpansionRatio,
        Profile = Profile is null ? DrillProfile.LoopOver : DrillProfile.Load(Profile),
        Log = log,
    };

    private static HashSet<BackupStore>? ParseStores(string text)
    {
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (names.Any(n => n.Equals("all", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        return [.. names.Select(n => Enum.TryParse<BackupStore>(n, ignoreCase: true, out var store)
            ? store
            : throw new ArgumentException($"--store takes postgres, sqlite, qdrant or all; '{n}' is none of them."))];
    }

    private static double Ratio(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) && ratio >= 1 && double.IsFinite(ratio)
            ? ratio
            : throw new ArgumentException($"--max-expansion-ratio must be a number of at least 1 (times the compressed size); '{text}' is not.");

    private static double Hours(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var hours) && hours > 0
            ? hours
            : throw new ArgumentException($"--max-backup-age must be a positive number of hours; '{text}' is not.");
}
