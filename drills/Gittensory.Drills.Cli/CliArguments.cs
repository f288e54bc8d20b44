using System.Globalization;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Boot;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.Profiles;
using Gittensory.Drills.Safety;
using Gittensory.Drills.Sandbox;

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
          --report-dir DIR          where dated report folders go (default: reports); also holds history.jsonl and latest/
          --metrics-file FILE       write Prometheus metrics to FILE (*.prom, atomically) for node_exporter's textfile collector
          --max-backup-age HOURS    the oldest the backup may be (default: the profile's, 26 for LoopOver)
          --live-database-url URL   compare row counts with the live database (read only; refused if it is the restore target);
                                    better: set DRILL_LIVE_DATABASE_URL, which keeps the URL out of every argument list
          --keep-sandbox            keep the scratch containers and network, and the SQLite leg's expanded copy, for inspection
          --temp-dir DIR            where the SQLite leg expands its copy (default: the system's temporary folder)
          --max-expansion-ratio N   the most a SQLite backup may expand, as a multiple of its compressed size (default: 200)
          --profile FILE            an application profile (default: LoopOver's)
          --scratch-storage MODE    auto, memory or disk: where the scratch Postgres keeps the restored copy (default auto:
                                    in memory when 10 times the dump fits in a quarter of the engine's memory)
          --restore-timeout SECONDS how long pg_restore may run before the drill stops it (default 7200, 2 h)
          --restore-point POINT     newest (default), oldest, random, or a backup's time stamp yyyyMMddTHHmmssZ (docs/window.md)
          --restore-point-seed N    the seed of --restore-point random (default: drawn, and written in the report)
          --window-budget BYTES     the most bytes of retained backups read offline (default 32GiB; suffixes KiB, MiB, GiB, TiB;
                                    0 turns the window off)
          --window-only             read only the retention window offline (no container, nothing restored)
          --plan                    show what the drill would do, touch nothing
          --boot-app                boot the application on the restored copy once it is measured, and poll /ready (docs/boot-app.md)
          --boot-store STORE        postgres or sqlite: the database the application boots on when the set holds both
                                    (default: the profile's preference, Postgres then SQLite)
          --app-image IMAGE         the application image (default: DRILL_APP_IMAGE, else ghcr.io/jsonbored/loopover-selfhost:latest)
          --app-command "CMD ARGS"  run the application on this host instead (e.g. "node dist/server.mjs"); as root on Linux it runs in
                                    the network namespace of a container on the internal network, else on this host's network (a warning)
          --app-host-network        run --app-command on this host's own network, not isolated (app.isolation is then a warning)
          --app-workdir DIR         the host command's working directory (default: the current folder)
          --app-env-file FILE       KEY=VALUE lines added to the application's environment
          --app-migrations PATH     the release under test's migrations (a folder of *.sql, or a file of names)
          --ready-timeout SECONDS   how long /ready may take to answer 200 (default 120)
          --prober-image IMAGE      the image that asks /ready from inside the internal network (default: the Redis image)
          --engine-is-remote        the container engine (DOCKER_HOST) is on another machine: copy backups into the containers instead
                                    of bind-mounting them (default: detected from DOCKER_HOST; also DRILL_ENGINE_REMOTE=true|false)
          --help, -h                this text
          --version                 the tool's version
        Exit codes:
          0  every check passed (or did not apply)
          1  a check failed: the backup is not proven restorable
          2  the drill could not run: no engine, no backup, a bad argument (also a typo), an image too old for the dump
          130 cancelled by SIGINT (Ctrl+C), 143 cancelled by SIGTERM: the report says "cancelled"
        """;

    public string? BackupRoot { get; init; }

    public bool BundledSample { get; init; }

    public IReadOnlySet<BackupStore>? Stores { get; init; }

    public string? Backup { get; init; }

    public string ReportDir { get; init; } = "reports";

    public double? MaxBackupAgeHours { get; init; }

    public string? MetricsFile { get; init; }

    public string? LiveDatabaseUrl { get; init; }

    public bool KeepSandbox { get; init; }

    public string? TempDir { get; init; }

    public double? MaxExpansionRatio { get; init; }

    public string? Profile { get; init; }

    public ScratchStorageMode ScratchStorage { get; init; } = ScratchStorageMode.Auto;

    public double? RestoreTimeoutSeconds { get; init; }

    public string? RestorePoint { get; init; }

    public int? RestorePointSeed { get; init; }

    public long? WindowBudgetBytes { get; init; }

    public bool WindowOnly { get; init; }

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

    public bool AppHostNetwork { get; init; }

    public bool? EngineIsRemote { get; init; }

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
                "--metrics-file" => parsed with { MetricsFile = MetricsPath(Value()) },
                "--max-backup-age" => parsed with { MaxBackupAgeHours = Hours(Value()) },
                "--live-database-url" => parsed with { LiveDatabaseUrl = Value() },
                "--keep-sandbox" => parsed with { KeepSandbox = true },
                "--temp-dir" => parsed with { TempDir = Value() },
                "--max-expansion-ratio" => parsed with { MaxExpansionRatio = Ratio(Value()) },
                "--profile" => parsed with { Profile = Value() },
                "--scratch-storage" => parsed with { ScratchStorage = ParseScratchStorage(Value()) },
                "--restore-timeout" => parsed with { RestoreTimeoutSeconds = RestoreSeconds(Value()) },
                "--restore-point" => parsed with { RestorePoint = Value() },
                "--restore-point-seed" => parsed with { RestorePointSeed = Seed(Value()) },
                "--window-budget" => parsed with { WindowBudgetBytes = ByteSize(Value()) },
                "--window-only" => parsed with { WindowOnly = true },
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
                "--app-host-network" => parsed with { AppHostNetwork = true },
                "--engine-is-remote" => parsed with { EngineIsRemote = true },
                "--help" or "-h" => parsed with { Help = true },
                "--version" => parsed with { Version = true },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'."),
            };
        }

        parsed = parsed with { LiveDatabaseUrl = parsed.LiveDatabaseUrl ?? PostgresUrl.FromEnvironment() };
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
            throw new ArgumentException($"--live-database-url (or {PostgresUrl.EnvironmentVariable}) must be a postgres://user:password@host:port/database URL or an Npgsql connection string (Host=...).");
        }

        if (parsed.EngineIsRemote is null && Environment.GetEnvironmentVariable("DRILL_ENGINE_REMOTE") is { Length: > 0 } remote)
        {
            parsed = parsed with
            {
                EngineIsRemote = remote.ToLowerInvariant() switch
                {
                    "true" or "1" or "yes" => true,
                    "false" or "0" or "no" => false,
                    _ => throw new ArgumentException($"DRILL_ENGINE_REMOTE must be true or false; it is '{remote}'."),
                },
            };
        }

        parsed.CheckBootArguments();
        parsed.CheckRestorePoint();
        return parsed;
    }

    public DrillOptions ToOptions(TextWriter log) => new()
    {
        BackupRoot = BackupRoot!,
        BundledSample = BundledSample,
        Stores = Stores,
        Backup = Backup,
        ReportsRoot = ReportDir,
        MetricsFile = MetricsFile,
        MaxBackupAge = MaxBackupAgeHours is double h ? TimeSpan.FromHours(h) : null,
        LiveDatabaseUrl = LiveDatabaseUrl,
        KeepSandbox = KeepSandbox,
        TempRoot = TempDir,
        MaxExpansionRatio = MaxExpansionRatio ?? DrillOptions.DefaultMaxExpansionRatio,
        WindowBudgetBytes = WindowBudgetBytes ?? Window.BackupWindow.DefaultBudgetBytes,
        WindowOnly = WindowOnly,
        RestorePoint = RestorePoint is null
            ? Backups.RestorePoint.Newest
            : Backups.RestorePoint.Parse(RestorePoint, RestorePointSeed ?? System.Security.Cryptography.RandomNumberGenerator.GetInt32(int.MaxValue), out _)!,
        Profile = Profile is null ? DrillProfile.LoopOver : DrillProfile.Load(Profile),
        RestoreTimeout = RestoreTimeoutSeconds is double r ? TimeSpan.FromSeconds(r) : DrillOptions.DefaultRestoreTimeout,
        Log = log,
        BootStore = BootStore,
        ScratchStorage = ScratchStorage,
        EngineIsRemote = EngineIsRemote,
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
                IsolateHostCommand = !AppHostNetwork,
            }
            : null,
    };

    private void CheckBootArguments()
    {
        var bootOnly = new (string Flag, bool Given)[]
        {
            ("--app-image", AppImage is not null), ("--app-command", AppCommand is not null), ("--app-workdir", AppWorkdir is not null),
            ("--app-env-file", AppEnvFile is not null), ("--app-migrations", AppMigrations is not null), ("--ready-timeout", ReadyTimeoutSeconds is not null),
            ("--prober-image", ProberImage is not null), ("--boot-store", BootStore is not null), ("--app-host-network", AppHostNetwork),
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

        if (AppHostNetwork && AppCommand is null)
        {
            throw new ArgumentException("--app-host-network is about where --app-command runs; give --app-command too.");
        }

        if (AppCommand is not null && AppCommandLine.Split(AppCommand).Count == 0)
        {
            throw new ArgumentException("--app-command is empty; give the program and its arguments, e.g. \"node dist/server.mjs\".");
        }
    }

    private void CheckRestorePoint()
    {
        if (RestorePoint is { } point)
        {
            if (Backups.RestorePoint.Parse(point, RestorePointSeed ?? 0, out var error) is not { } parsed)
            {
                throw new ArgumentException($"--restore-point {error}.");
            }

            if (RestorePointSeed is not null && parsed.Kind != RestorePointKind.Random)
            {
                throw new ArgumentException($"--restore-point-seed only applies with --restore-point random (not '{point}').");
            }

            if (Backup is not null && parsed.Kind != RestorePointKind.Newest)
            {
                throw new ArgumentException("--backup names the backup to drill, --restore-point chooses one; give one of them.");
            }
        }
        else if (RestorePointSeed is not null)
        {
            throw new ArgumentException("--restore-point-seed only applies with --restore-point random; add --restore-point random.");
        }

        if (WindowOnly && (BootApp || WindowBudgetBytes == 0))
        {
            throw new ArgumentException(BootApp ? "--window-only restores nothing, so there is nothing to boot; leave out --boot-app or --window-only."
                                                : "--window-only with --window-budget 0 would read nothing; give a budget above 0.");
        }
    }

    private static int Seed(string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) && seed >= 0
            ? seed
            : throw new ArgumentException($"--restore-point-seed must be a whole number from 0 to {int.MaxValue}; '{text}' is not.");

    private static long ByteSize(string text)
    {
        var units = new (string Suffix, long Factor)[] { ("TiB", 1L << 40), ("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10), ("B", 1) };
        var (number, factor) = units.Where(u => text.EndsWith(u.Suffix, StringComparison.OrdinalIgnoreCase))
            .Select(u => (text[..^u.Suffix.Length], u.Factor)).DefaultIfEmpty((text, 1L)).First();
        return double.TryParse(number.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && double.IsFinite(value) && value * factor < long.MaxValue
            ? (long)(value * factor)
            : throw new ArgumentException($"--window-budget must be a number of bytes of at least 0, optionally with KiB, MiB, GiB or TiB (e.g. 32GiB); '{text}' is not.");
    }

    private static BackupStore ParseBootStore(string text) =>
        Enum.TryParse<BackupStore>(text, ignoreCase: true, out var store) && store is BackupStore.Postgres or BackupStore.Sqlite
            ? store
            : throw new ArgumentException($"--boot-store takes postgres or sqlite (the stores the application's database can be in); '{text}' is neither.");

    private static ScratchStorageMode ParseScratchStorage(string text) =>
        Enum.TryParse<ScratchStorageMode>(text, ignoreCase: true, out var mode) && Enum.IsDefined(mode) && !int.TryParse(text, out _)
            ? mode
            : throw new ArgumentException($"--scratch-storage takes auto, memory or disk; '{text}' is none of them.");

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

    // node_exporter's textfile collector reads only *.prom files of one folder, and the file is renamed into place from a
    // temporary file beside it, so the folder must exist.
    private static string MetricsPath(string text)
    {
        if (!text.EndsWith(".prom", StringComparison.Ordinal))
        {
            throw new ArgumentException($"--metrics-file must end in .prom (node_exporter's textfile collector reads only *.prom files); '{text}' does not. Use e.g. /var/lib/node_exporter/textfile/gittensory-drill.prom.");
        }

        if (Directory.Exists(text))
        {
            throw new ArgumentException($"--metrics-file '{text}' is a folder; give a file in it, e.g. '{Path.Combine(text, "gittensory-drill.prom")}'.");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(text))!;
        return Directory.Exists(folder)
            ? text
            : throw new ArgumentException($"--metrics-file '{text}': its folder '{folder}' does not exist. Create it (node_exporter's --collector.textfile.directory) or point at that folder.");
    }

    private static double Ratio(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio) && ratio >= 1 && double.IsFinite(ratio)
            ? ratio
            : throw new ArgumentException($"--max-expansion-ratio must be a number of at least 1 (times the compressed size); '{text}' is not.");

    private static double Seconds(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? seconds
            : throw new ArgumentException($"--ready-timeout must be a positive number of seconds; '{text}' is not.");

    private static double RestoreSeconds(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 && seconds <= int.MaxValue / 1000
            ? seconds
            : throw new ArgumentException($"--restore-timeout must be a positive number of seconds (default 7200, 2 h; at most {int.MaxValue / 1000}); '{text}' is not.");

    private static double Hours(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var hours) && hours > 0
            ? hours
            : throw new ArgumentException($"--max-backup-age must be a positive number of hours; '{text}' is not.");
}
