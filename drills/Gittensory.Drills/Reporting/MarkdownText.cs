namespace Gittensory.Drills.Reporting;

/// <summary>Text from data made safe inside Markdown written by the reports.</summary>
internal static class MarkdownText
{
    /// <summary>
    /// Text for a table cell: pipes escaped, line breaks made spaces, and the characters that open a link, an image or inline
    /// HTML (<c>[ ] &lt; &gt;</c>) backslash-escaped, so that a table name such as <c>![x](http://...)</c> reads as it is in
    /// every Markdown renderer (a CI job summary, report.html) instead of loading or linking anything.
    /// </summary>
    public static string Cell(string text)
    {
        var cell = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            _ = c switch
            {
                '|' or '[' or ']' or '<' or '>' or '\\' => cell.Append('\\').Append(c),
                '\r' or '\n' => cell.Append(' '),
                _ => cell.Append(c),
            };
        }

        return cell.ToString();
    }
}
