using System.Diagnostics;
using System.Security.Cryptography;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Profiles;
using Gittensory.Drills.Restore;
using Gittensory.Drills.Sandbox;
using Microsoft.Data.Sqlite;

namespace Gittensory.Drills.Window;

/// <summary>
/// Reads one retained SQLite backup offline with the SQLite leg's own parts: SHA-256, expanded by <see cref="GzipExpander"/> (every member's CRC-32 and
/// length) into a scratch folder, opened read-only, <c>PRAGMA integrity_check</c>, every table counted, the ledger's names and the job counters;
/// the expanded copy is deleted before the next backup is read.
/// </summary>
internal static class SqliteWindowReader
{
    public static async Task<WindowBackup> ReadAsync(BackupFile backup, DrillProfile profile, string tempRoot, string runId, double maxRatio, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var result = new WindowBackup { Store = "sqlite", File = backup.RelativePath, Timestamp = backup.Timestamp, Bytes = backup.Bytes };
        await using (var stream = new FileStream(backup.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        {
            result = result with { Sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct)) };
        }

        var scratch = ScratchFolder.Create(tempRoot, runId, "window", keep: false);
        try
        {
            var copy = Path.Combine(scratch.Path, "window.sqlite");
            GzipExpansion expansion;
            try
            {
                expansion = await GzipExpander.ExpandAsync(backup.FullPath, backup.RelativePath, copy, maxRatio, scratch.FreeBytes, null, ct);
            }
            catch (Exception e) when (e is BackupRejectedException or ExpansionLimitException)
            {
                return result with { Problem = e.Message, Seconds = Seconds(watch) };
            }

            if (!SqliteFileHeader.TryParse(expansion.Head, out _))
            {
                return result with { Problem = SqliteIntegrityCheck.NotADatabase(backup.RelativePath, expansion.ExpandedBytes, expansion.Head).Found, Seconds = Seconds(watch) };
            }

            var connectionString = new SqliteConnectionStringBuilder { DataSource = copy, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
            await using var connection = new SqliteConnection(connectionString);
            try
            {
                await connection.OpenAsync(ct);
                var integrity = await SqliteFactsReader.IntegrityCheckAsync(connection, ct);
                if (integrity is not ["ok"])
                {
                    return result with { Problem = $"Backup '{backup.RelativePath}' fails PRAGMA integrity_check: {string.Join("; ", integrity.Take(3))}", Seconds = Seconds(watch) };
                }

                var tables = await SqliteFactsReader.ReadTablesAsync(connection, ct);
                var jobs = await SqliteFactsReader.ReadJobStateAsync(connection, profile, tables, ct);
                return result with
                {
                    Rows = tables.ToDictionary(t => t.Name, t => t.Rows, StringComparer.Ordinal),
                    Migrations = await SqliteFactsReader.ReadLedgerNamesAsync(connection, profile, tables, ct),
                    JobStats = jobs?.Stats,
                    Seconds = Seconds(watch),
                };
            }
            catch (Exception e) when (e is SqliteException or InvalidDataException && !ct.IsCancellationRequested)
            {
                return result with { Problem = $"SQLite could not read the expanded copy of '{backup.RelativePath}': {e.Message}", Seconds = Seconds(watch) };
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            scratch.Delete();
        }
    }

    private static double Seconds(Stopwatch watch) => Math.Round(watch.Elapsed.TotalSeconds, 3);
}
