using System.Security.Cryptography;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Networks;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Sandbox;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Respawn;
using Testcontainers.PostgreSql;
using Testcontainers.Redis;
using Xunit;

namespace Gittensory.Drills.Tests.AppStandIn;

/// <summary>
/// One Postgres and one Redis, on a network of their own (aliases <c>postgres</c> and <c>redis</c>), shared by every app stand-in
/// test that needs them; Respawn empties the database between tests. Started on first use, after <see cref="EngineGate"/>.
/// </summary>
public sealed class StandInContainersFixture : IAsyncLifetime
{
    /// <summary>The database's name, as LoopOver's.</summary>
    public const string Database = "loopover";

    /// <summary>The database user.</summary>
    public const string User = "loopover";

    private readonly string runId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    private readonly string password = Secrets.NewSecret();
    private readonly Lazy<Task> creation;

    /// <summary>Creates the fixture; its containers start when a test first asks for them.</summary>
    public StandInContainersFixture() => creation = new Lazy<Task>(() => CreateAsync(CancellationToken.None));
    private INetwork? network;
    private PostgreSqlContainer? postgres;
    private RedisContainer? redis;

    /// <summary>The containers' network.</summary>
    public INetwork Network => network ?? throw new InvalidOperationException("RequireAsync first.");

    /// <summary>A connection string to the database through its loopback port.</summary>
    public string ConnectionString => new NpgsqlConnectionStringBuilder(Postgres.GetConnectionString()) { Pooling = false }.ConnectionString;

    private PostgreSqlContainer Postgres => postgres ?? throw new InvalidOperationException("RequireAsync first.");

    private RedisContainer Redis => redis ?? throw new InvalidOperationException("RequireAsync first.");

    /// <summary>Lets the calling test run only with an engine (skips or fails per <see cref="EngineGate"/>), starts the containers once, and empties the database.</summary>
    public async Task RequireAsync(CancellationToken ct = default)
    {
        await EngineGate.RequireEngineAsync(ct);
        // One creation for every test that needs it, whichever asks first; a test cancelled while waiting leaves it running.
        await creation.Value.WaitAsync(ct);
        await ResetAsync(ct);
    }

    /// <summary>
    /// The environment LoopOver needs to reach ready (shared/LOOPOVER.md), for the stand-in as a host process on a free loopback port,
    /// with a fresh setup token; a drill's <c>SELFHOST_DEPLOYMENT_MODE=disabled</c> and <c>ORB_AIR_GAP=true</c>.
    /// </summary>
    public Dictionary<string, string> HostEnvironment() => new(StringComparer.Ordinal)
    {
        ["DATABASE_URL"] = $"postgres://{User}:{password}@{Postgres.Hostname}:{Postgres.GetMappedPublicPort(5432)}/{Database}",
        ["REDIS_URL"] = $"redis://{Redis.Hostname}:{Redis.GetMappedPublicPort(6379)}",
        ["SELFHOST_SETUP_TOKEN"] = Secrets.NewSecret(),
        ["PUBLIC_API_ORIGIN"] = "https://loopover.drill.invalid",
        ["SELFHOST_DEPLOYMENT_MODE"] = "disabled",
        ["ORB_AIR_GAP"] = "true",
        ["PORT"] = StandInProcess.FreeLoopbackPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["STANDIN_BIND_ADDRESS"] = "127.0.0.1",
    };

    /// <summary>The same environment for a container on <see cref="Network"/>: the services by alias, the default port 8787.</summary>
    public Dictionary<string, string> NetworkEnvironment() => new(StringComparer.Ordinal)
    {
        ["DATABASE_URL"] = $"postgres://{User}:{password}@postgres:5432/{Database}",
        ["REDIS_URL"] = "redis://redis:6379",
        ["SELFHOST_SETUP_TOKEN"] = Secrets.NewSecret(),
        ["PUBLIC_API_ORIGIN"] = "https://loopover.drill.invalid",
        ["SELFHOST_DEPLOYMENT_MODE"] = "disabled",
        ["ORB_AIR_GAP"] = "true",
    };

    /// <summary>Runs SQL against the database.</summary>
    public async Task ExecuteAsync(string sql, CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The ledger's rows (name → applied_at), empty when the ledger table does not exist.</summary>
    public async Task<IReadOnlyDictionary<string, string>> LedgerAsync(CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(ct);
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('public._selfhost_migrations') IS NOT NULL", connection))
        {
            if (await exists.ExecuteScalarAsync(ct) is not true)
            {
                return rows;
            }
        }

        await using var select = new NpgsqlCommand("SELECT name, applied_at FROM _selfhost_migrations", connection);
        await using var reader = await select.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows[reader.GetString(0)] = reader.GetString(1);
        }

        return rows;
    }

    /// <inheritdoc />
    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (postgres is not null)
        {
            await postgres.DisposeAsync();
        }

        if (redis is not null)
        {
            await redis.DisposeAsync();
        }

        if (network is not null)
        {
            await network.DisposeAsync();
        }
    }

    private async Task CreateAsync(CancellationToken ct)
    {
        var images = DrillImages.FromEnvironment();
        network = new NetworkBuilder().WithName($"gdrill-standin-tests-{runId}").WithLogger(NullLogger.Instance).Build();
        await network.CreateAsync(ct);
        postgres = new PostgreSqlBuilder(images.PostgresFor(16))
            .WithName($"gdrill-standin-tests-{runId}-postgres")
            .WithNetwork(network)
            .WithNetworkAliases("postgres")
            .WithDatabase(Database)
            .WithUsername(User)
            .WithPassword(password)
            .WithLogger(NullLogger.Instance)
            .Build();
        redis = new RedisBuilder(images.Redis)
            .WithName($"gdrill-standin-tests-{runId}-redis")
            .WithNetwork(network)
            .WithNetworkAliases("redis")
            .WithLogger(NullLogger.Instance)
            .Build();
        await Task.WhenAll(postgres.StartAsync(ct), redis.StartAsync(ct));
    }

    // The tests share one database: Respawn empties every table between them (and cannot run while there is none).
    private async Task ResetAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync(ct);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'", connection);
        if ((long)(await count.ExecuteScalarAsync(ct))! == 0)
        {
            return;
        }

        var respawner = await Respawner.CreateAsync(connection, new RespawnerOptions { DbAdapter = DbAdapter.Postgres, SchemasToInclude = ["public"] });
        await respawner.ResetAsync(connection);
    }
}
