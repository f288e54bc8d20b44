namespace Gittensory.Drills.Backups;

/// <summary>An entry named like a backup that is not one, and was never opened: a FIFO, a device, a socket, a link leading outside the root.</summary>
/// <param name="RelativePath">Its path relative to the root, with forward slashes.</param>
/// <param name="Reason">What it is, e.g. "a FIFO (named pipe), not a file: never opened".</param>
public sealed record RejectedEntry(string RelativePath, string Reason);
