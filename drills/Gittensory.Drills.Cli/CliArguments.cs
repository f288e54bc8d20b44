using System.Globalization;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Boot;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.Profiles;

namespace Gittensory.Drills.Cli;

/// <summary>The command line of <c>gittensory-drill</c>, parsed and checked.</summary>
internal sealed record CliArguments
{
    public const string Usage =
        """
        Usage: gittensory-drill --backup-root DIR [options]
               gittensory-drill --help | --version
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
          --boot-app                boot the application on the restored copy once it is measured, and poll /ready (docs/boot-app.md)
          --boot-store STORE        postgres or sqlite: the database the application boots on when the set holds both
                                    (default: the profile's preference, Postgres then SQLite)
          --app-image IMAGE         the application image (default: DRILL_APP_IMAGE, else ghcr.io/jsonbored/loopover-selfhost:latest)
          --app-command "CMD ARGS"  run the application on this host instead (e.g. "node dist/server.mjs"); it cannot be isolated
          --app-workdir DIR         the host command's working directory (default: the current folder)
          --app-env-file FILE       KEY=VALUE lines added to the application's environment
          --app-migrations PATH     the release under test's migrations (a folder of *.sql, or a file of names)
          --ready-timeout SECONDS   how long /ready may take to answer 200 (default 120)
          --prober-image IMAGE      the image that asks /ready from inside the internal network (default: the Redis image)
          --help, -h                this text
          --version                 the tool's version
        Exit codes:
          0  every check passed (or did not apply)
          1  a check failed: the backup is not proven restorable
          2  the drill could not run: no engine, no backup, a bad argument (also a typo), an image too old for the dump
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

    public bool BootApp { get; init; }

    public BackupStore? BootStore { get; init; }

    public string? AppImage { get; init; }

    public string? AppCommand { get; init; }

    public string? AppWorkdir { get; init; }

    public string? AppEnvFile { get; init; }

    public string? AppMigrations { get; init; }

    public double? ReadyTimeoutSeconds { get; init; }

    public string? ProberImage { get; init; }

    public bool Help { get; init; }

    public bool Version { get; init; }

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
                "--boot-app" => parsed with { BootApp = true },
                "--boot-store" => parsed with { BootStore = ParseBootStore(Value()) },
                "--app-image" => parsed with { AppImage = Value() },
                "--app-command" => parsed with { AppCommand = Value() },
                "--app-workdir" => parsed with { AppWorkdir = Value() },
                "--app-env-file" => parsed with { AppEnvFile = Value() },
                "--app-migrations" => parsed with { AppMigrations = Value() },
                "--ready-timeout" => parsed with { ReadyTimeoutSeconds = Seconds(Value()) },
                "--prober-image" => parsed with { ProberImage = Value() },
                "--help" or "-h" => parsed with { Help = true },
                "--version" => parsed with { Version = true },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'."),
            };
        }

        if (parsed.BackupRoot is null && !parsed.Help && !parsed.Version)
        {
            throw new ArgumentException("--backup-root is required.");
        }

        if (parsed.TempDir is { } temp && !Directory.Exists(temp))
        {
            throw new ArgumentException($"--temp-dir '{temp}' is not a folder.");
        }

        if (parsed.LiveDatabaseUrl is { } live && !live.StartsWith("postgres://", StringComparison.Ordinal) && !live.StartsWith("postgresql://", StringComparison.Ordinal)
            && !live.StartsWith("Host=", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("--live-database-url must be a postgres://user:password@host:port/database URL or an Npgsql connection string (Host=...).");
        }

        parsed.CheckBootArguments();
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
        BootStore = BootStore,
        BootApp = BootApp
            ? new AppBootOptions
            {
                Image = AppImage,
                Command = AppCommand is null ? null : AppCommandLine.Split(AppCommand),
                WorkingDirectory = AppWorkdir,
                EnvFile = AppEnvFile,
                ReleaseMigrations = AppMigrations,
                ReadyTimeout = ReadyTimeoutSeconds is double s ? TimeSpan.FromSeconds(s) : new AppBootOptions().ReadyTimeout,
                ProberImage = ProberImage,
            }
            : null,
    };

    private void CheckBootArguments()
    {
        var bootOnly = new (string Flag, bool Given)[]
        {
            ("--app-image", AppImage is not null), ("--app-command", AppCommand is not null), ("--app-workdir", AppWorkdir is not null),
            ("--app-env-file", AppEnvFile is not null), ("--app-migrations", AppMigrations is not null), ("--ready-timeout", ReadyTimeoutSeconds is not null),
            ("--prober-image", ProberImage is not null), ("--boot-store", BootStore is not null),
        };
        if (!BootApp && bootOnly.FirstOrDefault(f => f.Given) is { Flag: { } flag })
        {
            throw new ArgumentException($"{flag} only applies with --boot-app; add --boot-app.");
        }

        if (AppImage is not null && AppCommand is not null)
        {
            throw new ArgumentException("--app-image and --app-command are two forms of the application; give one.");
        }

        if (AppWorkdir is not null && AppCommand is null)
        {
            throw new ArgumentException("--app-workdir is the working directory of --app-command; give --app-command too.");
        }

        if (AppCommand is not null && AppCommandLine.Split(AppCommand).Count == 0)
        {
            throw new ArgumentException("--app-command is empty; give the program and its arguments, e.g. \"node dist/server.mjs\".");
        }
    }

    private static BackupStore ParseBootStore(string text) =>
        Enum.TryParse<BackupStore>(text, ignoreCase: true, out var store) && store is BackupStore.Postgres or BackupStore.Sqlite
            ? store
            : throw new ArgumentException($"--boot-store takes postgres or sqlite (the stores the application's database can be in); '{text}' is neither.");

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

    private static double Seconds(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? seconds
            : throw new ArgumentException($"--ready-timeout must be a positive number of seconds; '{text}' is not.");

    private static double Hours(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var hours) && hours > 0
            ? hours
            : throw new ArgumentException($"--max-backup-age must be a positive number of hours; '{text}' is not.");
}
