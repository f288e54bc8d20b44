namespace Gittensory.Drills.Sandbox;

/// <summary>What the engine says of a container (<c>GET /containers/{id}/json</c>): its state, exit code, network mode and attached networks.</summary>
internal sealed record ContainerInspection(
    string Id,
    string Name,
    string Status,
    bool Running,
    long ExitCode,
    string NetworkMode,
    IReadOnlyList<AttachedNetwork> Networks);
