using System.Diagnostics;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Preflight;
using Gittensory.Drills.Profiles;

namespace Gittensory.Drills.Window;

/// <summary>Reads one retained <c>pg_dump -Fc</c> archive offline with the preflight's reader: whole, every table counted from its data, SHA-256, the ledger's names and the job counters from their COPY data.</summary>
internal static class PgDumpWindowReader
{
    public static async Task<WindowBackup> ReadAsync(BackupFile backup, DrillProfile profile, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var result = new WindowBackup { Store = "postgres", File = backup.RelativePath, Timestamp = backup.Timestamp, Bytes = backup.Bytes };
        var ledger = profile.MigrationLedger is { } l ? $"{profile.Schema}.{l.Table}" : null;
        var stats = profile.Jobs is { } j ? $"{profile.Schema}.{j.StatsTable}" : null;
        try
        {
            var archive = await PgArchiveReader.ReadHeaderAndTocAsync(backup.FullPath, backup.RelativePath, ct);
            var counts = await PgArchiveReader.CountRowsAsync(backup.FullPath, archive, new[] { ledger, stats }.OfType<string>().ToList(), null, ct);
            result = result with { Sha256 = counts.Sha256 };
            if (counts.Status != PgRowCountStatus.Counted)
            {
                return result with { NotCounted = counts.Reason, Seconds = Seconds(watch) };
            }

            var rows = counts.Tables.Where(t => t.Key.Schema == profile.Schema).ToDictionary(t => t.Key.Name, t => t.Value, StringComparer.Ordinal);
            return result with
            {
                Rows = rows,
                Migrations = ledger is not null && counts.Captured.TryGetValue(ledger, out var names) ? names.ValuesOf(profile.MigrationLedger!.NameColumn)?.OfType<string>().ToList() : null,
                JobStats = stats is not null && counts.Captured.TryGetValue(stats, out var table) ? Counters(table, profile.Jobs!) : null,
                Seconds = Seconds(watch),
            };
        }
        catch (BackupRejectedException e)
        {
            return result with { Problem = e.Message, Seconds = Seconds(watch) };
        }
    }

    private static SortedDictionary<string, long>? Counters(PgCapturedTable table, JobQueueProfile jobs)
    {
        var names = table.ValuesOf(jobs.StatsNameColumn);
        var values = table.ValuesOf(jobs.StatsValueColumn);
        if (names is null || values is null)
        {
            return null;
        }

        var counters = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] is { } name && Checks.JobStateSql.Integer(values[i]) is { } value)
            {
                counters[name] = value;
            }
        }

        return counters;
    }

    private static double Seconds(Stopwatch watch) => Math.Round(watch.Elapsed.TotalSeconds, 3);
}
