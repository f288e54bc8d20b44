using System.Security.Cryptography;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.SampleBackups;
using Gittensory.Drills.Sandbox;
using Npgsql;
using Testcontainers.PostgreSql;
using Xunit;

namespace Gittensory.Drills.Tests.SampleBackups;

/// <summary>
/// A set written in-process by <see cref="SampleBackupGenerator"/> with the default options (both stores, 3 runs) into a
/// temporary folder, and its newest dump restored with <c>pg_restore --exit-on-error</c> into a fresh Postgres container
/// whose owner role is <c>loopover</c>, as on a LoopOver host. Created on first use, after <see cref="EngineGate"/> lets a test run.
/// </summary>
public sealed class GeneratedSampleSetFixture : IAsyncLifetime
{
    private readonly string runId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
    private readonly Lazy<Task> creation;

    /// <summary>Creates the fixture; its containers start when a test first asks for them.</summary>
    public GeneratedSampleSetFixture() => creation = new Lazy<Task>(() => CreateAsync(CancellationToken.None));
    private PostgreSqlContainer? restored;

    /// <summary>The generated set's root (removed at the end).</summary>
    public string Folder { get; private set; } = "";

    /// <summary>What the generator says it wrote, oldest run first.</summary>
    public IReadOnlyList<SampleBackupRun> Runs { get; private set; } = [];

    /// <summary>Lets the calling test run only with an engine (skips or fails per <see cref="EngineGate"/>), then generates and restores once.</summary>
    public async Task RequireAsync(CancellationToken ct = default)
    {
        await EngineGate.RequireEngineAsync(ct);
        // One creation for every test that needs it, whichever asks first; a test cancelled while waiting leaves it running.
        await creation.Value.WaitAsync(ct);
    }

    /// <summary>Opens a connection to the database the newest dump was restored into.</summary>
    public async Task<NpgsqlConnection> OpenRestoredAsync(CancellationToken ct = default)
    {
        var connection = new NpgsqlConnection((restored ?? throw new InvalidOperationException("RequireAsync first.")).GetConnectionString());
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <inheritdoc />
    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (restored is not null)
        {
            await restored.DisposeAsync();
        }

        if (Folder.Length > 0 && Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }

    private async Task CreateAsync(CancellationToken ct)
    {
        Folder = Path.Combine(Path.GetTempPath(), $"gittensory-drills-samples-{runId}");
        Runs = await new SampleBackupGenerator(new SampleBackupOptions { OutputDirectory = Folder }).GenerateAsync(ct);

        restored = new PostgreSqlBuilder(DrillImages.FromEnvironment().PostgresFor(15))
            .WithName($"gittensory-drills-samples-restore-{runId}")
            .WithDatabase("loopover")
            .WithUsername("loopover")
            .WithPassword(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)))
            .WithBindMount(Path.Combine(Folder, "postgres"), "/backups", DotNet.Testcontainers.Configurations.AccessMode.ReadOnly)
            .Build();
        await restored.StartAsync(ct);
        var dump = Path.GetFileName(Runs[^1].PostgresFile!);
        var result = await restored.ExecAsync(["pg_restore", "--exit-on-error", "-U", "loopover", "-d", "loopover", $"/backups/{dump}"], ct);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_restore of the generated '{dump}' exited {result.ExitCode}: {result.Stderr.Trim()}");
        }
    }
}
