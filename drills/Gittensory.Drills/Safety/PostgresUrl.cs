using Gittensory.Drills.Sandbox;
using Npgsql;

namespace Gittensory.Drills.Safety;

/// <summary>Turns a <c>postgres://user:password@host:port/db</c> URL (LoopOver's DATABASE_URL) or an Npgsql connection string into a connection string.</summary>
public static class PostgresUrl
{
    /// <summary>The name of the environment variable that gives the live database's URL instead of <c>-LiveDatabaseUrl</c> (kept out of every argument list).</summary>
    public const string EnvironmentVariable = "DRILL_LIVE_DATABASE_URL";

    /// <summary>The live database's URL from <see cref="EnvironmentVariable"/>, or null when it is unset or empty.</summary>
    public static string? FromEnvironment() => Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } url ? url : null;

    /// <summary>Remembers the password of <paramref name="urlOrConnectionString"/> for redaction (<see cref="Secrets.Register"/>); what cannot be parsed is left to the patterns.</summary>
    public static void RegisterPassword(string? urlOrConnectionString)
    {
        if (urlOrConnectionString is null)
        {
            return;
        }

        // The raw password of a URL, even one that does not parse (an unencoded '@', '/' or space in it): from the first ':'
        // after the user to the last '@'.
        var scheme = urlOrConnectionString.IndexOf("://", StringComparison.Ordinal);
        var at = urlOrConnectionString.LastIndexOf('@');
        var colon = scheme < 0 ? -1 : urlOrConnectionString.IndexOf(':', scheme + 3);
        if (scheme > 0 && colon > 0 && at > colon)
        {
            Secrets.Register(urlOrConnectionString[(colon + 1)..at]);
        }

        try
        {
            _ = ToConnectionString(urlOrConnectionString);
        }
        catch (ArgumentException)
        {
            // Not parseable: Secrets.Redact's patterns still apply.
        }
    }

    /// <summary>The Npgsql connection string for <paramref name="urlOrConnectionString"/>, read-only by default, pooling off.</summary>
    /// <exception cref="ArgumentException">It is neither a postgres URL nor a connection string.</exception>
    public static string ToConnectionString(string urlOrConnectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        if (Uri.TryCreate(urlOrConnectionString, UriKind.Absolute, out var uri) && uri.Scheme is "postgres" or "postgresql")
        {
            var userInfo = uri.UserInfo.Split(':', 2);
            Secrets.Register(userInfo.Length > 1 ? userInfo[1] : null);
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

        Secrets.Register(builder.Password);
        builder.Pooling = false;
        builder.Timeout = 10;
        builder.CommandTimeout = 600;
        builder.Options = "-c default_transaction_read_only=on";
        builder.ApplicationName = "gittensory-drills (read-only comparison)";
        return builder.ConnectionString;
    }
}
