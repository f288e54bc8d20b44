namespace Gittensory.Drills.Safety;

/// <summary>The drill refused to touch a database that is, or might be, the live one.</summary>
public sealed class LiveDatabaseRefusedException(string message, Exception? inner = null) : Exception(message, inner);
