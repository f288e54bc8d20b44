namespace Gittensory.Drills.Reporting;

/// <summary>A network the application container is attached to, as the engine describes it (<c>GET /networks/{id}</c>): name, id, driver, and its <c>Internal</c> flag.</summary>
public sealed record AppNetwork(string Name, string Id, string? Driver, bool Internal);
