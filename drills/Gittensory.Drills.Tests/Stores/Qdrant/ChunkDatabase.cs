using System.IO.Compression;
using Gittensory.Drills.Fixtures;
using Microsoft.Data.Sqlite;

namespace Gittensory.Drills.Tests.Stores.Qdrant;

/// <summary>
/// A real SQLite backup for the cross-store checks: the committed sample set's newest SQLite database with its repo_chunks rows
/// replaced by the given chunk ids, gzipped into <c>sqlite/</c> of a test's backups root under the sample's own time stamp.
/// Everything else in it stays the sample's, so the SQLite store's own checks pass.
/// </summary>
internal static class ChunkDatabase
{
    /// <summary>The time stamp of the sample's newest run, which the written backup carries.</summary>
    public static readonly DateTimeOffset Taken = new(2026, 7, 4, 9, 9, 39, TimeSpan.Zero);

    /// <summary>The backup's path relative to the root.</summary>
    public const string RelativePath = "sqlite/loopover-20260704T090939Z.sqlite.gz";

    /// <summary>Writes the backup under <paramref name="root"/> with exactly <paramref name="chunkIds"/> as repo_chunks ids.</summary>
    public static void Write(string root, IReadOnlyCollection<string> chunkIds)
    {
        var work = Directory.CreateTempSubdirectory("gdrill-test-chunks-").FullName;
        try
        {
            var database = Path.Combine(work, "loopover.sqlite");
            using (var source = new GZipStream(File.OpenRead(Path.Combine(RepoPaths.SampleBackups, RelativePath)), CompressionMode.Decompress))
            using (var target = File.Create(database))
            {
                source.CopyTo(target);
            }

            using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString()))
            {
                connection.Open();
                using var transaction = connection.BeginTransaction();
                using (var delete = connection.CreateCommand())
                {
                    delete.CommandText = "DELETE FROM repo_chunks";
                    delete.ExecuteNonQuery();
                }

                using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO repo_chunks (id, project, repo, path, chunk_index, kind, text, updated_at) VALUES ($id, 'proj', 'proj/repo', $id, 0, 'code', 'text', '2026-07-04T09:00:00.000Z')";
                var id = insert.Parameters.Add("$id", SqliteType.Text);
                foreach (var chunk in chunkIds)
                {
                    id.Value = chunk;
                    insert.ExecuteNonQuery();
                }

                transaction.Commit();
                using var checkpoint = connection.CreateCommand();
                checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
                checkpoint.ExecuteNonQuery();
            }

            var backup = Path.Combine(root, RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(backup)!);
            using var input = File.OpenRead(database);
            using var output = new GZipStream(File.Create(backup), CompressionLevel.Fastest);
            input.CopyTo(output);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
