using System.Diagnostics;
using Gittensory.Drills.Sandbox;
using Npgsql;

namespace Gittensory.Drills.Restore;

/// <summary>
/// Runs <c>pg_restore</c> inside the scratch container (so client and server versions match): parallel, without owners or
/// privileges, stopping at the first error; reports progress from the server's own statistics while it runs, and says each time
/// a table's data is in (its verbose "finished item ... TABLE DATA" line), so that the table can be measured beside the rest.
/// </summary>
public static class PgRestoreRunner
{
    /// <summary>
    /// Restores the mounted backup into the scratch database; the outcome carries exit code and stderr, it does not throw on failure.
    /// <paramref name="archivedRows"/> gives the rows counted in the archive for the progress lines (0 while the offline count still runs).
    /// Throws <see cref="RestoreTimeoutException"/> when pg_restore runs longer than <paramref name="timeout"/> (a paused or starved container).
    /// <paramref name="cpus"/> is how many CPUs the container sees (<see cref="ScratchPostgres.RestoreToolAsync"/>): one job each, at most 8.
    /// <paramref name="tableDataDone"/> gets the TOC entry's dump id of each table whose data a parallel job has committed (with one
    /// job pg_restore does not say, and it is never called); it runs on the reading thread, so it must be quick.
    /// </summary>
    public static async Task<RestoreOutcome> RunAsync(
        ScratchPostgres scratch, int cpus, Func<long> archivedRows, TextWriter log, TimeSpan progressInterval, TimeSpan timeout,
        Action<int>? tableDataDone = null, CancellationToken ct = default)
    {
        var jobs = Math.Clamp(cpus, 1, 8);
        string[] command =
        [
            "pg_restore", "--host=/var/run/postgresql", $"--username={ScratchPostgres.User}", $"--dbname={ScratchPostgres.Database}",
            "--no-owner", "--no-privileges", "--exit-on-error", "--verbose", $"--jobs={jobs}", scratch.BackupPathInContainer,
        ];
        var stderr = new List<string>();

        var clock = Stopwatch.StartNew();
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(timeout);
        using var progressStop = CancellationTokenSource.CreateLinkedTokenSource(bound.Token);
        var last = new LastProgress();
        var progress = ReportProgressAsync(scratch, archivedRows, log, clock, progressInterval, last, progressStop.Token);
        long exitCode;
        try
        {
            exitCode = await EngineApi.ExecStreamingAsync(scratch.Container.Id, command, line =>
            {
                foreach (var item in PgRestoreLog.FinishedTableDataItems(line))
                {
                    tableDataDone?.Invoke(item);
                }

                if (!PgRestoreLog.IsProgress(line))
                {
                    stderr.Add(line);
                }
            }, bound.Token);
        }
        catch (OperationCanceledException) when (bound.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            await progressStop.CancelAsync();
            await progress;
            throw new RestoreTimeoutException(await TimeoutMessageAsync(scratch, timeout, last.Line));
        }
        finally
        {
            await progressStop.CancelAsync();
        }

        await progress;
        return new RestoreOutcome(string.Join(' ', command), jobs, exitCode, string.Join('\n', stderr).Trim(), clock.Elapsed);
    }

    /// <summary>"2 h", "90 min", "20 s": a bound as an operator wrote it.</summary>
    public static string Describe(TimeSpan bound) =>
        bound.TotalHours >= 1 && bound.TotalHours == Math.Floor(bound.TotalHours) ? $"{bound.TotalHours:0} h"
        : bound.TotalMinutes >= 1 && bound.TotalMinutes == Math.Floor(bound.TotalMinutes) ? $"{bound.TotalMinutes:0} min"
        : $"{bound.TotalSeconds:0.###} s";

    private static async Task<string> TimeoutMessageAsync(ScratchPostgres scratch, TimeSpan timeout, string? lastProgress)
    {
        string state;
        try
        {
            using var quick = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var inspection = await EngineApi.InspectContainerAsync(scratch.Container.Id, quick.Token);
            state = $"the engine says the container is {inspection.Status}";
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            state = $"the engine did not describe the container ({e.GetType().Name})";
        }

        return $"pg_restore in the scratch container '{scratch.Name}' did not finish within the restore timeout of {Describe(timeout)} " +
               $"(-RestoreTimeout / --restore-timeout, in seconds); {state}; last progress: {lastProgress ?? "none reported"}. " +
               "A paused or starved container stalls the restore: check it with 'docker inspect' and the engine's free CPU and disk, " +
               "or give a larger -RestoreTimeout for a dump that needs longer. The drill stopped waiting; its teardown removes the container (unless -KeepSandbox).";
    }

    private static async Task ReportProgressAsync(
        ScratchPostgres scratch, Func<long> archivedRows, TextWriter log, Stopwatch clock, TimeSpan interval, LastProgress last, CancellationToken ct)
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
                last.Line = $"{rows:N0}{of} rows{share} after {clock.Elapsed.TotalSeconds:0} s";
                await log.WriteLineAsync($"  restoring: {last.Line}");
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

    private sealed class LastProgress
    {
        public volatile string? Line;
    }
}
