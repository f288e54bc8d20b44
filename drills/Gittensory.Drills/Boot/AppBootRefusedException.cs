namespace Gittensory.Drills.Boot;

/// <summary>The boot options cannot be used as given (an env file that is missing, malformed, or points the application away from the scratch services); the drill cannot run.</summary>
public sealed class AppBootRefusedException(string message, Exception? inner = null) : Exception(message, inner);
