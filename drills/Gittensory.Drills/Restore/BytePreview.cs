using System.Text;

namespace Gittensory.Drills.Restore;

/// <summary>The first bytes of a file as a person reads them: as text when they are printable, and always in hex.</summary>
internal static class BytePreview
{
    /// <summary>E.g. <c>'hello, wo' (68 65 6c 6c 6f 2c 20 77)</c>; at most <paramref name="count"/> bytes.</summary>
    public static string Describe(ReadOnlySpan<byte> bytes, int count = 16)
    {
        var head = bytes[..Math.Min(count, bytes.Length)];
        if (head.IsEmpty)
        {
            return "nothing (no bytes)";
        }

        var hex = Convert.ToHexStringLower(head);
        var spaced = string.Join(' ', Enumerable.Range(0, head.Length).Select(i => hex.Substring(i * 2, 2)));
        var printable = true;
        foreach (var b in head)
        {
            printable &= b is >= 0x20 and < 0x7f or (byte)'\t' or (byte)'\n' or (byte)'\r';
        }

        return printable ? $"'{Encoding.ASCII.GetString(head).ReplaceLineEndings(" ")}' ({spaced})" : spaced;
    }
}
