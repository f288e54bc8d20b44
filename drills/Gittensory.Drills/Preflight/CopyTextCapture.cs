using System.Buffers;
using System.Text;

namespace Gittensory.Drills.Preflight;

/// <summary>
/// Keeps the COPY text of one small table as it streams past (at most <see cref="MaxBytes"/>), and parses it into rows:
/// tab-separated fields, <c>\N</c> for NULL, backslash escapes as COPY's text format defines them, up to the end-of-data line <c>\.</c>.
/// </summary>
internal sealed class CopyTextCapture(string table, string? copyStatement)
{
    /// <summary>The most bytes of a table's data kept (4 MiB): the tables captured are small (the ledger, the job counters).</summary>
    public const int MaxBytes = 4 << 20;

    private readonly ArrayBufferWriter<byte> data = new();
    private bool truncated;

    /// <summary>Adds the next bytes of the table's data.</summary>
    public void Add(ReadOnlySpan<byte> bytes)
    {
        var room = MaxBytes - data.WrittenCount;
        if (bytes.Length > room)
        {
            truncated = true;
            bytes = bytes[..Math.Max(0, room)];
        }

        data.Write(bytes);
    }

    /// <summary>The rows seen, parsed.</summary>
    public PgCapturedTable Finish()
    {
        var rows = new List<IReadOnlyList<string?>>();
        var text = Encoding.UTF8.GetString(data.WrittenSpan);
        var lines = text.Split('\n');
        // A cut-off last line is incomplete: drop it.
        var usable = truncated ? lines.Length - 1 : lines.Length;
        for (var i = 0; i < usable; i++)
        {
            var line = lines[i];
            if (line == "\\.")
            {
                break;
            }

            if (line.Length == 0 && i == usable - 1)
            {
                continue;
            }

            rows.Add([.. line.Split('\t').Select(Unescape)]);
        }

        return new PgCapturedTable { Table = table, Columns = ColumnsOf(copyStatement), Rows = rows, Truncated = truncated };
    }

    /// <summary>The column names of a COPY statement such as <c>COPY public.t (name, "value") FROM stdin;</c>.</summary>
    internal static IReadOnlyList<string> ColumnsOf(string? copyStatement)
    {
        if (copyStatement is null)
        {
            return [];
        }

        var open = copyStatement.IndexOf('(', StringComparison.Ordinal);
        var close = copyStatement.LastIndexOf(") FROM", StringComparison.Ordinal);
        if (open < 0 || close < open)
        {
            return [];
        }

        return [.. copyStatement[(open + 1)..close].Split(',').Select(c => c.Trim()).Select(c => c.Length > 1 && c[0] == '"' ? c[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : c)];
    }

    /// <summary>One field of COPY text: <c>\N</c> is NULL; <c>\\</c>, <c>\t</c>, <c>\n</c>, <c>\r</c>, <c>\b</c>, <c>\f</c>, <c>\v</c>, octal and <c>\x</c> escapes are decoded.</summary>
    internal static string? Unescape(string field)
    {
        if (field == "\\N")
        {
            return null;
        }

        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var bytes = new List<byte>(field.Length);
        var raw = Encoding.UTF8.GetBytes(field);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] != (byte)'\\' || i + 1 >= raw.Length)
            {
                bytes.Add(raw[i]);
                continue;
            }

            var c = raw[++i];
            switch ((char)c)
            {
                case 'b': bytes.Add(8); break;
                case 'f': bytes.Add(12); break;
                case 'n': bytes.Add(10); break;
                case 'r': bytes.Add(13); break;
                case 't': bytes.Add(9); break;
                case 'v': bytes.Add(11); break;
                case >= '0' and <= '7':
                    var value = c - '0';
                    for (var k = 0; k < 2 && i + 1 < raw.Length && raw[i + 1] is >= (byte)'0' and <= (byte)'7'; k++)
                    {
                        value = (value * 8) + (raw[++i] - '0');
                    }

                    bytes.Add((byte)value);
                    break;
                case 'x' when i + 1 < raw.Length && Uri.IsHexDigit((char)raw[i + 1]):
                    var hex = Convert.ToInt32(((char)raw[++i]).ToString(), 16);
                    if (i + 1 < raw.Length && Uri.IsHexDigit((char)raw[i + 1]))
                    {
                        hex = (hex * 16) + Convert.ToInt32(((char)raw[++i]).ToString(), 16);
                    }

                    bytes.Add((byte)hex);
                    break;
                default: bytes.Add(c); break;
            }
        }

        return Encoding.UTF8.GetString([.. bytes]);
    }
}
