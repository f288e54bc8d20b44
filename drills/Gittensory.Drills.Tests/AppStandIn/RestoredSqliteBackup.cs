using System.IO.Compression;
using System.Security.Cryptography;
using Gittensory.Drills.Fixtures;
using Microsoft.Data.Sqlite;

namespace Gittensory.Drills.Tests.AppStandIn;

/// <summary>
/// The committed sample set's newest SQLite backup (<c>fixtures/sample-backups/sqlite/*.sqlite.gz</c>, LoopOver's 178 migrations in
/// its ledger) gunzipped into a temp folder of its own, as a restore would leave it; deleted on dispose.
/// </summary>
public sealed class RestoredSqliteBackup : IDisposable
{
    private RestoredSqliteBackup(string folder, string path, string backup)
    {
        Folder = folder;
        Path = path;
        Backup = backup;
    }

    /// <summary>The temp folder holding the database (writable by anyone, so the image's uid 65534 can create -wal/-shm in it).</summary>
    public string Folder { get; }

    /// <summary>The restored database file, <c>loopover.sqlite</c> (the image's default name).</summary>
    public string Path { get; }

    /// <summary>The backup it came from.</summary>
    public string Backup { get; }

    /// <summary>Gunzips the newest sample backup into a new temp folder.</summary>
    public static RestoredSqliteBackup Create()
    {
        var backup = Directory.GetFiles(System.IO.Path.Combine(RepoPaths.SampleBackups, "sqlite"), "*.sqlite.gz").Order(StringComparer.Ordinal).LastOrDefault()
            ?? throw new FileNotFoundException($"No *.sqlite.gz in '{System.IO.Path.Combine(RepoPaths.SampleBackups, "sqlite")}'; the committed sample set is incomplete.");
        var folder = Directory.CreateTempSubdirectory("gittensory-drills-standin-sqlite-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(folder, (UnixFileMode)0x1FF); // 0777: the image runs as uid 65534
        }

        var path = System.IO.Path.Combine(folder, "loopover.sqlite");
        using (var gz = new GZipStream(File.OpenRead(backup), CompressionMode.Decompress))
        using (var file = File.Create(path))
        {
            gz.CopyTo(file);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)0x1B6); // 0666
        }

        return new RestoredSqliteBackup(folder, path, backup);
    }

    /// <summary>The file's SHA-256 (lowercase hex).</summary>
    public string Sha256()
    {
        using var file = File.OpenRead(Path);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }

    /// <summary>True when <c>-wal</c> or <c>-shm</c> files exist beside the database.</summary>
    public bool HasWalFiles => File.Exists(Path + "-wal") || File.Exists(Path + "-shm");

    /// <summary>The ledger's rows (name → applied_at) in the file, empty when the ledger table does not exist.</summary>
    public async Task<IReadOnlyDictionary<string, string>> LedgerAsync(CancellationToken ct = default)
    {
        var rows = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var connection = Open();
        await connection.OpenAsync(ct);
        await using (var exists = connection.CreateCommand())
        {
            exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_selfhost_migrations'";
            if ((long)(await exists.ExecuteScalarAsync(ct))! == 0)
            {
                return rows;
            }
        }

        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT name, applied_at FROM _selfhost_migrations";
        await using var reader = await select.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows[reader.GetString(0)] = reader.GetString(1);
        }

        return rows;
    }

    /// <summary>Runs SQL against the file.</summary>
    public async Task<object?> ScalarAsync(string sql, CancellationToken ct = default)
    {
        await using var connection = Open();
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(ct);
    }

    /// <summary>Deletes the temp folder.</summary>
    public void Dispose() => Directory.Delete(Folder, recursive: true);

    private SqliteConnection Open() => new(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ConnectionString);
}
