using Npgsql;

namespace Gittensory.Drills.Sandbox;

/// <summary>What a running Postgres server can install: the extensions its image ships.</summary>
public static class PostgresExtensions
{
    /// <summary>The server's <c>pg_available_extensions</c>: each extension's name and default version (null when it has none).</summary>
    public static async Task<IReadOnlyDictionary<string, string?>> AvailableAsync(string connectionString, CancellationToken ct = default)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT name, default_version FROM pg_available_extensions ORDER BY name", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var available = new Dictionary<string, string?>(StringComparer.Ordinal);
        while (await reader.ReadAsync(ct))
        {
            available[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
        }

        return available;
    }
}
