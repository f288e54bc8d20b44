using System.Diagnostics;
using Gittensory.Drills.Sandbox;
using Npgsql;

namespace Gittensory.Drills.Restore;

/// <summary>
/// Runs <c>pg_restore</c> inside the scratch container (so client and server versions match): parallel, without owners or
/// privileges, stopping at the first error; reports progress from the server's own statistics while it runs.
/// </summary>
public static class PgRestoreRunner
{
    /// <summary>Restores the mounted backup into the scratch database; the outcome carries exit code and stderr, it does not throw on failure.
    /// <paramref name="archivedRows"/> gives the rows counted in the archive for the progress lines (0 while the offline count still runs).</summary>
    public static async Task<RestoreOutcome> RunAsync(
        ScratchPostgres scratch, Func<long> archivedRows, TextWriter log, TimeSpan progressInterval, CancellationToken ct = default)
    {
        var jobs = Math.Clamp(await scratch.CpuCountAsync(ct), 1, 8);
        string[] command =
        [
            "pg_restore", "--host=/var/run/postgresql", $"--username={ScratchPostgres.User}", $"--dbname={ScratchPostgres.Database}",
            "--no-owner", "--no-privileges", "--exit-on-error", $"--jobs={jobs}", scratch.BackupPathInContainer,
        ];

        var clock = Stopwatch.StartNew();
        using var progressStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var progress = ReportProgressAsync(scratch, archivedRows, log, clock, progressInterval, progressStop.Token);
        var result = await scratch.ExecAsync(command, check: false, ct: ct);
        await progressStop.CancelAsync();
        await progress;
        return new RestoreOutcome(string.Join(' ', command), jobs, result.ExitCode ?? -1, result.Stderr.Trim(), clock.Elapsed);
    }

    private static async Task ReportProgressAsync(
        ScratchPostgres scratch, Func<long> archivedRows, TextWriter log, Stopwatch clock, TimeSpan interval, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(interval, ct);
                await using var connection = new NpgsqlConnection(scratch.ConnectionString);
                await connection.OpenAsync(ct);
                await using var query = new NpgsqlCommand("SELECT coalesce(sum(n_tup_ins), 0)::bigint FROM pg_stat_user_tables", connection);
                var rows = (long)(await query.ExecuteScalarAsync(ct) ?? 0L);
                var archived = archivedRows();
                var share = archived > 0 ? $" ({Math.Min(100, 100.0 * rows / archived):0}%)" : "";
                var of = archived > 0 ? $" of {archived:N0}" : "";
                await log.WriteLineAsync($"  restoring: {rows:N0}{of} rows{share} after {clock.Elapsed.TotalSeconds:0} s");
            }
        }
        catch (OperationCanceledException)
        {
            // The restore finished (or the drill was cancelled): progress stops here.
        }
        catch (NpgsqlException)
        {
            // Progress is best effort; the restore's own outcome is what counts.
        }
    }
}
