using Npgsql;

namespace Gittensory.Drills.Safety;

/// <summary>A database's identity, <c>current_database() || '@' || system_identifier</c>: the same on every connection to one cluster's database.</summary>
public static class DatabaseFingerprint
{
    /// <summary>Reads the fingerprint; throws when the server will not say (e.g. no right to <c>pg_control_system()</c>).</summary>
    public static async Task<string> ReadAsync(NpgsqlConnection connection, CancellationToken ct = default)
    {
        await using var command = new NpgsqlCommand("SELECT current_database() || '@' || (SELECT system_identifier FROM pg_control_system())::text", connection);
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }
}
