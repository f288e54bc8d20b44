using System.Buffers.Binary;
using System.IO.Compression;
using System.Security.Cryptography;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.SampleBackups;
using Xunit;

namespace Gittensory.Drills.Tests.Cli;

/// <summary>
/// Backup sets whose drills last long enough to be signalled in a known phase, each made on first use and removed at the end:
/// a Postgres dump of the sample's schema with 300,000 <c>webhook_events</c> rows (pg_restore runs for seconds, and the tests
/// pause the container once it runs), and a SQLite backup that expands to 1.5 GiB (a real database header, then zero pages).
/// </summary>
public sealed class LongDrillSetsFixture : IAsyncDisposable
{
    /// <summary>The SQLite backup's expanded size: 1.5 GiB, seconds of expansion; its gzip trailer records it exactly (under 4 GiB).</summary>
    public const long SqliteExpandedBytes = 3L << 29;

    /// <summary>The <c>--max-expansion-ratio</c> the SQLite set needs: zero pages compress about a thousand to one.</summary>
    public const string SqliteExpansionRatio = "5000";

    private readonly string folder = Path.Combine(Path.GetTempPath(), $"gdrill-test-long-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
    private readonly Lazy<Task<string>> postgres;
    private readonly Lazy<Task<string>> sqlite;

    /// <summary>Creates the fixture; the sets are written when a test first asks for them.</summary>
    public LongDrillSetsFixture()
    {
        postgres = new Lazy<Task<string>>(() => WritePostgresAsync(Path.Combine(folder, "postgres-set")));
        sqlite = new Lazy<Task<string>>(() => WriteSqliteAsync(Path.Combine(folder, "sqlite-set")));
    }

    /// <summary>The root of the Postgres set (needs the engine: the generator dumps from a scratch Postgres).</summary>
    public async Task<string> PostgresRootAsync(CancellationToken ct = default)
    {
        await EngineGate.RequireEngineAsync(ct);
        return await postgres.Value.WaitAsync(ct);
    }

    /// <summary>The root of the SQLite set.</summary>
    public Task<string> SqliteRootAsync(CancellationToken ct = default) => sqlite.Value.WaitAsync(ct);

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    private static async Task<string> WritePostgresAsync(string root)
    {
        await new SampleBackupGenerator(new SampleBackupOptions
        {
            OutputDirectory = root,
            Runs = 1,
            Stores = SampleStores.Postgres,
            RowTargets = new Dictionary<string, int> { ["webhook_events"] = 300_000 },
        }).GenerateAsync(CancellationToken.None);
        return root;
    }

    private static async Task<string> WriteSqliteAsync(string root)
    {
        // The committed sample's first page (a real header), with the page count set so the trailer's size is the header's: the
        // scan takes it as a whole backup, and only the expansion is long.
        byte[] page;
        await using (var sample = new GZipStream(File.OpenRead(Path.Combine(RepoPaths.SampleBackups, "sqlite", "loopover-20260704T090939Z.sqlite.gz")), CompressionMode.Decompress))
        {
            page = new byte[4096];
            await sample.ReadExactlyAsync(page);
        }

        var pageSize = BinaryPrimitives.ReadUInt16BigEndian(page.AsSpan(16));
        BinaryPrimitives.WriteUInt32BigEndian(page.AsSpan(28), (uint)(SqliteExpandedBytes / pageSize));
        Directory.CreateDirectory(Path.Combine(root, "sqlite"));
        await using var file = File.Create(Path.Combine(root, "sqlite", "loopover-20260704T090939Z.sqlite.gz"));
        await using var gzip = new GZipStream(file, CompressionLevel.Optimal);
        await gzip.WriteAsync(page.AsMemory(0, pageSize));
        var zeros = new byte[1 << 20];
        for (var left = SqliteExpandedBytes - pageSize; left > 0; left -= zeros.Length)
        {
            await gzip.WriteAsync(zeros.AsMemory(0, (int)Math.Min(left, zeros.Length)));
        }

        return root;
    }
}
