using System.Security.Cryptography;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.SampleBackups;
using Gittensory.Drills.Sandbox;
using Testcontainers.PostgreSql;

namespace Gittensory.Drills.Tests.RealDumps;

/// <summary>
/// Backup sets written by real pg_dump binaries inside the images ensure-engine.sh built, each made once, on first use:
/// a pg_dump 17 set (archive 1.16), a pgvector set (<c>CREATE EXTENSION vector</c>, <c>_selfhost_vectors</c>, 96 tables)
/// and a pg_dump 15 dump that creates an extension named <c>vector</c> that the 15 image does not ship. Removed at the end.
/// </summary>
public sealed class RealDumpsFixture : IAsyncDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("gdrill-test-realdumps-").FullName;
    private readonly Lazy<Task<GeneratedSet>> pg17;
    private readonly Lazy<Task<GeneratedSet>> pgvector;
    private readonly Lazy<Task<string>> vectorOn15;

    /// <summary>Creates the fixture; nothing is generated until a test asks.</summary>
    public RealDumpsFixture()
    {
        pg17 = new(() => GenerateAsync("pg17", pgvector: false));
        pgvector = new(() => GenerateAsync("pgvector", pgvector: true));
        vectorOn15 = new(DumpWithExtensionOn15Async);
    }

    /// <summary>The image of major 17 the harness picks from the images file (ensure-engine.sh's gittensory-drills/postgres:17).</summary>
    public static string Image17 => DrillImages.FromEnvironment().PostgresFor(17);

    /// <summary>The image of major 15 the harness picks from the images file.</summary>
    public static string Image15 => DrillImages.FromEnvironment().PostgresFor(15);

    /// <summary>A one-run set written by the 17 image's own pg_dump.</summary>
    public Task<GeneratedSet> Pg17Async(CancellationToken ct = default) => pg17.Value.WaitAsync(ct);

    /// <summary>A one-run pgvector set written by the 17 image's own pg_dump.</summary>
    public Task<GeneratedSet> PgvectorAsync(CancellationToken ct = default) => pgvector.Value.WaitAsync(ct);

    /// <summary>A root holding one pg_dump 15 dump whose table of contents creates the extension <c>vector</c>.</summary>
    public Task<string> VectorExtensionOn15Async(CancellationToken ct = default) => vectorOn15.Value.WaitAsync(ct);

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Directory.Delete(folder, recursive: true);
        return ValueTask.CompletedTask;
    }

    private async Task<GeneratedSet> GenerateAsync(string name, bool pgvector)
    {
        var root = Path.Combine(folder, name);
        var runs = await new SampleBackupGenerator(new SampleBackupOptions
        {
            OutputDirectory = root,
            Runs = 1,
            Stores = SampleStores.Postgres,
            PostgresImage = Image17,
            Pgvector = pgvector,
            // A fresh set, so its age and recovery point are judged for real, not waived as the bundled sample's are.
            Newest = DateTimeOffset.UtcNow.AddMinutes(-30),
        }).GenerateAsync(CancellationToken.None);
        return new GeneratedSet(root, runs[^1]);
    }

    // A control file and an empty script make an extension pg_dump 15 records like any other; a fresh 15 container lacks it.
    private async Task<string> DumpWithExtensionOn15Async()
    {
        var root = Path.Combine(folder, "vector-on-15");
        Directory.CreateDirectory(Path.Combine(root, "postgres"));
        await using var container = new PostgreSqlBuilder(Image15)
            .WithName($"gittensory-drills-test-ext-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}")
            .WithDatabase("loopover")
            .WithUsername("loopover")
            .WithPassword(Secrets.NewSecret())
            .Build();
        await container.StartAsync();
        await ExecAsync(container, "sh", "-c",
            "d=/usr/share/postgresql/15/extension && printf \"default_version = '0.8.0'\\nrelocatable = true\\n\" >$d/vector.control && : >$d/vector--0.8.0.sql");
        await ExecAsync(container, "psql", "-v", "ON_ERROR_STOP=1", "-U", "loopover", "-d", "loopover", "-c",
            "CREATE EXTENSION vector; CREATE TABLE items (id integer PRIMARY KEY); INSERT INTO items SELECT generate_series(1, 10);");
        await ExecAsync(container, "pg_dump", "-Fc", "-U", "loopover", "-d", "loopover", "-f", "/tmp/extension.dump");
        var bytes = await container.ReadFileAsync("/tmp/extension.dump");
        await File.WriteAllBytesAsync(Path.Combine(root, "postgres", DumpName), bytes);
        return root;
    }

    /// <summary>The file name of the dump in <see cref="VectorExtensionOn15Async"/>'s root.</summary>
    public const string DumpName = "loopover-20260704T090939Z.dump";

    private static async Task ExecAsync(PostgreSqlContainer container, params string[] command)
    {
        var result = await container.ExecAsync(command);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{string.Join(' ', command)}' in {container.Name} exited {result.ExitCode}: {result.Stderr.Trim()}");
        }
    }
}
