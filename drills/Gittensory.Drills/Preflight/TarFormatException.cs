namespace Gittensory.Drills.Preflight;

/// <summary>A tar archive that cannot be read to its end: cut short, or with a header that is not a tar header.</summary>
internal sealed class TarFormatException(string message, long offset, bool truncated, long missingBytes = 0, string? archive = null) : Exception(message)
{
    /// <summary>The member holding the archive that failed, for a nested archive; null for the file itself.</summary>
    public string? Archive { get; } = archive;

    /// <summary>Where in the archive the trouble starts, in bytes.</summary>
    public long Offset { get; } = offset;

    /// <summary>True when the archive ends before its own headers say it should.</summary>
    public bool Truncated { get; } = truncated;

    /// <summary>For a cut-short archive, how many bytes the current member still needed (0 when unknown).</summary>
    public long MissingBytes { get; } = missingBytes;
}
