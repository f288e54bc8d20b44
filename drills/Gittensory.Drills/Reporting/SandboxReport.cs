namespace Gittensory.Drills.Reporting;

/// <summary>What the drill created in the engine, and whether it was kept for inspection.</summary>
public sealed record SandboxReport(string RunId, string Network, IReadOnlyList<string> Containers, bool Kept, string? ScratchConnection, string? EngineVersion);
