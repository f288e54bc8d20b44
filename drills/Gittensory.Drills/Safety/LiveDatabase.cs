using Gittensory.Drills.Checks;
using Gittensory.Drills.Sandbox;
using Npgsql;

namespace Gittensory.Drills.Safety;

/// <summary>
/// The operator's live database, given only for comparison: fingerprinted against the scratch target (refused when they
/// match or when either side cannot be fingerprinted), and only ever read, in a read-only transaction.
/// </summary>
public sealed class LiveDatabase
{
    private readonly string connectionString;

    private LiveDatabase(string connectionString, string fingerprint)
    {
        this.connectionString = connectionString;
        Fingerprint = fingerprint;
    }

    /// <summary>The live side's fingerprint.</summary>
    public string Fingerprint { get; }

    /// <summary>The live connection with its password replaced, for reports.</summary>
    public string Redacted => Secrets.Redact(connectionString);

    /// <summary>Fingerprints both sides and returns the live database only when it is provably not the scratch target.</summary>
    /// <exception cref="LiveDatabaseRefusedException">The two are the same database, or either cannot be fingerprinted.</exception>
    public static async Task<LiveDatabase> OpenAsync(string liveUrl, string scratchConnectionString, CancellationToken ct = default)
    {
        string live;
        try
        {
            live = PostgresUrl.ToConnectionString(liveUrl);
        }
        catch (ArgumentException e)
        {
            throw new LiveDatabaseRefusedException($"Refused the live database URL: {e.Message}", e);
        }

        var scratchPrint = await FingerprintAsync(scratchConnectionString, "the scratch restore target", ct);
        var livePrint = await FingerprintAsync(live, $"the live database ({Secrets.Redact(live)})", ct);
        if (string.Equals(scratchPrint, livePrint, StringComparison.Ordinal))
        {
            throw new LiveDatabaseRefusedException(
                $"Refused: the live database URL points at the scratch restore target itself (both are '{livePrint}'). " +
                "Give the URL of the live database, or leave -LiveDatabaseUrl out.");
        }

        return new LiveDatabase(live, livePrint);
    }

    /// <summary>Every table of <paramref name="schemas"/> with its exact row count, read in a read-only transaction.</summary>
    public async Task<IReadOnlyList<TableFact>> ReadTablesAsync(IReadOnlyCollection<string> schemas, CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection))
        {
            await readOnly.ExecuteNonQueryAsync(ct);
        }

        var tables = await PostgresFactsReader.ReadTablesAsync(connection, schemas, ct);
        await transaction.RollbackAsync(ct);
        return tables;
    }

    private static async Task<string> FingerprintAsync(string connectionString, string what, CancellationToken ct)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            return await DatabaseFingerprint.ReadAsync(connection, ct);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new LiveDatabaseRefusedException(
                $"Refused: cannot fingerprint {what} ({e.Message}). Without both fingerprints the drill cannot prove the two differ, " +
                "so it does not compare. Check the URL and that the user may run pg_control_system().", e);
        }
    }
}
