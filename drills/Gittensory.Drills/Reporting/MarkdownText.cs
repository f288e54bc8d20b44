namespace Gittensory.Drills.Reporting;

/// <summary>Text from data made safe inside Markdown written by the reports.</summary>
internal static class MarkdownText
{
    /// <summary>Text for a table cell: pipes escaped, line breaks made spaces.</summary>
    public static string Cell(string text) =>
        text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
