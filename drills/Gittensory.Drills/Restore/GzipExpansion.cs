namespace Gittensory.Drills.Restore;

/// <summary>A gzip file expanded whole: its sizes in bytes, how many gzip members it held (each one's CRC-32 and length checked), and the first bytes it expanded to.</summary>
/// <param name="CompressedBytes">The size of the gzip file.</param>
/// <param name="ExpandedBytes">The size of what it expanded to.</param>
/// <param name="Members">The number of gzip members (1 for what <c>gzip</c> writes from one file).</param>
/// <param name="Head">The first bytes of the expanded data (at most 100, a SQLite header's length).</param>
public sealed record GzipExpansion(long CompressedBytes, long ExpandedBytes, int Members, byte[] Head)
{
    /// <summary>Expanded bytes per compressed byte.</summary>
    public double Ratio => CompressedBytes == 0 ? 0 : (double)ExpandedBytes / CompressedBytes;
}
