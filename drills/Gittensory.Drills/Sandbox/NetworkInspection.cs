namespace Gittensory.Drills.Sandbox;

/// <summary>What the engine says of a network (<c>GET /networks/{id}</c>): its id, name, driver and its <c>Internal</c> flag.</summary>
internal sealed record NetworkInspection(string Id, string Name, string? Driver, bool Internal);
