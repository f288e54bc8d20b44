using Gittensory.Drills.Profiles;
using Npgsql;

namespace Gittensory.Drills.Checks;

/// <summary>Measures a Postgres database: tables with exact row counts, sequences, the migration ledger, the newest activity.</summary>
public static class PostgresFactsReader
{
    /// <summary>How many connections count a scratch database's tables at once (the drill's checks should cost little beside the restore).</summary>
    public static int DefaultParallelism => Math.Clamp(Environment.ProcessorCount, 2, 4);

    /// <summary>
    /// Reads the facts of a database nothing else writes to (a scratch copy), counting tables over <see cref="DefaultParallelism"/>
    /// read-only connections at once, largest first: the same facts as <see cref="ReadAsync(NpgsqlConnection, IReadOnlyCollection{string}, DrillProfile, CancellationToken)"/>.
    /// </summary>
    public static async Task<DatabaseFacts> ReadAsync(string connectionString, IReadOnlyCollection<string> schemas, DrillProfile profile, CancellationToken ct = default)
    {
        await using var tables = new PostgresTableMeasurer(connectionString, schemas, profile, ct);
        return await ReadAsync(tables, ct);
    }

    /// <summary>
    /// The facts of the database <paramref name="tables"/> measures: its tables as it measured them (some perhaps beside the restore,
    /// the rest now), then sequences, the ledger and the job queue.
    /// </summary>
    public static async Task<DatabaseFacts> ReadAsync(PostgresTableMeasurer tables, CancellationToken ct = default)
    {
        var (measured, activity) = await tables.FinishAsync(ct);
        await using var connection = await OpenReadOnlyAsync(tables.ConnectionString, ct);
        var sequences = await ReadSequencesAsync(connection, tables.Schemas, ct);
        var ledger = await ReadLedgerAsync(connection, tables.Profile, measured, ct);
        return new DatabaseFacts(measured, sequences, ledger, activity) { Jobs = await ReadJobStateAsync(connection, tables.Profile, measured, ct) };
    }

    /// <summary>Reads the facts of every base table in <paramref name="schemas"/>, in one read-only transaction.</summary>
    public static async Task<DatabaseFacts> ReadAsync(
        NpgsqlConnection connection, IReadOnlyCollection<string> schemas, DrillProfile profile, CancellationToken ct = default)
    {
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await ExecuteAsync(connection, "SET TRANSACTION READ ONLY", ct);
        var tables = await ReadTablesAsync(connection, schemas, ct);
        var sequences = await ReadSequencesAsync(connection, schemas, ct);
        var ledger = await ReadLedgerAsync(connection, profile, tables, ct);
        var activity = await ReadActivityAsync(connection, profile, tables, ct);
        var jobs = await ReadJobStateAsync(connection, profile, tables, ct);
        await transaction.RollbackAsync(ct);
        return new DatabaseFacts(tables, sequences, ledger, activity) { Jobs = jobs };
    }

    /// <summary>Every base table in <paramref name="schemas"/> with its exact <c>count(*)</c>.</summary>
    public static async Task<IReadOnlyList<TableFact>> ReadTablesAsync(NpgsqlConnection connection, IReadOnlyCollection<string> schemas, CancellationToken ct = default)
    {
        var names = await ListTablesAsync(connection, schemas, largestFirst: false, ct);
        var tables = new List<TableFact>(names.Count);
        foreach (var (schema, name) in names)
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {SqlNames.Quote(schema, name)}", connection);
            tables.Add(new TableFact(schema, name, (long)(await count.ExecuteScalarAsync(ct))!));
        }

        return tables;
    }

    /// <summary>
    /// Every base table (and partitioned table) in <paramref name="schemas"/>: by schema and name, or the largest first
    /// (<c>pg_total_relation_size</c>, then by name) when <paramref name="largestFirst"/>.
    /// </summary>
    internal static async Task<List<TableName>> ListTablesAsync(NpgsqlConnection connection, IReadOnlyCollection<string> schemas, bool largestFirst, CancellationToken ct)
    {
        var names = new List<TableName>();
        await using var list = new NpgsqlCommand(
            "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " +
            $"WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY(@schemas) ORDER BY {(largestFirst ? "pg_total_relation_size(c.oid) DESC, " : "")}1, 2", connection);
        list.Parameters.AddWithValue("schemas", schemas.ToArray());
        await using var reader = await list.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            names.Add(new TableName(reader.GetString(0), reader.GetString(1)));
        }

        return names;
    }

    /// <summary>The profile's job queue by status and its counters (null when the profile names no queue), from <paramref name="tables"/> as counted.</summary>
    public static async Task<JobState?> ReadJobStateAsync(NpgsqlConnection connection, DrillProfile profile, IReadOnlyList<TableFact> tables, CancellationToken ct = default)
    {
        if (profile.Jobs is not { } jobs)
        {
            return null;
        }

        var queueExists = tables.Any(t => t.Schema == profile.Schema && t.Name == jobs.Table);
        IReadOnlyList<JobStatusFact> statuses = JobStateSql.Ordered([], jobs);
        if (queueExists)
        {
            await using var query = new NpgsqlCommand(JobStateSql.ByStatus(jobs, SqlNames.Quote(profile.Schema, jobs.Table)), connection);
            await using var reader = await query.ExecuteReaderAsync(ct);
            statuses = await JobStateSql.ReadStatusesAsync(reader, jobs, ct);
        }

        IReadOnlyDictionary<string, long>? stats = null;
        if (tables.Any(t => t.Schema == profile.Schema && t.Name == jobs.StatsTable))
        {
            await using var query = new NpgsqlCommand(JobStateSql.Stats(jobs, SqlNames.Quote(profile.Schema, jobs.StatsTable)), connection);
            await using var reader = await query.ExecuteReaderAsync(ct);
            stats = await JobStateSql.ReadStatsAsync(reader, ct);
        }

        return new JobState(queueExists, statuses, stats);
    }

    private static async Task<IReadOnlyList<SequenceFact>> ReadSequencesAsync(NpgsqlConnection connection, IReadOnlyCollection<string> schemas, CancellationToken ct)
    {
        var owned = new List<(string Schema, string Sequence, TableName? Table, string? Column)>();
        await using (var list = new NpgsqlCommand(
            """
            SELECT n.nspname, s.relname, tn.nspname, t.relname, a.attname
            FROM pg_class s
            JOIN pg_namespace n ON n.oid = s.relnamespace
            LEFT JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
            LEFT JOIN pg_class t ON t.oid = d.refobjid
            LEFT JOIN pg_namespace tn ON tn.oid = t.relnamespace
            LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
            WHERE s.relkind = 'S' AND n.nspname = ANY(@schemas)
            ORDER BY 1, 2
            """, connection))
        {
            list.Parameters.AddWithValue("schemas", schemas.ToArray());
            await using var reader = await list.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                owned.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(3) ? null : new TableName(reader.GetString(2), reader.GetString(3)), reader.IsDBNull(4) ? null : reader.GetString(4)));
            }
        }

        var facts = new List<SequenceFact>(owned.Count);
        foreach (var (schema, sequence, table, column) in owned)
        {
            long lastValue;
            bool isCalled;
            await using (var value = new NpgsqlCommand($"SELECT last_value, is_called FROM {SqlNames.Quote(schema, sequence)}", connection))
            await using (var reader = await value.ExecuteReaderAsync(ct))
            {
                await reader.ReadAsync(ct);
                lastValue = reader.GetInt64(0);
                isCalled = reader.GetBoolean(1);
            }

            long? max = null;
            if (table is not null && column is not null)
            {
                await using var maxQuery = new NpgsqlCommand(
                    $"SELECT max({SqlNames.Quote(column)})::bigint FROM {SqlNames.Quote(table.Value.Schema, table.Value.Name)}", connection);
                max = await maxQuery.ExecuteScalarAsync(ct) is long m ? m : null;
            }

            facts.Add(new SequenceFact(new TableName(schema, sequence).ToString(), lastValue, isCalled, table is null ? null : $"{table}.{column}", max));
        }

        return facts;
    }

    private static async Task<IReadOnlyList<LedgerRow>?> ReadLedgerAsync(
        NpgsqlConnection connection, DrillProfile profile, IReadOnlyList<TableFact> tables, CancellationToken ct)
    {
        var ledger = profile.MigrationLedger;
        if (ledger is null || !tables.Any(t => t.Schema == profile.Schema && t.Name == ledger.Table))
        {
            return null;
        }

        var rows = new List<LedgerRow>();
        await using var query = new NpgsqlCommand(
            $"SELECT {SqlNames.Quote(ledger.NameColumn)}::text, {SqlNames.Quote(ledger.AppliedAtColumn)}::text " +
            $"FROM {SqlNames.Quote(profile.Schema, ledger.Table)} ORDER BY 1", connection);
        await using var reader = await query.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new LedgerRow(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }

        return rows;
    }

    private static async Task<IReadOnlyList<ActivityFact>> ReadActivityAsync(
        NpgsqlConnection connection, DrillProfile profile, IReadOnlyList<TableFact> tables, CancellationToken ct)
    {
        var facts = new List<ActivityFact>();
        foreach (var activity in ActivityColumnsPresent(profile, tables))
        {
            facts.Add((await ReadActivityAsync(connection, profile, activity, ct)).Fact);
        }

        return facts;
    }

    private static IEnumerable<ActivityColumn> ActivityColumnsPresent(DrillProfile profile, IReadOnlyList<TableFact> tables) =>
        profile.ActivityColumns.Where(a => tables.Any(t => t.Schema == profile.Schema && t.Name == a.Table));

    /// <summary>The column's newest activity, and the table's row count from the same scan.</summary>
    internal static Task<(ActivityFact Fact, long Rows)> ReadActivityAsync(NpgsqlConnection connection, DrillProfile profile, ActivityColumn activity, CancellationToken ct) =>
        ActivitySql.ReadAsync(connection, SqlNames.Quote(profile.Schema, activity.Table), activity, profile.TimestampSentinels, "::text COLLATE \"C\"", ct);

    /// <summary>A connection whose transactions are read-only by default.</summary>
    internal static async Task<NpgsqlConnection> OpenReadOnlyAsync(string connectionString, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct);
            await ExecuteAsync(connection, "SET default_transaction_read_only = on", ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
