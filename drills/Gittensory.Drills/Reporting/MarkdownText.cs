using System.Text;

namespace Gittensory.Drills.Reporting;

/// <summary>
/// Makes text that comes from data (table and file names, messages, server answers) safe to put in report.md: it renders as
/// the same characters, never as HTML, emphasis, a link, a new table cell or a new line.
/// </summary>
public static class MarkdownText
{
    /// <summary>
    /// <paramref name="text"/> as inline Markdown: HTML's <c>&lt; &gt; &amp;</c> as entities, Markdown's punctuation
    /// (<c>\ ` * _ [ ] | ~ ! # </c>) backslash-escaped, and line breaks and other control characters shown as <c>\r</c>, <c>\n</c>, <c>\t</c>, <c>\u0000</c>.
    /// </summary>
    public static string Inline(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var md = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '<':
                    md.Append("&lt;");
                    break;
                case '>':
                    md.Append("&gt;");
                    break;
                case '&':
                    md.Append("&amp;");
                    break;
                case '\\' or '`' or '*' or '_' or '[' or ']' or '|' or '~' or '!' or '#':
                    md.Append('\\').Append(c);
                    break;
                default:
                    md.Append(Visible(c));
                    break;
            }
        }

        return md.ToString();
    }

    /// <summary><paramref name="text"/> as an inline code span, fenced by more backticks than it holds, its control characters shown as escapes.</summary>
    public static string Code(string? text)
    {
        var shown = string.Concat((text ?? "").Select(Visible));
        var fence = new string('`', LongestRun(shown, '`') + 1);
        var pad = shown.StartsWith('`') || shown.EndsWith('`') || shown.Length == 0 ? " " : "";
        return $"{fence}{pad}{shown}{pad}{fence}";
    }

    /// <summary>A fence for a code block holding <paramref name="lines"/>: more backticks than any line holds in a row (at least three).</summary>
    public static string BlockFence(IEnumerable<string> lines) => new('`', Math.Max(3, lines.Select(l => LongestRun(l, '`')).DefaultIfEmpty(0).Max() + 1));

    /// <summary>A line for a code block: its control characters shown as escapes, so that it stays one line.</summary>
    public static string BlockLine(string line) => string.Concat(line.Select(Visible));

    private static string Visible(char c) => c switch
    {
        '\r' => "\\r",
        '\n' => "\\n",
        '\t' => "\\t",
        _ when char.IsControl(c) || c is '\u2028' or '\u2029' => $"\\u{(int)c:x4}",
        _ => c.ToString(),
    };

    private static int LongestRun(string text, char c)
    {
        int longest = 0, run = 0;
        foreach (var ch in text)
        {
            run = ch == c ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        return longest;
    }
}
