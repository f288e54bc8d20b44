using Gittensory.Drills.Backups;
using Gittensory.Drills.Boot;
using Gittensory.Drills.Profiles;
using Gittensory.Drills.Sandbox;

namespace Gittensory.Drills.Pipeline;

/// <summary>What to drill and how; every option has a safe default.</summary>
public sealed record DrillOptions
{
    /// <summary>The backups root: the folder holding <c>postgres/</c>, <c>sqlite/</c>, <c>qdrant/</c> and <c>manifest.json</c>.</summary>
    public required string BackupRoot { get; init; }

    /// <summary>The stores to drill; null = every store that has backups under the root.</summary>
    public IReadOnlySet<BackupStore>? Stores { get; init; }

    /// <summary>A backup file to drill instead of the newest (absolute, or relative to the current folder or the root).</summary>
    public string? Backup { get; init; }

    /// <summary>Where dated report folders are written (default <c>reports</c>).</summary>
    public string ReportsRoot { get; init; } = "reports";

    /// <summary>A Prometheus textfile (<c>*.prom</c>) the drill's metrics are written to, atomically, for node_exporter's textfile collector; null = none (docs/reports.md).</summary>
    public string? MetricsFile { get; init; }

    /// <summary>The oldest the backup may be; null = the profile's (LoopOver: 26 h).</summary>
    public TimeSpan? MaxBackupAge { get; init; }

    /// <summary>True when the root is the bundled sample set, old by construction: without <see cref="MaxBackupAge"/> its age is not judged, and the report says so.</summary>
    public bool BundledSample { get; init; }

    /// <summary>The live database's URL, for a read-only comparison of row counts; never a restore target. Its password is redacted everywhere from the moment it is set.</summary>
    public string? LiveDatabaseUrl
    {
        get;
        init
        {
            Safety.PostgresUrl.RegisterPassword(value);
            field = value;
        }
    }

    /// <summary>Keep the sandbox (containers, network, the SQLite leg's expanded copy) for inspection instead of removing it.</summary>
    public bool KeepSandbox { get; init; }

    /// <summary>Where the SQLite leg expands its copy of the backup, in a folder <c>gdrill-&lt;run id&gt;-sqlite</c> of its own; null = the system's temporary folder.</summary>
    public string? TempRoot { get; init; }

    /// <summary>The most a compressed backup may expand, as a multiple of its compressed size (default 200), a guard against a decompression bomb; the free space of <see cref="TempRoot"/> caps it too.</summary>
    public double MaxExpansionRatio { get; init; } = DefaultMaxExpansionRatio;

    /// <summary>The profile of the application (default LoopOver's).</summary>
    public DrillProfile Profile { get; init; } = DrillProfile.LoopOver;

    /// <summary>The images (default from <c>DRILL_*_IMAGE</c>).</summary>
    public DrillImages Images { get; init; } = DrillImages.FromEnvironment();

    /// <summary>Where progress lines go (default nowhere).</summary>
    public TextWriter Log { get; init; } = TextWriter.Null;

    /// <summary>How often long phases report progress (default 10 s).</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock (tests set it).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Boot the application on the restored database once it is measured, and poll <c>/ready</c> (null = do not boot; docs/boot-app.md).</summary>
    public AppBootOptions? BootApp { get; init; }

    /// <summary>The database the application boots on when the set holds more than one (null = the profile's preference, <see cref="DrillProfile.BootStores"/>).</summary>
    public BackupStore? BootStore { get; init; }

    /// <summary>Where the scratch Postgres keeps the restored copy (default: in memory when it fits comfortably, else on disk; <see cref="ScratchStorage"/>).</summary>
    public ScratchStorageMode ScratchStorage { get; init; } = ScratchStorageMode.Auto;

    /// <summary>How long pg_restore may run before the drill stops it and says so (default <see cref="DefaultRestoreTimeout"/>, 2 h).</summary>
    public TimeSpan RestoreTimeout { get; init; } = DefaultRestoreTimeout;

    /// <summary>Stops the drill from outside (SIGINT, SIGTERM) and says why in the report; null = only the token given to the run.</summary>
    public DrillCancellation? Cancellation { get; init; }

    /// <summary>The most bytes of retained Postgres and SQLite backups the window reads offline (default 32 GiB; 0 turns the window off; docs/window.md).</summary>
    public long WindowBudgetBytes { get; init; } = Window.BackupWindow.DefaultBudgetBytes;

    /// <summary>Read only the retention window (every retained database backup, offline, no container), restore nothing (default false).</summary>
    public bool WindowOnly { get; init; }

    /// <summary>Which complete backup of each store is restored when none is named (default: the newest).</summary>
    public RestorePoint RestorePoint { get; init; } = RestorePoint.Newest;

    /// <summary>Whether the container engine runs on another machine (backups are then copied into the containers, never bind-mounted); null = decided from <c>DOCKER_HOST</c> (<see cref="EngineLocation"/>).</summary>
    public bool? EngineIsRemote { get; init; }

    /// <summary>The run id (default 8 random hex digits).</summary>
    public string RunId { get; init; } = Secrets.NewSecret(4);

    /// <summary>The default of <see cref="MaxExpansionRatio"/>: LoopOver-shaped sample databases compress 6 to 10 to 1; 200 leaves room, and stops a bomb early.</summary>
    public const double DefaultMaxExpansionRatio = 200;

    /// <summary>The default of <see cref="RestoreTimeout"/>: 2 h, far above the minutes a LoopOver-sized dump takes, yet a bound on a paused or starved container.</summary>
    public static readonly TimeSpan DefaultRestoreTimeout = TimeSpan.FromHours(2);
}
