using System.Security.Cryptography;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.Tests.Stores.Sqlite;
using Gittensory.Drills.Window;
using Microsoft.Data.Sqlite;

namespace Gittensory.Drills.Tests.Window;

/// <summary>A copy of the committed sample set (three real pg_dump archives, three real SQLite backups) to break on purpose, and the window read over it.</summary>
public sealed class WindowSet : IDisposable
{
    public const string OldestDump = "postgres/loopover-20260702T090939Z.dump";
    public const string MiddleDump = "postgres/loopover-20260703T090939Z.dump";
    public const string NewestDump = "postgres/loopover-20260704T090939Z.dump";
    public const string OldestSqlite = "sqlite/loopover-20260702T090939Z.sqlite.gz";
    public const string MiddleSqlite = "sqlite/loopover-20260703T090939Z.sqlite.gz";
    public const string NewestSqlite = SampleSetCopy.NewestSqlite;

    public SampleSetCopy Copy { get; } = new();

    public string PathOf(string relative) => Copy.PathOf(relative);

    /// <summary>Options for a drill of the copy (both database stores), judged an hour after its newest run.</summary>
    public DrillOptions Options() => Copy.Options() with { Stores = new HashSet<BackupStore> { BackupStore.Postgres, BackupStore.Sqlite } };

    /// <summary>Scans the copy and reads its window.</summary>
    public async Task<(WindowReport Report, IReadOnlyList<Gittensory.Drills.Checks.CheckResult> Checks)> ReadAsync(DrillOptions? options = null, CancellationToken ct = default)
    {
        options ??= Options();
        var set = await BackupSetScan.ScanAsync(DrillPipeline.ScanOptions(options), ct);
        return await BackupWindow.VerifyAsync(options, set, options.Stores!, ct);
    }

    /// <summary>XORs <paramref name="count"/> bytes halfway between <paramref name="from"/> and the end of <paramref name="relative"/>.</summary>
    public void FlipBytes(string relative, int count = 16, long from = 0)
    {
        var path = PathOf(relative);
        var bytes = File.ReadAllBytes(path);
        var at = from + ((bytes.Length - from) / 2);
        for (var i = 0; i < count; i++)
        {
            bytes[at + i] ^= 0xff;
        }

        File.WriteAllBytes(path, bytes);
    }

    /// <summary>XORs <paramref name="count"/> bytes in the middle of a dump's data section (past its table of contents).</summary>
    public async Task FlipDataBytesAsync(string relative, int count = 16, CancellationToken ct = default)
    {
        var archive = await Gittensory.Drills.Preflight.PgArchiveReader.ReadHeaderAndTocAsync(PathOf(relative), relative, ct);
        FlipBytes(relative, count, archive.DataStart);
    }

    /// <summary>Exchanges the contents of two backups, so that their data no longer grows with their time stamps.</summary>
    public void Swap(string a, string b)
    {
        var (first, second) = (File.ReadAllBytes(PathOf(a)), File.ReadAllBytes(PathOf(b)));
        File.WriteAllBytes(PathOf(a), second);
        File.WriteAllBytes(PathOf(b), first);
    }

    /// <summary>Expands a SQLite backup, runs <paramref name="sql"/> on it, and gzips it back in its place (the manifest's byte count follows for the newest).</summary>
    public async Task EditSqliteAsync(string relative, string sql, CancellationToken ct)
    {
        var work = Directory.CreateTempSubdirectory("gdrill-test-window-edit-").FullName;
        try
        {
            var database = Path.Combine(work, "edit.sqlite");
            await using (var input = File.OpenRead(PathOf(relative)))
            await using (var gzip = new System.IO.Compression.GZipStream(input, System.IO.Compression.CompressionMode.Decompress))
            await using (var output = File.Create(database))
            {
                await gzip.CopyToAsync(output, ct);
            }

            await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString()))
            {
                await connection.OpenAsync(ct);
                await using var command = connection.CreateCommand();
                command.CommandText = sql;
                await command.ExecuteNonQueryAsync(ct);
            }

            var bytes = SampleSetCopy.Gzip(await File.ReadAllBytesAsync(database, ct));
            if (relative == NewestSqlite)
            {
                Copy.ReplaceNewestSqlite(bytes);
            }
            else
            {
                await File.WriteAllBytesAsync(PathOf(relative), bytes, ct);
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    public string Sha256(string relative) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(PathOf(relative))));

    public void Dispose() => Copy.Dispose();
}
