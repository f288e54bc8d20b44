using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Sandbox;
using Npgsql;
using Respawn;
using Testcontainers.PostgreSql;
using Xunit;

namespace Gittensory.Drills.Tests.Stores.Postgres;

/// <summary>
/// A Postgres server of the tests' own holding the sample set's newest dump, restored: the "live" database for the
/// comparison tests, and the source of dumps made with pg_dump options (e.g. --exclude-table-data). Its database is
/// shared between cases, so tests put it in the state they need with Respawn (empty every table) and a data-only reload.
/// </summary>
public sealed class SourceDatabaseFixture : IAsyncLifetime
{
    private const string Database = "loopover";
    private readonly string outFolder = Directory.CreateTempSubdirectory("gdrill-test-source-").FullName;
    private PostgreSqlContainer? container;
    private Respawner? respawner;

    /// <summary>Null when no engine answers (the gate then skips or fails each test).</summary>
    public EngineStatus? Engine { get; private set; }

    public string ConnectionString => new NpgsqlConnectionStringBuilder(container!.GetConnectionString()) { Pooling = false }.ConnectionString;

    /// <summary>The live URL as an operator gives it (postgres://...).</summary>
    public string Url
    {
        get
        {
            var b = new NpgsqlConnectionStringBuilder(ConnectionString);
            return $"postgres://{b.Username}:{b.Password}@{b.Host}:{b.Port}/{b.Database}";
        }
    }

    public async ValueTask InitializeAsync()
    {
        Engine = await ContainerEngine.PrepareAsync();
        if (!Engine.Answers)
        {
            return;
        }

        Directory.CreateDirectory(Path.Combine(outFolder, "in"));
        File.Copy(BrokenBackups.SampleDump, Path.Combine(outFolder, "in", BrokenBackups.DumpName));
        container = new PostgreSqlBuilder(DrillImages.FromEnvironment().PostgresFor(15))
            .WithDatabase(Database)
            .WithUsername("loopover")
            .WithPassword(Secrets.NewSecret())
            .WithBindMount(outFolder, "/work")
            .Build();
        await container.StartAsync();
        await ExecAsync("pg_restore", "--host=/var/run/postgresql", "--username=loopover", $"--dbname={Database}", "--no-owner", "--exit-on-error", $"/work/in/{BrokenBackups.DumpName}");
        await using var connection = await OpenAsync();
        respawner = await Respawner.CreateAsync(connection, new RespawnerOptions { DbAdapter = DbAdapter.Postgres, SchemasToInclude = ["public"] });
    }

    /// <summary>Runs pg_dump in the container with <paramref name="options"/> and returns the dump's bytes.</summary>
    public async Task<byte[]> DumpAsync(params string[] options)
    {
        var name = $"dump-{Guid.NewGuid():N}";
        await ExecAsync(["pg_dump", "--host=/var/run/postgresql", "--username=loopover", $"--dbname={Database}", .. options, $"--file=/work/{name}"]);
        var path = Path.Combine(outFolder, name);
        var bytes = await File.ReadAllBytesAsync(path);
        File.Delete(path);
        return bytes;
    }

    /// <summary>Empties every table (Respawn), as a live database that lost its rows.</summary>
    public async Task EmptyAsync()
    {
        await using var connection = await OpenAsync();
        await respawner!.ResetAsync(connection);
    }

    /// <summary>Puts the sample's rows back: empty, then a data-only restore of the sample dump.</summary>
    public async Task ReloadAsync()
    {
        await EmptyAsync();
        await ExecAsync("pg_restore", "--host=/var/run/postgresql", "--username=loopover", $"--dbname={Database}", "--data-only", "--disable-triggers", "--exit-on-error", $"/work/in/{BrokenBackups.DumpName}");
    }

    /// <summary>Runs <paramref name="sql"/> on the source database (a test puts it back afterwards); the rows it touched.</summary>
    public async Task<int> ExecuteAsync(string sql, CancellationToken ct = default)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (container is not null)
        {
            await container.DisposeAsync();
        }

        Directory.Delete(outFolder, recursive: true);
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private async Task ExecAsync(params string[] command)
    {
        var result = await container!.ExecAsync(command);
        if (result.ExitCode != 0)
        {
            throw new ContainerCommandException(container.Name, string.Join(' ', command), result.ExitCode ?? -1, result.Stdout, result.Stderr);
        }
    }
}
