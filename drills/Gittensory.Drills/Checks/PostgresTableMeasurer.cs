using System.Collections.Concurrent;
using System.Threading.Channels;
using Gittensory.Drills.Profiles;
using Npgsql;

namespace Gittensory.Drills.Checks;

/// <summary>
/// Counts the tables of a scratch database nothing else writes to (and scans the profile's activity columns, which counts the
/// table in the same pass): each table whose data a parallel restore has committed at once, on one connection beside the restore
/// (<see cref="DataRestored"/>), and every other table once the restore is done (<see cref="FinishAsync"/>), over
/// <see cref="PostgresFactsReader.DefaultParallelism"/> connections. A table's count is final once its data is in, unless it has a
/// parent or a child: a count includes the children, whose data may come later, and a partition may receive rows through its
/// root; such tables wait for the end. A parallel pg_restore creates every table, and every inheritance, before any data.
/// </summary>
public sealed class PostgresTableMeasurer : IAsyncDisposable
{
    private readonly Channel<TableName> restored = Channel.CreateUnbounded<TableName>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<TableName, long> counts = new();
    private readonly ConcurrentDictionary<(string Table, string Column), ActivityFact> activity = new();
    private readonly ConcurrentDictionary<TableName, bool> claimed = new();
    private readonly CancellationTokenSource stop;
    private readonly HashSet<string> schemas;
    private Task? beside;
    private volatile bool finishing;
    private int measuredBeside;

    /// <param name="connectionString">The scratch database.</param>
    /// <param name="schemas">The schemas whose tables are measured.</param>
    /// <param name="profile">The application's profile (its activity columns).</param>
    /// <param name="ct">Stops the measuring beside the restore too.</param>
    public PostgresTableMeasurer(string connectionString, IEnumerable<string> schemas, DrillProfile profile, CancellationToken ct = default)
    {
        ConnectionString = connectionString;
        Profile = profile;
        this.schemas = schemas.ToHashSet(StringComparer.Ordinal);
        stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
    }

    /// <summary>The scratch database.</summary>
    public string ConnectionString { get; }

    /// <summary>The application's profile.</summary>
    public DrillProfile Profile { get; }

    /// <summary>The schemas whose tables are measured.</summary>
    public IReadOnlyCollection<string> Schemas => schemas;

    /// <summary>How many tables were measured beside the restore.</summary>
    public int MeasuredBeside => Volatile.Read(ref measuredBeside);

    /// <summary>
    /// The restore committed <paramref name="table"/>'s data: it is measured beside the rest of the restore, one table at a time.
    /// Quick (it only queues the table); call it from the thread that reads the restore's output.
    /// </summary>
    public void DataRestored(TableName table)
    {
        if (finishing || !schemas.Contains(table.Schema))
        {
            return;
        }

        restored.Writer.TryWrite(table);
        lock (restored)
        {
            beside ??= Task.Run(() => MeasureBesideAsync(stop.Token));
        }
    }

    /// <summary>
    /// Once the restore is done: measures every table not measured yet (the activity tables first, then the largest) and returns
    /// every table in <see cref="Schemas"/> with its exact count, and the newest activity of each activity column present.
    /// </summary>
    public async Task<(IReadOnlyList<TableFact> Tables, IReadOnlyList<ActivityFact> Activity)> FinishAsync(CancellationToken ct = default)
    {
        finishing = true;
        restored.Writer.TryComplete();
        List<TableName> names;
        List<ActivityColumn> present;
        var first = await PostgresFactsReader.OpenReadOnlyAsync(ConnectionString, ct);
        try
        {
            names = await PostgresFactsReader.ListTablesAsync(first, schemas, largestFirst: true, ct);

            // The activity scans (the longest: every row of the largest tables) first, then the other tables, largest first.
            present = ActivityColumnsPresent(names);
            var queue = new ConcurrentQueue<TableName>(present.Select(a => new TableName(Profile.Schema, a.Table))
                .Concat(names).Distinct().Where(t => !claimed.ContainsKey(t)));

            async Task WorkAsync(NpgsqlConnection worker)
            {
                while (queue.TryDequeue(out var table))
                {
                    if (claimed.TryAdd(table, true))
                    {
                        await MeasureAsync(worker, table, ct);
                    }
                }
            }

            var others = Enumerable.Range(1, Math.Max(0, Math.Min(PostgresFactsReader.DefaultParallelism, queue.Count) - 1)).Select(_ => Task.Run(async () =>
            {
                await using var worker = await PostgresFactsReader.OpenReadOnlyAsync(ConnectionString, ct);
                await WorkAsync(worker);
            }, ct)).ToList();
            await WorkAsync(first);
            await Task.WhenAll(others);
        }
        finally
        {
            await first.DisposeAsync();
        }

        if (beside is not null)
        {
            // The table it was measuring when the restore ended; its failure is the drill's.
            await beside;
        }

        IReadOnlyList<TableFact> tables = [.. names.Order().Select(t => new TableFact(t.Schema, t.Name, counts[t]))];
        IReadOnlyList<ActivityFact> newest = [.. present.Select(a => activity[(a.Table, a.Column)])];
        return (tables, newest);
    }

    /// <summary>Stops measuring beside the restore (a failed restore, a cancelled drill); what was measured is dropped.</summary>
    public async ValueTask DisposeAsync()
    {
        finishing = true;
        restored.Writer.TryComplete();
        await stop.CancelAsync();
        if (beside is not null)
        {
            try
            {
                await beside;
            }
            catch (Exception e) when (e is OperationCanceledException or NpgsqlException or PostgresException or InvalidOperationException)
            {
                // Nothing more is asked of the database; FinishAsync is where a failure counts.
            }
        }

        stop.Dispose();
    }

    private async Task MeasureBesideAsync(CancellationToken ct)
    {
        await using var connection = await PostgresFactsReader.OpenReadOnlyAsync(ConnectionString, ct);
        HashSet<TableName>? related = null;
        await foreach (var table in restored.Reader.ReadAllAsync(ct))
        {
            if (finishing)
            {
                return;
            }

            related ??= await TablesWithParentOrChildAsync(connection, ct);
            if (!related.Contains(table) && claimed.TryAdd(table, true))
            {
                await MeasureAsync(connection, table, ct);
                Interlocked.Increment(ref measuredBeside);
            }
        }
    }

    private async Task MeasureAsync(NpgsqlConnection connection, TableName table, CancellationToken ct)
    {
        var columns = table.Schema == Profile.Schema ? Profile.ActivityColumns.Where(a => a.Table == table.Name).ToList() : [];
        if (columns.Count == 0)
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {SqlNames.Quote(table.Schema, table.Name)}", connection);
            counts[table] = (long)(await count.ExecuteScalarAsync(ct))!;
            return;
        }

        foreach (var column in columns)
        {
            var (fact, rows) = await PostgresFactsReader.ReadActivityAsync(connection, Profile, column, ct);
            activity[(column.Table, column.Column)] = fact;
            counts[table] = rows;
        }
    }

    private List<ActivityColumn> ActivityColumnsPresent(IReadOnlyCollection<TableName> names) =>
        [.. Profile.ActivityColumns.Where(a => names.Contains(new TableName(Profile.Schema, a.Table)))];

    private static async Task<HashSet<TableName>> TablesWithParentOrChildAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var related = new HashSet<TableName>();
        await using var query = new NpgsqlCommand(
            "SELECT n.nspname, c.relname FROM pg_inherits i JOIN pg_class c ON c.oid IN (i.inhrelid, i.inhparent) " +
            "JOIN pg_namespace n ON n.oid = c.relnamespace", connection);
        await using var reader = await query.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            related.Add(new TableName(reader.GetString(0), reader.GetString(1)));
        }

        return related;
    }
}
