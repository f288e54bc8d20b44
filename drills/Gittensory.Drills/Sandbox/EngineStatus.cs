namespace Gittensory.Drills.Sandbox;

/// <summary>What the container engine answered: whether it answers at all, its version and API version, and why not.</summary>
public sealed record EngineStatus(string Endpoint, bool Answers, string? Version, string? ApiVersion, string? Problem);
