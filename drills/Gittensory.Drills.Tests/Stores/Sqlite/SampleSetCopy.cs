using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.Fixtures;
using Microsoft.Data.Sqlite;

namespace Gittensory.Drills.Tests.Stores.Sqlite;

/// <summary>
/// A copy of the committed sample set (fixtures/sample-backups) in a temporary folder, to break on purpose, with a private
/// temporary root for the drill's scratch folder and a reports folder beside it; all removed on dispose.
/// </summary>
public sealed class SampleSetCopy : IDisposable
{
    /// <summary>The newest SQLite backup of the sample set, relative to its root.</summary>
    public const string NewestSqlite = "sqlite/loopover-20260704T090939Z.sqlite.gz";

    /// <summary>The time stamp of the sample set's newest run.</summary>
    public static readonly DateTimeOffset NewestRun = new(2026, 7, 4, 9, 9, 39, TimeSpan.Zero);

    private readonly string scratch = Directory.CreateTempSubdirectory("gdrill-test-sqlite-").FullName;

    public SampleSetCopy(bool withPostgres = true)
    {
        Root = Path.Combine(scratch, "backups");
        TempRoot = Directory.CreateDirectory(Path.Combine(scratch, "tmp")).FullName;
        Reports = Path.Combine(scratch, "reports");
        foreach (var file in Directory.GetFiles(RepoPaths.SampleBackups, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(RepoPaths.SampleBackups, file);
            if (relative == "README.md" || (!withPostgres && relative.StartsWith("postgres", StringComparison.Ordinal)))
            {
                continue;
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(Root, relative))!);
            File.Copy(file, Path.Combine(Root, relative));
        }

        if (!withPostgres)
        {
            EditManifest(m => m["postgres"] = null);
        }
    }

    /// <summary>The copied backups root.</summary>
    public string Root { get; }

    /// <summary>The drill's temporary root (its scratch folder goes inside); empty after every drill.</summary>
    public string TempRoot { get; }

    /// <summary>Where the drill's reports go.</summary>
    public string Reports { get; }

    /// <summary>Options for a SQLite drill of the copy, judged an hour after its newest run (so its age passes).</summary>
    public DrillOptions Options() => new()
    {
        BackupRoot = Root,
        Stores = new HashSet<BackupStore> { BackupStore.Sqlite },
        ReportsRoot = Reports,
        TempRoot = TempRoot,
        Clock = new FixedClock(NewestRun.AddHours(1)),
    };

    public string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>Replaces the newest SQLite backup's bytes, and the manifest's byte count with them (so only the backup is broken).</summary>
    public void ReplaceNewestSqlite(byte[] bytes)
    {
        File.WriteAllBytes(PathOf(NewestSqlite), bytes);
        EditManifest(m => m["sqlite"]!["bytes"] = bytes.Length);
    }

    /// <summary>Expands the newest SQLite backup, runs <paramref name="sql"/> on it read-write, gzips it back in its place; returns the database's path.</summary>
    public async Task<string> EditNewestDatabaseAsync(string sql, CancellationToken ct)
    {
        var database = await ExpandNewestAsync(ct);
        await using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString()))
        {
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(ct);
        }

        ReplaceNewestSqlite(Gzip(await File.ReadAllBytesAsync(database, ct)));
        return database;
    }

    /// <summary>The newest SQLite backup expanded (by .NET's GZipStream) into this copy's own work folder.</summary>
    public async Task<string> ExpandNewestAsync(CancellationToken ct)
    {
        var work = Directory.CreateDirectory(Path.Combine(scratch, "work")).FullName;
        var database = Path.Combine(work, "newest.sqlite");
        await using (var input = File.OpenRead(PathOf(NewestSqlite)))
        await using (var gzip = new GZipStream(input, CompressionMode.Decompress))
        await using (var output = File.Create(database))
        {
            await gzip.CopyToAsync(output, ct);
        }

        return database;
    }

    public void EditManifest(Action<JsonObject> edit)
    {
        var path = PathOf("manifest.json");
        var manifest = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        edit(manifest);
        File.WriteAllText(path, manifest.ToJsonString());
    }

    /// <summary>Each file under the root (relative path) with its SHA-256.</summary>
    public SortedDictionary<string, string> Fingerprint() =>
        new(Directory.GetFiles(Root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(Root, f), f => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))), StringComparer.Ordinal);

    public static byte[] Gzip(byte[] data)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    public void Dispose() => Directory.Delete(scratch, recursive: true);
}
