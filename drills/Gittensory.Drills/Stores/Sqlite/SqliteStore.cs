using System.Diagnostics;
using System.Security.Cryptography;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Restore;
using Gittensory.Drills.Sandbox;
using Microsoft.Data.Sqlite;

namespace Gittensory.Drills.Stores.Sqlite;

/// <summary>
/// The SQLite store (LoopOver's default install): expand the chosen <c>sqlite/&lt;prefix&gt;-&lt;ts&gt;.sqlite.gz</c> into a folder of the
/// drill's own (checking every gzip member's CRC-32 and length, and capping the expansion), open the copy read-only, and judge it:
/// SQLite's full integrity check, foreign keys, every table's exact row count, the profile, the ledger, the recovery
/// point and the age. No container is needed, and nothing is ever written beside the original backup. The application boots on
/// a writable copy of its own, never on the backup or the measured copy.
/// </summary>
internal sealed class SqliteStore : IDatabaseStore, IRestoredDatabase
{
    private const string GzipCheck = SqliteCheckNames.Gzip;
    private const string IntegrityCheck = SqliteCheckNames.Integrity;
    private const string ForeignKeysCheck = SqliteCheckNames.ForeignKeys;
    private const string TablesCheck = SqliteCheckNames.Tables;

    private const string GzipTitle = "The backup is whole gzip: every member ends, and its CRC-32 and length match its trailer";

    /// <summary>The folder inside the application's container that holds its writable copy (LoopOver's image default: <c>/data</c>).</summary>
    public const string AppDataFolder = "/data";

    private readonly DrillOptions options;
    private readonly BackupSelection selection;
    private readonly LegRecorder leg;
    private readonly Stopwatch clock = new();
    private string? sha256;
    private ScratchFolder? scratch;
    private ScratchFolder? bootFolder;
    private string? bootCopy;
    private GzipExpansion? expansion;
    private SandboxReport? sandboxReport;
    private DatabaseFacts? facts;
    private long lastProgressTicks;

    /// <param name="options">The drill's options.</param>
    /// <param name="selection">The backup the scan chose.</param>
    public SqliteStore(DrillOptions options, BackupSelection selection)
    {
        this.options = options;
        this.selection = selection;
        leg = new LegRecorder("sqlite", options.Log);
        leg.Checks.Add(selection.ManifestCheck);
    }

    /// <inheritdoc />
    public BackupStore Store => BackupStore.Sqlite;

    /// <inheritdoc />
    public bool NeedsEngine => false;

    /// <summary>The restored database once it was measured; null when the store stopped before.</summary>
    public IRestoredDatabase? Restored => facts is not null && leg.StoppedWith is null ? this : null;

    /// <inheritdoc />
    string IRestoredDatabase.Store => "sqlite";

    /// <inheritdoc />
    public BackupFile Backup => selection.Backup;

    /// <inheritdoc />
    public DatabaseFacts Facts => facts ?? throw new InvalidOperationException("The SQLite store has not been measured.");

    private string MeasuredCopy => Path.Combine(scratch!.Path, Path.GetFileNameWithoutExtension(selection.Backup.FullPath));

    /// <inheritdoc />
    public async Task RunAsync(SandboxLease sandbox, CancellationToken ct = default)
    {
        clock.Start();
        await options.Log.WriteLineAsync($"sqlite backup: {selection.Backup.RelativePath} ({selection.Backup.Bytes:N0} bytes), chosen by {selection.SelectedBy}");
        await leg.RunAsync(async token =>
        {
            await leg.TimedAsync("expand", ExpandAsync, token);
            await leg.TimedAsync("verify", VerifyAsync, token);
        }, ct);
    }

    /// <inheritdoc />
    public void Add(CheckResult check) => leg.Add(check);

    /// <inheritdoc />
    public Task RunStageAsync(Func<CancellationToken, Task> stage, CancellationToken ct = default) => leg.RunAsync(stage, ct);

    /// <inheritdoc />
    public void RecordBoot(AppReport app, IEnumerable<PhaseTiming> phases, IEnumerable<string> containers)
    {
        leg.App = app;
        leg.Phases.AddRange(phases);
        sandboxReport = new SandboxReport(options.RunId, $"{Sandbox.DrillSandbox.NamePrefix}-{options.RunId}", [.. containers], options.KeepSandbox, null, null);
    }

    /// <inheritdoc />
    public LegReport Report() => leg.Report(selection, sha256) with
    {
        Sandbox = sandboxReport,
        Tables = facts is null ? [] : [.. facts.Tables.Select(t => new TableReport(t.Name, t.Rows, t.Rows))],
        RecoveryPointMinutes = facts is null ? null : RecencyCheck.RecoveryPointMinutes(facts.Activity, selection.Backup.Timestamp),
    };

    /// <inheritdoc />
    public string DisplayName(string table) => table;

    /// <inheritdoc />
    public async Task<IReadOnlySet<string>> ExistingIdsAsync(string table, string column, IReadOnlyCollection<string> ids, CancellationToken ct = default)
    {
        await using var connection = new SqliteConnection(ReadOnly(MeasuredCopy));
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        // One parameter for the whole sample: json_each turns it into rows, so no statement grows with the sample.
        command.CommandText = $"SELECT {SqlNames.Quote(column)} FROM {SqlNames.Quote(table)} WHERE {SqlNames.Quote(column)} IN (SELECT value FROM json_each($ids))";
        command.Parameters.AddWithValue("$ids", System.Text.Json.JsonSerializer.Serialize(ids));
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (!reader.IsDBNull(0))
            {
                found.Add(reader.GetString(0));
            }
        }

        return found;
    }

    /// <inheritdoc />
    public async Task<AppDatabase> PrepareForBootAsync(Sandbox.DrillSandbox? sandbox, bool hostCommand, CancellationToken ct = default)
    {
        // A copy of the measured copy, in a folder of its own: the application opens it read-write and writes -wal/-shm beside it.
        bootFolder = ScratchFolder.Create(options.TempRoot ?? Path.GetTempPath(), options.RunId, "sqlite-boot", options.KeepSandbox);
        var data = Directory.CreateDirectory(Path.Combine(bootFolder.Path, "data")).FullName;
        var name = Path.GetFileName(MeasuredCopy);
        bootCopy = Path.Combine(data, name);
        await using (var source = new FileStream(MeasuredCopy, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan))
        await using (var target = new FileStream(bootCopy, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
        {
            await source.CopyToAsync(target, ct);
        }

        if (!OperatingSystem.IsWindows())
        {
            // The application's container may run as another user: its folder and copy must be writable by it. The parent
            // folder (the drill's own, 0700) keeps other users of this host out.
            File.SetUnixFileMode(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite
                | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
            File.SetUnixFileMode(bootCopy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
        }

        var path = hostCommand ? bootCopy : $"{AppDataFolder}/{name}";
        var copied = !hostCommand && sandbox?.EngineIsRemote == true;
        return new AppDatabase(
            new Dictionary<string, string> { ["DATABASE_PATH"] = path },
            [],
            $"drill: a writable copy of the restored SQLite database ({(hostCommand ? bootCopy : $"{bootCopy}, {(copied ? "copied into" : "mounted at")} {AppDataFolder}")}), never the backup or the measured copy",
            null,
            null,
            hostCommand || copied ? [] : [$"{data}:{AppDataFolder}:rw"],
            copied ? [new FolderCopy(data, AppDataFolder)] : null);
    }

    /// <inheritdoc />
    public async Task<DatabaseFacts> MeasureAfterBootAsync(CancellationToken ct = default)
    {
        await using var connection = new SqliteConnection(ReadOnly(bootCopy ?? throw new InvalidOperationException("The application was not booted on SQLite.")));
        await connection.OpenAsync(ct);
        return await SqliteFactsReader.ReadAsync(connection, options.Profile, ct);
    }

    /// <summary>Removes the expanded and the booted copies, unless the sandbox is kept.</summary>
    public ValueTask DisposeAsync()
    {
        CleanUp(scratch, "expanded copy");
        CleanUp(bootFolder, "application's writable copy");
        return ValueTask.CompletedTask;
    }

    // Read-only, unpooled (so closing really closes).
    private static string ReadOnly(string file) => new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();

    private async Task ExpandAsync(CancellationToken ct)
    {
        var backup = selection.Backup;
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
        var backup = selection.Backup;
        var copy = MeasuredCopy;
        if (!SqliteFileHeader.TryParse(expansion!.Head, out var header))
        {
            var check = SqliteIntegrityCheck.NotADatabase(backup.RelativePath, expansion.ExpandedBytes, expansion.Head);
            throw new DrillAbortedException(DrillVerdict.Failed, check.Found, check);
        }

        // Read-only, unpooled (so closing really closes), on the copy only: LoopOver's backups are in WAL mode, and even a
        // read-only connection may create -wal/-shm files beside the file it opens. The original is never opened by SQLite.
        await using var connection = new SqliteConnection(ReadOnly(copy));
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

    private void CleanUp(ScratchFolder? folder, string what)
    {
        if (folder is null)
        {
            return;
        }

        try
        {
            if (!folder.Delete())
            {
                leg.Notes.Add($"The {what} was kept for inspection in '{folder.Path}' (-KeepSandbox); delete that folder when done.");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            leg.Notes.Add($"The scratch folder '{folder.Path}' could not be removed ({e.Message}); delete it by hand.");
        }
    }
}
