namespace Gittensory.Drills.Preflight;

/// <summary>How far a pass over an archive has got: <paramref name="BytesRead"/> of <paramref name="TotalBytes"/> (the file's length when opened).</summary>
/// <param name="BytesRead">Bytes read from the start of the file so far.</param>
/// <param name="TotalBytes">The file's length in bytes.</param>
public readonly record struct PgReadProgress(long BytesRead, long TotalBytes)
{
    /// <summary>The fraction read, from 0 to 1 (1 for an empty file).</summary>
    public double Fraction => TotalBytes <= 0 ? 1 : Math.Min(1, (double)BytesRead / TotalBytes);
}
