using System.IO.Compression;
using Microsoft.Data.Sqlite;

namespace Gittensory.Drills.Tests.Reporting;

/// <summary>A backups root holding one real SQLite backup (sqlite3 file, gzipped) whose tables have the names a test gives, each with a few rows.</summary>
internal static class CraftedSqliteBackup
{
    /// <summary>Table names that try to break out of every report format: HTML, Markdown (links, images), Prometheus labels, workflow commands.</summary>
    public static readonly string[] HostileTableNames =
    [
        "<script>console.error('injected script ran')</script>",
        "<img src=\"http://127.0.0.1:9/pixel.png\" onerror=\"console.error('injected img')\">",
        "![pixel](http://127.0.0.1:9/markdown.png) [link](javascript:console.error('x'))",
        "quote\" back\\slash\nnew line, comma: colon %25",
    ];

    /// <summary>Creates the root; the backup's time stamp is now, so that its age passes.</summary>
    public static string Create(IReadOnlyList<string> tables)
    {
        var root = Directory.CreateTempSubdirectory("gdrill-test-crafted-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "sqlite"));
        var database = Path.Combine(root, "crafted.sqlite");
        using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            connection.Open();
            for (var t = 0; t < tables.Count; t++)
            {
                var name = "\"" + tables[t].Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
                using var create = connection.CreateCommand();
                create.CommandText = $"CREATE TABLE {name} (id INTEGER PRIMARY KEY, body TEXT); " +
                                     string.Concat(Enumerable.Range(1, t + 2).Select(i => $"INSERT INTO {name} (body) VALUES ('row {i}');"));
                create.ExecuteNonQuery();
            }
        }

        var stamp = DateTime.UtcNow.AddMinutes(-5).ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        using (var source = File.OpenRead(database))
        using (var target = File.Create(Path.Combine(root, "sqlite", $"loopover-{stamp}.sqlite.gz")))
        using (var gzip = new GZipStream(target, CompressionLevel.Fastest))
        {
            source.CopyTo(gzip);
        }

        File.Delete(database);
        return root;
    }
}
