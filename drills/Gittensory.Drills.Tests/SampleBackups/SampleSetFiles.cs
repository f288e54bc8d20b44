using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using Gittensory.Drills.SampleBackups;
using Microsoft.Data.Sqlite;

namespace Gittensory.Drills.Tests.SampleBackups;

/// <summary>Reads a sample backup set the way LoopOver's verify script and an operator would: gunzip, sqlite3, pg_restore --list.</summary>
internal static class SampleSetFiles
{
    /// <summary>The host's pg_restore (Debian's postgresql-client-15), when installed.</summary>
    public const string HostPgRestore = "/usr/bin/pg_restore";

    /// <summary>The 95 table names of the LoopOver profile (<c>tables</c>).</summary>
    public static IReadOnlyList<string> ProfileTables => ReadProfileList("tables");

    /// <summary>The 178 migration file names of the LoopOver profile (<c>migrations</c>), in order.</summary>
    public static IReadOnlyList<string> ProfileMigrations => ReadProfileList("migrations");

    /// <summary>The committed legacy (pre-rename, no manifest) set, <c>fixtures/sample-backups-legacy</c>.</summary>
    public static string LegacySampleBackups => Path.Combine(Fixtures.RepoPaths.Root, "fixtures", "sample-backups-legacy");

    /// <summary>Files of one store in a set, oldest first (names sort by time stamp).</summary>
    public static IReadOnlyList<string> FilesOf(string root, string folder, string suffix) =>
        Directory.EnumerateFiles(Path.Combine(root, folder), "*" + suffix).Order(StringComparer.Ordinal).ToList();

    /// <summary>Decompresses <paramref name="gz"/> completely (what <c>gzip -t</c> proves) into <paramref name="folder"/>.</summary>
    public static async Task<string> GunzipAsync(string gz, string folder, CancellationToken ct)
    {
        var target = Path.Combine(folder, Path.GetFileNameWithoutExtension(gz));
        await using var input = File.OpenRead(gz);
        await using var gzip = new GZipStream(input, CompressionMode.Decompress);
        await using var output = File.Create(target);
        await gzip.CopyToAsync(output, ct);
        return target;
    }

    /// <summary>Opens a SQLite file read-write without pooling, so closing it really closes (and checkpoints) it.</summary>
    public static SqliteConnection OpenSqlite(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public static string? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar()?.ToString();
    }

    public static List<string> Column(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    /// <summary>Every table's row count in a SQLite database (sqlite_sequence included).</summary>
    public static Dictionary<string, long> SqliteRowCounts(SqliteConnection connection) =>
        Column(connection, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .ToDictionary(t => t, t => long.Parse(Scalar(connection, $"SELECT count(*) FROM \"{t}\"")!, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Runs <c>pg_restore --list</c> on the host and returns its exit code, stdout and stderr.</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> HostPgRestoreListAsync(string dump, CancellationToken ct)
    {
        using var process = Process.Start(new ProcessStartInfo(HostPgRestore, ["--list", dump])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException($"Could not start {HostPgRestore}.");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The lines of a <c>pg_restore --list</c> that restore table data, one per table.</summary>
    public static List<string> TableDataEntries(string list) =>
        list.Split('\n').Where(l => !l.StartsWith(';') && l.Contains(" TABLE DATA public ", StringComparison.Ordinal)).ToList();

    private static List<string> ReadProfileList(string property)
    {
        using var profile = JsonDocument.Parse(File.ReadAllText(SampleBackupGenerator.ProfilePath));
        return profile.RootElement.GetProperty(property).EnumerateArray().Select(e => e.GetString()!).ToList();
    }
}
