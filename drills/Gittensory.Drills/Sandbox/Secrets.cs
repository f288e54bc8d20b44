using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Gittensory.Drills.Sandbox;

/// <summary>Fresh credentials for scratch services, and redaction so that none reaches a log or a report.</summary>
public static partial class Secrets
{
    /// <summary>A random secret of <paramref name="bytes"/> bytes (default 24) as lowercase hex.</summary>
    public static string NewSecret(int bytes = 24) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

    /// <summary>The connection string or URL with its password replaced by <c>***</c>.</summary>
    public static string Redact(string connection) =>
        UrlPassword().Replace(KeywordPassword().Replace(connection, "${key}=***"), "${head}***@");

    /// <summary>The text with each of <paramref name="secrets"/> replaced by <c>***</c>.</summary>
    public static string Redact(string text, IEnumerable<string> secrets) =>
        secrets.Where(s => s.Length >= 4).Aggregate(text, (current, secret) => current.Replace(secret, "***", StringComparison.Ordinal));

    [GeneratedRegex(@"(?<key>password|pwd)\s*=\s*[^;]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KeywordPassword();

    [GeneratedRegex(@"(?<head>[a-z][a-z0-9+.-]*://[^:/@\s]*:)[^@\s]*@", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UrlPassword();
}
