namespace Gittensory.Drills.Preflight;

/// <summary>The archive ended before a value that the layout requires; the reader turns it into a rejection naming where.</summary>
internal sealed class ArchiveEndOfFileException(long offset, long needed)
    : Exception($"The file ends at byte {offset} but {needed} more byte(s) were expected there.")
{
    /// <summary>Where the read that failed started.</summary>
    public long Offset { get; } = offset;

    /// <summary>How many bytes the read needed.</summary>
    public long Needed { get; } = needed;
}
