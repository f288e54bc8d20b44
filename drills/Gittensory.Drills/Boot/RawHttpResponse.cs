using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Gittensory.Drills.Boot;

/// <summary>Reads what the prober printed: a raw HTTP/1.x response (bash <c>/dev/tcp</c>, <c>nc</c>), or <c>wget -S</c>'s headers on stderr.</summary>
internal static partial class RawHttpResponse
{
    /// <summary>The status and body in <paramref name="stdout"/> (or the status in <paramref name="stderr"/> for wget), else why there was none.</summary>
    public static HttpAnswer Parse(string stdout, string stderr, long exitCode, TimeSpan timeout)
    {
        var text = stdout.TrimStart();
        if (StatusLine().Match(text) is { Success: true } status)
        {
            var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal) is var crlf and >= 0 ? (crlf, 4)
                : text.IndexOf("\n\n", StringComparison.Ordinal) is var lf and >= 0 ? (lf, 2) : (text.Length, 0);
            var head = text[..headEnd.Item1];
            var body = text[Math.Min(text.Length, headEnd.Item1 + headEnd.Item2)..];
            if (ChunkedHeader().IsMatch(head))
            {
                body = Dechunk(body);
            }

            return new HttpAnswer(int.Parse(status.Groups[1].Value, CultureInfo.InvariantCulture), body.Trim(), null);
        }

        // busybox wget -S: the status line among the headers on stderr ("  HTTP/1.1 200 OK"), or in its error
        // ("wget: server returned error: HTTP/1.1 503 Service Unavailable"); the body on stdout only for a 2xx.
        if (WgetStatus().Matches(stderr) is { Count: > 0 } lines)
        {
            var code = int.Parse(lines[^1].Groups[1].Value, CultureInfo.InvariantCulture);
            return new HttpAnswer(code, code is >= 200 and < 300 ? stdout.Trim() : null, null);
        }

        if (exitCode == 124)
        {
            return HttpAnswer.None($"no answer within {timeout.TotalSeconds:0} s");
        }

        var reason = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.StartsWith("probe: ", StringComparison.Ordinal) ? l["probe: ".Length..] : l)
            .FirstOrDefault();
        return HttpAnswer.None(reason ?? (text.Length > 0 ? $"not an HTTP answer: {Cut(text, 200)}" : $"nothing answered (prober exit code {exitCode})"));
    }

    private static string Dechunk(string body)
    {
        var result = new StringBuilder();
        var at = 0;
        while (at < body.Length)
        {
            var end = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            if (end < 0 || !int.TryParse(body.AsSpan(at, end - at).Trim().ToString().Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var size) || size == 0)
            {
                break;
            }

            var start = end + 2;
            result.Append(body.AsSpan(start, Math.Min(size, body.Length - start)));
            at = start + size + 2;
        }

        return result.ToString();
    }

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..length] + "...";

    [GeneratedRegex(@"^HTTP/\d(?:\.\d)? (\d{3})", RegexOptions.CultureInvariant)]
    private static partial Regex StatusLine();

    [GeneratedRegex(@"^transfer-encoding:\s*chunked\s*$", RegexOptions.IgnoreCase | RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ChunkedHeader();

    [GeneratedRegex(@"HTTP/\d(?:\.\d)? (\d{3})", RegexOptions.CultureInvariant)]
    private static partial Regex WgetStatus();
}
