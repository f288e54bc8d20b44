using Gittensory.Drills.Profiles;
using Microsoft.Data.Sqlite;

namespace Gittensory.Drills.Checks;

/// <summary>
/// Measures a SQLite database: its integrity, foreign keys, tables with exact row counts, the migration ledger and the
/// newest activity. Tables go under schema <c>main</c>; SQLite's planner statistics (<c>sqlite_stat*</c>) are not data and are left out.
/// </summary>
public static class SqliteFactsReader
{
    /// <summary>The schema SQLite calls a database's own tables by.</summary>
    public const string Schema = "main";

    /// <summary>The most rows of <c>PRAGMA foreign_key_check</c> that are read (1,000).</summary>
    public const int MaxViolations = 1000;

    private const int SqliteInterrupted = 9;

    /// <summary>Reads the tables (with exact <c>count(*)</c>), the ledger and the activity columns of <paramref name="profile"/>.</summary>
    /// <exception cref="InvalidDataException">A table could not be counted; the message names it.</exception>
    public static async Task<DatabaseFacts> ReadAsync(SqliteConnection connection, DrillProfile profile, CancellationToken ct = default)
    {
        var tables = await ReadTablesAsync(connection, ct);
        var ledger = await ReadLedgerAsync(connection, profile, tables, ct);
        var activity = await ReadActivityAsync(connection, profile, tables, ct);
        return new DatabaseFacts(tables, [], ledger, activity) { Jobs = await ReadJobStateAsync(connection, profile, tables, ct) };
    }

    /// <summary>The profile's job queue by status and its counters (null when the profile names no queue), from <paramref name="tables"/> as <see cref="ReadTablesAsync"/> gave them.</summary>
    public static async Task<JobState?> ReadJobStateAsync(SqliteConnection connection, DrillProfile profile, IReadOnlyList<TableFact> tables, CancellationToken ct = default)
    {
        if (profile.Jobs is not { } jobs)
        {
            return null;
        }

        var queueExists = tables.Any(t => t.Name == jobs.Table);
        IReadOnlyList<JobStatusFact> statuses = JobStateSql.Ordered([], jobs);
        if (queueExists)
        {
            await using var query = connection.CreateCommand();
            query.CommandText = JobStateSql.ByStatus(jobs, SqlNames.Quote(jobs.Table));
            await using var reader = await query.ExecuteReaderAsync(ct);
            statuses = await JobStateSql.ReadStatusesAsync(reader, jobs, ct);
        }

        IReadOnlyDictionary<string, long>? stats = null;
        if (tables.Any(t => t.Name == jobs.StatsTable))
        {
            await using var query = connection.CreateCommand();
            query.CommandText = JobStateSql.Stats(jobs, SqlNames.Quote(jobs.StatsTable));
            await using var reader = await query.ExecuteReaderAsync(ct);
            stats = await JobStateSql.ReadStatsAsync(reader, ct);
        }

        return new JobState(queueExists, statuses, stats);
    }

    /// <summary>The migration names in the profile's ledger (null when the table does not exist), from <paramref name="tables"/> as <see cref="ReadTablesAsync"/> gave them.</summary>
    public static async Task<IReadOnlyList<string>?> ReadLedgerNamesAsync(SqliteConnection connection, DrillProfile profile, IReadOnlyList<TableFact> tables, CancellationToken ct = default) =>
        (await ReadLedgerAsync(connection, profile, tables, ct))?.Select(r => r.Name).ToList();

    /// <summary>
    /// The rows of the full <c>PRAGMA integrity_check</c>: just <c>ok</c> for a sound file, else up to 100 problems. When SQLite
    /// stops with an error after reporting problems, the problems are kept and the error is the last row.
    /// </summary>
    /// <exception cref="SqliteException">SQLite could not run the check at all.</exception>
    public static async Task<IReadOnlyList<string>> IntegrityCheckAsync(SqliteConnection connection, CancellationToken ct = default)
    {
        const string databasePrefix = "*** in database main ***\n";
        var rows = new List<string>();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        try
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var row = reader.IsDBNull(0) ? "" : reader.GetString(0);
                rows.Add(row.StartsWith(databasePrefix, StringComparison.Ordinal) ? row[databasePrefix.Length..] : row);
            }
        }
        catch (SqliteException e) when (rows.Count > 0 && e.SqliteErrorCode != SqliteInterrupted)
        {
            rows.Add($"integrity_check stopped before its end: {e.Message}");
        }

        return rows;
    }

    /// <summary>How many foreign keys the schema declares, over every table.</summary>
    public static async Task<long> ForeignKeyCountAsync(SqliteConnection connection, CancellationToken ct = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master AS t, pragma_foreign_key_list(t.name) WHERE t.type = 'table'";
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Each row <c>PRAGMA foreign_key_check</c> reports (at most <see cref="MaxViolations"/>), as "<c>table</c> row N refers to a missing row of <c>parent</c>".</summary>
    public static async Task<IReadOnlyList<string>> ForeignKeyViolationsAsync(SqliteConnection connection, CancellationToken ct = default)
    {
        var violations = new List<string>();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA foreign_key_check";
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (violations.Count < MaxViolations && await reader.ReadAsync(ct))
        {
            var row = reader.IsDBNull(1) ? "a row without rowid" : $"row {reader.GetInt64(1)}";
            violations.Add($"{reader.GetString(0)} {row} refers to a missing row of {reader.GetString(2)}");
        }

        return violations;
    }

    /// <summary>Every table (<c>sqlite_sequence</c> included, <c>sqlite_stat*</c> not) with its exact <c>count(*)</c>, by name.</summary>
    /// <exception cref="InvalidDataException">A table could not be counted; the message names it.</exception>
    public static async Task<IReadOnlyList<TableFact>> ReadTablesAsync(SqliteConnection connection, CancellationToken ct = default)
    {
        var names = await ColumnAsync(connection,
            @"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_stat%' ESCAPE '\' ORDER BY name", ct);
        var tables = new List<TableFact>(names.Count);
        foreach (var name in names)
        {
            await using var count = connection.CreateCommand();
            count.CommandText = $"SELECT count(*) FROM {SqlNames.Quote(name)}";
            try
            {
                tables.Add(new TableFact(Schema, name, (long)(await count.ExecuteScalarAsync(ct))!));
            }
            catch (SqliteException e) when (e.SqliteErrorCode != SqliteInterrupted)
            {
                throw new InvalidDataException($"Counting the rows of table {name} failed: {e.Message}", e);
            }
        }

        return tables;
    }

    private static async Task<IReadOnlyList<LedgerRow>?> ReadLedgerAsync(
        SqliteConnection connection, DrillProfile profile, IReadOnlyList<TableFact> tables, CancellationToken ct)
    {
        var ledger = profile.MigrationLedger;
        if (ledger is null || !tables.Any(t => t.Name == ledger.Table))
        {
            return null;
        }

        var rows = new List<LedgerRow>();
        await using var query = connection.CreateCommand();
        query.CommandText = $"SELECT CAST({SqlNames.Quote(ledger.NameColumn)} AS TEXT), CAST({SqlNames.Quote(ledger.AppliedAtColumn)} AS TEXT) " +
                            $"FROM {SqlNames.Quote(ledger.Table)} ORDER BY 1";
        await using var reader = await query.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new LedgerRow(reader.IsDBNull(0) ? "" : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }

        return rows;
    }

    private static async Task<IReadOnlyList<ActivityFact>> ReadActivityAsync(
        SqliteConnection connection, DrillProfile profile, IReadOnlyList<TableFact> tables, CancellationToken ct)
    {
        var facts = new List<ActivityFact>();
        foreach (var activity in profile.ActivityColumns)
        {
            if (!tables.Any(t => t.Name == activity.Table))
            {
                continue;
            }

            facts.Add((await ActivitySql.ReadAsync(connection, SqlNames.Quote(activity.Table), activity, profile.TimestampSentinels, ct: ct)).Fact);
        }

        return facts;
    }

    private static async Task<IReadOnlyList<string>> ColumnAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        var values = new List<string>();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            values.Add(reader.IsDBNull(0) ? "" : reader.GetString(0));
        }

        return values;
    }
}
