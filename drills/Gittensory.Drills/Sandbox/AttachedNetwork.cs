namespace Gittensory.Drills.Sandbox;

/// <summary>One entry of a container's <c>NetworkSettings.Networks</c>: the network's name and id, the container's address on it (empty once stopped) and its aliases.</summary>
internal sealed record AttachedNetwork(string Name, string? NetworkId, string? IpAddress, IReadOnlyList<string> Aliases);
