namespace Gittensory.Drills.Restore;

/// <summary>pg_restore did not finish within the drill's bound (<c>-RestoreTimeout</c>); the message names the container, the bound and what was seen last.</summary>
public sealed class RestoreTimeoutException(string message) : Exception(message);
