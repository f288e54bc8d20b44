namespace Gittensory.Drills.Preflight;

/// <summary>A value in the archive that the layout forbids (a negative length, an unknown flag); the reader adds the file and what to do.</summary>
internal sealed class ArchiveCorruptException(long offset, string problem) : Exception(problem)
{
    /// <summary>Where the bad value starts.</summary>
    public long Offset { get; } = offset;
}
