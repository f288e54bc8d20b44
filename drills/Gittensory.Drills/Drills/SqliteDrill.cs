using System.Diagnostics;
using System.Security.Cryptography;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Restore;
using Gittensory.Drills.Sandbox;
using Microsoft.Data.Sqlite;

namespace Gittensory.Drills.Drills;

/// <summary>
/// The SQLite leg: find the newest <c>sqlite/&lt;prefix&gt;-&lt;ts&gt;.sqlite.gz</c>, expand it into a folder of the drill's own
/// (checking every gzip member's CRC-32 and length, and capping the expansion), open the copy read-only, and judge it:
/// SQLite's full integrity check, foreign keys, every table's exact row count, the profile, the ledger, the recovery
/// point and the age. No container is needed, and nothing is ever written beside the original backup.
/// </summary>
public sealed class SqliteDrill : IStoreDrill
{
    /// <summary>Name of the check that the backup is whole gzip whose CRC-32 and length match its trailer.</summary>
    public const string GzipCheck = "sqlite.gzip";

    /// <summary>Name of the check that the expanded backup is a SQLite file passing <c>PRAGMA integrity_check</c>.</summary>
    public const string IntegrityCheck = SqliteIntegrityCheck.Name;

    /// <summary>Name of the check of <c>PRAGMA foreign_key_check</c>.</summary>
    public const string ForeignKeysCheck = ForeignKeyCheck.Name;

    /// <summary>Name of the check that every table was read and counted.</summary>
    public const string TablesCheck = SqliteTablesCheck.Name;

    private const string GzipTitle = "The backup is whole gzip: every member ends, and its CRC-32 and length match its trailer";

    private DrillOptions options = null!;
    private LegRecorder leg = null!;
    private BackupSelection? selection;
    private string? sha256;
    private ScratchFolder? scratch;
    private GzipExpansion? expansion;
    private DatabaseFacts? facts;
    private long lastProgressTicks;
    private readonly Stopwatch clock = new();

    /// <inheritdoc />
    public BackupStore Store => BackupStore.Sqlite;

    /// <inheritdoc />
    public async Task<LegReport> RunAsync(DrillOptions options, CancellationToken ct = default)
    {
        this.options = options;
        leg = new LegRecorder("sqlite", options.Log);
        clock.Start();
        await leg.RunAsync(async token =>
        {
            await leg.TimedAsync("discover", DiscoverAsync, token);
            try
            {
                await leg.TimedAsync("expand", ExpandAsync, token);
                await leg.TimedAsync("verify", VerifyAsync, token);
            }
            finally
            {
                CleanUp();
            }
        }, ct);

        return leg.Report(selection, sha256) with
        {
            Tables = facts is null ? [] : [.. facts.Tables.Select(t => new TableReport(t.Name, t.Rows, t.Rows))],
            RecoveryPointMinutes = facts is null ? null : RecencyCheck.RecoveryPointMinutes(facts.Activity, selection?.Backup.Timestamp),
        };
    }

    private async Task DiscoverAsync(CancellationToken ct)
    {
        selection = await leg.FindBackupAsync(options, BackupStore.Sqlite, ct);
    }

    private async Task ExpandAsync(CancellationToken ct)
    {
        var backup = selection!.Backup;
        await using (var stream = new FileStream(backup.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        {
            sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
        }

        try
        {
            scratch = ScratchFolder.Create(options.TempRoot ?? Path.GetTempPath(), options.RunId, "sqlite", options.KeepSandbox);
        }
        catch (IOException e)
        {
            throw new DrillAbortedException(DrillVerdict.Error, $"The SQLite leg could not make its scratch folder: {e.Message}");
        }

        var copy = Path.Combine(scratch.Path, Path.GetFileNameWithoutExtension(backup.FullPath));
        var free = scratch.FreeBytes;
        await options.Log.WriteLineAsync($"Expanding {backup.RelativePath} into {scratch.Path} (at most {options.MaxExpansionRatio:0.##} times its size; {free:N0} bytes free there)");
        var expected = $"gzip members that each end before the file does, with the CRC-32 and length their trailers record; at most {options.MaxExpansionRatio:0.##} times " +
                       "the compressed size and the scratch folder's free space";
        try
        {
            var progress = new Progress<long>(ReportProgress);
            expansion = await GzipExpander.ExpandAsync(backup.FullPath, backup.RelativePath, copy, options.MaxExpansionRatio, free, progress, ct);
        }
        catch (BackupRejectedException e)
        {
            throw new DrillAbortedException(DrillVerdict.Failed, e.Message, CheckResult.Fail(GzipCheck, GzipTitle, expected, e.Message));
        }
        catch (ExpansionLimitException e)
        {
            throw new DrillAbortedException(DrillVerdict.Error, e.Message, CheckResult.Fail(GzipCheck, GzipTitle, expected, e.Message));
        }

        var members = expansion.Members == 1 ? "1 gzip member" : $"{expansion.Members} gzip members";
        leg.Checks.Add(CheckResult.Pass(GzipCheck, GzipTitle, expected,
            $"{members}, {expansion.CompressedBytes:N0} bytes expanded to {expansion.ExpandedBytes:N0} ({expansion.Ratio:0.0} to 1), CRC-32 and length as recorded"));
    }

    private void ReportProgress(long expanded)
    {
        var now = clock.ElapsedTicks;
        if (now - lastProgressTicks < options.ProgressInterval.TotalSeconds * Stopwatch.Frequency)
        {
            return;
        }

        lastProgressTicks = now;
        options.Log.WriteLine($"  expanding: {expanded:N0} bytes written");
    }

    private async Task VerifyAsync(CancellationToken ct)
    {
        var backup = selection!.Backup;
        var copy = Path.Combine(scratch!.Path, Path.GetFileNameWithoutExtension(backup.FullPath));
        if (!SqliteFileHeader.TryParse(expansion!.Head, out var header))
        {
            var check = SqliteIntegrityCheck.NotADatabase(backup.RelativePath, expansion.ExpandedBytes, expansion.Head);
            throw new DrillAbortedException(DrillVerdict.Failed, check.Found, check);
        }

        // Read-only, unpooled (so closing really closes), on the copy only: LoopOver's backups are in WAL mode, and even a
        // read-only connection may create -wal/-shm files beside the file it opens. The original is never opened by SQLite.
        var connectionString = new SqliteConnectionStringBuilder { DataSource = copy, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        await using var connection = new SqliteConnection(connectionString);
        var step = IntegrityCheck;
        try
        {
            await connection.OpenAsync(ct);
            using var interrupt = ct.Register(() => SQLitePCL.raw.sqlite3_interrupt(connection.Handle));
            await using (var queryOnly = connection.CreateCommand())
            {
                queryOnly.CommandText = "PRAGMA query_only = ON";
                await queryOnly.ExecuteNonQueryAsync(ct);
            }

            await options.Log.WriteLineAsync($"Running PRAGMA integrity_check on the copy ({expansion.ExpandedBytes:N0} bytes)");
            var integrity = SqliteIntegrityCheck.Evaluate(header, expansion.ExpandedBytes, await SqliteFactsReader.IntegrityCheckAsync(connection, ct));
            leg.Checks.Add(integrity);
            if (integrity.Verdict == CheckVerdict.Failed)
            {
                throw new DrillAbortedException(DrillVerdict.Failed, integrity.Found, integrity);
            }

            step = ForeignKeysCheck;
            leg.Checks.Add(ForeignKeyCheck.Evaluate(
                await SqliteFactsReader.ForeignKeyCountAsync(connection, ct), await SqliteFactsReader.ForeignKeyViolationsAsync(connection, ct)));

            step = TablesCheck;
            await options.Log.WriteLineAsync("Counting every table's rows");
            facts = await SqliteFactsReader.ReadAsync(connection, options.Profile, ct);
        }
        catch (SqliteException) when (ct.IsCancellationRequested)
        {
            throw new OperationCanceledException(ct);
        }
        catch (SqliteException e)
        {
            var check = step == IntegrityCheck
                ? SqliteIntegrityCheck.Unreadable(backup.RelativePath, e.Message)
                : step == TablesCheck ? SqliteTablesCheck.Unreadable($"SQLite could not read the copy: {e.Message}")
                : CheckResult.Fail(step, "SQLite read the database", "no error", $"SQLite could not read the copy: {e.Message}");
            throw new DrillAbortedException(DrillVerdict.Failed, check.Found, check);
        }
        catch (InvalidDataException e)
        {
            var check = SqliteTablesCheck.Unreadable(e.Message);
            throw new DrillAbortedException(DrillVerdict.Failed, check.Found, check);
        }

        leg.Checks.Add(SqliteTablesCheck.Evaluate(facts.Tables));
        leg.Checks.AddRange(ProfileChecks.Evaluate(options.Profile, facts, BackupStore.Sqlite));
        leg.Checks.Add(LedgerCheck.Evaluate(options.Profile, facts.Ledger));
        leg.Checks.Add(RecencyCheck.Evaluate(options.Profile, facts.Activity, backup.Timestamp));
        leg.Checks.Add(DrillAge.Check(options, backup.Timestamp));
    }

    private void CleanUp()
    {
        if (scratch is null)
        {
            return;
        }

        try
        {
            if (!scratch.Delete())
            {
                leg.Notes.Add($"The expanded copy was kept for inspection in '{scratch.Path}' (-KeepSandbox); delete that folder when done.");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            leg.Notes.Add($"The scratch folder '{scratch.Path}' could not be removed ({e.Message}); delete it by hand.");
        }
    }
}
