namespace Gittensory.Drills.Restore;

/// <summary>A backup expanded past one of the drill's own limits (a multiple of its compressed size, or the free disk space), so the drill stopped: the message says which limit and how to raise it.</summary>
public sealed class ExpansionLimitException(string message, long limitBytes) : Exception(message)
{
    /// <summary>The limit that was reached, in bytes.</summary>
    public long LimitBytes { get; } = limitBytes;
}
