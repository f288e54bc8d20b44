namespace Gittensory.Drills.Preflight;

/// <summary>
/// Counts the rows of one table's COPY text data as it streams past, in constant memory: one row per newline
/// (COPY text escapes newlines inside values as \n), up to the end-of-data line <c>\.</c> that pg_dump appends
/// (pg_dump 15 writes <c>\.</c> and two empty lines after the last row; a value "\." itself is written as <c>\\.</c>).
/// Empty lines before the marker are rows (a one-column table's empty strings, or a table with no columns).
/// </summary>
internal sealed class CopyRowCounter
{
    private const int TailSize = 64;
    private readonly byte[] tail = new byte[TailSize];
    private int tailLength;
    private long newlines;
    private long length;

    /// <summary>Bytes of data seen.</summary>
    public long Bytes => length;

    /// <summary>Adds the next bytes of the table's data.</summary>
    public void Add(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return;
        }

        newlines += data.Count((byte)'\n');
        length += data.Length;
        if (data.Length >= TailSize)
        {
            data[^TailSize..].CopyTo(tail);
            tailLength = TailSize;
            return;
        }

        var keep = Math.Min(tailLength, TailSize - data.Length);
        tail.AsSpan(tailLength - keep, keep).CopyTo(tail);
        data.CopyTo(tail.AsSpan(keep));
        tailLength = keep + data.Length;
    }

    /// <summary>The rows seen: newlines before the end-of-data marker, plus a last line without a newline, if any.</summary>
    public long Rows
    {
        get
        {
            if (length == 0)
            {
                return 0;
            }

            var t = tail.AsSpan(0, tailLength);
            var trailing = t.Length - t.TrimEnd((byte)'\n').Length;
            if (trailing == 0)
            {
                // No final newline: the last line is a row of its own (pg_dump always ends rows with one; be generous, not silent).
                return newlines + 1;
            }

            // "\." + trailing newlines, at the start of the data or right after a newline, is the end-of-data marker.
            var markerStart = t.Length - trailing - 2;
            var isMarker = markerStart >= 0
                && t[markerStart] == (byte)'\\' && t[markerStart + 1] == (byte)'.'
                && (length == trailing + 2 || (markerStart > 0 && t[markerStart - 1] == (byte)'\n'));
            return isMarker ? newlines - trailing : newlines;
        }
    }
}
