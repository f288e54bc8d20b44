using Npgsql;

namespace Gittensory.Drills.Safety;

/// <summary>Turns a <c>postgres://user:password@host:port/db</c> URL (LoopOver's DATABASE_URL) or an Npgsql connection string into a connection string.</summary>
public static class PostgresUrl
{
    /// <summary>The Npgsql connection string for <paramref name="urlOrConnectionString"/>, read-only by default, pooling off.</summary>
    /// <exception cref="ArgumentException">It is neither a postgres URL nor a connection string.</exception>
    public static string ToConnectionString(string urlOrConnectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        if (Uri.TryCreate(urlOrConnectionString, UriKind.Absolute, out var uri) && uri.Scheme is "postgres" or "postgresql")
        {
            var userInfo = uri.UserInfo.Split(':', 2);
            builder = new NpgsqlConnectionStringBuilder
            {
                Host = uri.Host,
                Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
                Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
                Username = userInfo.Length > 0 && userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : null,
                Password = userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : null,
            };
        }
        else
        {
            try
            {
                builder = new NpgsqlConnectionStringBuilder(urlOrConnectionString);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException(
                    "The live database must be a postgres://user:password@host:port/database URL or an Npgsql connection string; what was given is neither.", e);
            }

            if (string.IsNullOrEmpty(builder.Host))
            {
                throw new ArgumentException("The live database connection string names no Host. Give postgres://user:password@host:port/database.");
            }
        }

        builder.Pooling = false;
        builder.Timeout = 10;
        builder.CommandTimeout = 600;
        builder.Options = "-c default_transaction_read_only=on";
        builder.ApplicationName = "gittensory-drills (read-only comparison)";
        return builder.ConnectionString;
    }
}
