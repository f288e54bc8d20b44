using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Gittensory.Drills.Sandbox;

/// <summary>Fresh credentials for scratch services, and redaction so that none reaches a log or a report.</summary>
public static partial class Secrets
{
    // Every secret the drill has been handed (a live database's password, raw and in its URL-encoded forms): redacted by value
    // wherever it appears, whatever characters it holds, because no pattern can know where an unquoted password ends.
    private static readonly ConcurrentDictionary<string, byte> Known = new(StringComparer.Ordinal);

    /// <summary>A random secret of <paramref name="bytes"/> bytes (default 24) as lowercase hex.</summary>
    public static string NewSecret(int bytes = 24) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

    /// <summary>Remembers <paramref name="secret"/> (and its URL-encoded and URL-decoded forms, each of 4 characters or more) so that every later <see cref="Redact(string)"/> replaces it.</summary>
    public static void Register(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return;
        }

        foreach (var form in new[] { secret, Uri.EscapeDataString(secret), SafeUnescape(secret) })
        {
            if (form.Length >= 4)
            {
                Known.TryAdd(form, 0);
            }
        }
    }

    /// <summary>
    /// The text with every password replaced by <c>***</c>: in <c>scheme://user:password@host</c> URLs, in
    /// <c>Password=...</c>/<c>pwd=...</c> pairs (quoted or not), and every secret given to <see cref="Register"/>.
    /// </summary>
    public static string Redact(string connection)
    {
        // Known secrets first: a pattern could cut one in two (a password holding "Password=") and leave its rest.
        var text = Known.Keys.OrderByDescending(s => s.Length).Aggregate(connection, (current, secret) => current.Replace(secret, "***", StringComparison.Ordinal));
        text = KeywordPassword().Replace(text, "${key}***");
        return UrlPassword().Replace(text, "${head}***@");
    }

    /// <summary>The text with each of <paramref name="secrets"/> replaced by <c>***</c>.</summary>
    public static string Redact(string text, IEnumerable<string> secrets) =>
        secrets.Where(s => s.Length >= 4).Aggregate(text, (current, secret) => current.Replace(secret, "***", StringComparison.Ordinal));

    private static string SafeUnescape(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            return text;
        }
    }

    // A value in a connection string is double-quoted ("" inside), single-quoted ('' inside) or runs to the next ';'
    // (DbConnectionStringBuilder quotes a value that holds ';', quotes or edge spaces).
    [GeneratedRegex("""(?<key>\b(?:password|pwd)\s*=\s*)(?:"(?:[^"]|"")*"|'(?:[^']|'')*'|[^;]*)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KeywordPassword();

    // The password of a URL runs from the first ':' after the user to the last '@' before the next white space, so that a raw
    // '@', '/', ':', ';' or '%' in it is taken as part of it.
    [GeneratedRegex(@"(?<head>[a-z][a-z0-9+.-]*://[^:/@\s]*:)\S*@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlPassword();
}
