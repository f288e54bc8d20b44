using Docker.DotNet.Models;
using Microsoft.Extensions.Logging.Abstractions;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using Npgsql;
using Testcontainers.PostgreSql;

namespace Gittensory.Drills.Sandbox;

/// <summary>
/// The disposable Postgres a dump is restored into: a container this drill created, on the drill's network, with fresh
/// credentials, the backup mounted read-only, and settings tuned for a fast restore (durability is not wanted here).
/// </summary>
public sealed class ScratchPostgres
{
    /// <summary>Where the backup file is mounted inside the container (read-only).</summary>
    public const string BackupMountFolder = "/drill/backup";

    /// <summary>The scratch database's name.</summary>
    public const string Database = "drill_restore";

    /// <summary>The scratch superuser's name.</summary>
    public const string User = "drill";

    // A throwaway server: no durability, large WAL, no autovacuum during the restore.
    // https://www.postgresql.org/docs/current/populate.html#POPULATE-NON-DURABILITY
    private static readonly string[] FastRestoreSettings =
    [
        "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
        "-c", "wal_level=minimal", "-c", "max_wal_senders=0", "-c", "max_wal_size=4GB",
        "-c", "checkpoint_timeout=30min", "-c", "autovacuum=off", "-c", "maintenance_work_mem=256MB",
    ];

    // Testcontainers asks pg_isready once a second by default; the server is ready about three seconds after the start.
    private static readonly TimeSpan ReadyPollInterval = TimeSpan.FromMilliseconds(100);

    private ScratchPostgres(PostgreSqlContainer container, string image, string name, string password, string backupInContainer, ScratchStorage? storage)
    {
        Storage = storage;
        Container = container;
        Image = image;
        Name = name;
        Password = password;
        BackupPathInContainer = backupInContainer;
    }

    /// <summary>The Testcontainers container.</summary>
    public PostgreSqlContainer Container { get; }

    /// <summary>Where it keeps its data (null: the container's own layer, as Testcontainers makes it).</summary>
    public ScratchStorage? Storage { get; }

    /// <summary>The image it runs.</summary>
    public string Image { get; }

    /// <summary>The container's name.</summary>
    public string Name { get; }

    /// <summary>The generated password (never written to a log or report).</summary>
    public string Password { get; }

    /// <summary>The backup's path inside the container.</summary>
    public string BackupPathInContainer { get; }

    /// <summary>A connection string to the scratch database through the loopback port.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(Container.GetConnectionString()) { Pooling = false }.ConnectionString;

    /// <summary>The connection string with its password replaced, for reports.</summary>
    public string RedactedConnectionString => Secrets.Redact(ConnectionString);

    /// <summary>Starts the scratch server with <paramref name="backupFile"/> mounted read-only, or copied in when the engine is remote
    /// (<see cref="DrillSandbox.EngineIsRemote"/>), its data kept where <paramref name="storage"/> says (default: on disk).</summary>
    public static async Task<ScratchPostgres> StartAsync(
        DrillSandbox sandbox, string image, string backupFile, ScratchStorage? storage = null, CancellationToken ct = default)
    {
        var password = Secrets.NewSecret();
        var name = sandbox.ContainerName("postgres");
        var inContainer = $"{BackupMountFolder}/{Path.GetFileName(backupFile)}";
        var builder = new PostgreSqlBuilder(image)
            .WithName(name)
            .WithLabel(DrillSandbox.RunLabel, sandbox.RunId)
            .WithNetwork(sandbox.Network)
            .WithNetworkAliases("postgres")
            .WithDatabase(Database)
            .WithUsername(User)
            .WithPassword(password)
            .WithCommand(FastRestoreSettings)
            .WithCreateParameterModifier(LoopbackPorts.Bind)
            .WithCreateParameterModifier(parameters => InMemory(parameters, storage))
            .WithWaitStrategy(Wait.ForUnixContainer().UntilCommandIsCompleted(
                ["pg_isready", "--host", "localhost", "--dbname", Database, "--username", User], wait => wait.WithInterval(ReadyPollInterval)))
            .WithLogger(NullLogger.Instance);
        if (!sandbox.EngineIsRemote)
        {
            builder = builder.WithBindMount(Path.GetFullPath(backupFile), inContainer, AccessMode.ReadOnly);
        }

        var container = builder.Build();
        sandbox.Track(container);
        await container.StartAsync(ct);
        if (sandbox.EngineIsRemote)
        {
            // A remote engine would look for the file on its own disk: stream it in instead, read-only for everyone.
            await BackupCopy.CopyInAsync(container.Id, Path.GetFullPath(backupFile), inContainer, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, ct);
        }

        return new ScratchPostgres(container, image, name, password, inContainer, storage);
    }

    private static void InMemory(CreateContainerParameters parameters, ScratchStorage? storage)
    {
        if (storage is { MemoryFolder: { } folder, LimitBytes: { } limit })
        {
            parameters.HostConfig ??= new HostConfig();
            parameters.HostConfig.Tmpfs ??= new Dictionary<string, string>();
            parameters.HostConfig.Tmpfs[folder] = $"rw,size={limit},mode=0700";
        }
    }

    /// <summary>Runs a command in the container and returns its result; throws when it exits non-zero and <paramref name="check"/> is set.</summary>
    public async Task<DotNet.Testcontainers.Containers.ExecResult> ExecAsync(IReadOnlyList<string> command, bool check = true, CancellationToken ct = default)
    {
        var result = await Container.ExecAsync([.. command], ct);
        if (check && result.ExitCode != 0)
        {
            throw new ContainerCommandException(Name, string.Join(" ", command), result.ExitCode ?? -1, result.Stdout, result.Stderr);
        }

        return result;
    }

    /// <summary>
    /// The major version of the container's <c>pg_restore</c> (e.g. 16 for "pg_restore (PostgreSQL) 16.4") and how many CPUs the
    /// container sees (for <c>pg_restore -j</c>; 1 when it cannot say), asked in one exec.
    /// </summary>
    public async Task<(int PgRestoreMajor, int Cpus)> RestoreToolAsync(CancellationToken ct = default)
    {
        var result = await ExecAsync(["sh", "-c", "pg_restore --version && { nproc || echo 1; }"], ct: ct);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var major = PgVersion.Major(lines.FirstOrDefault() ?? "")
            ?? throw new InvalidOperationException($"Cannot read the version of pg_restore in '{Image}' from '{result.Stdout.Trim()}'.");
        return (major, lines.Length > 1 && int.TryParse(lines[1], out var n) && n > 0 ? n : 1);
    }
}
