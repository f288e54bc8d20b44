using System.Net;

namespace Gittensory.Drills.Sandbox;

/// <summary>
/// Whether the container engine runs on this machine, which decides whether the drill may bind-mount local paths: an engine on
/// another machine resolves a bind mount's source on its own disk, where the backup does not exist, so the drill copies the
/// backups into the containers instead. Decided from the endpoint, unless the operator says (<c>--engine-is-remote</c>,
/// <c>DRILL_ENGINE_REMOTE</c>): a unix socket is local; <c>tcp://</c> to a loopback address or <c>localhost</c> is local; any other
/// host is remote (a name of this very host counts as remote too, which costs only a copy).
/// </summary>
/// <param name="IsRemote">True when backups are copied into the containers rather than mounted.</param>
/// <param name="Reason">Why, for the log and the report.</param>
public sealed record EngineLocation(bool IsRemote, string Reason)
{
    /// <summary>A local engine reached on the default socket.</summary>
    public static EngineLocation Local { get; } = new(false, "the engine is on this machine (a local socket)");

    /// <summary>Decides for <paramref name="endpoint"/> (<c>DOCKER_HOST</c>, or the local socket); <paramref name="forced"/> (from the CLI) overrides the detection.</summary>
    public static EngineLocation Decide(string endpoint, bool? forced)
    {
        if (forced is { } remote)
        {
            return new EngineLocation(remote, remote
                ? $"the engine at '{endpoint}' is treated as remote, as asked (--engine-is-remote / DRILL_ENGINE_REMOTE=true)"
                : $"the engine at '{endpoint}' is treated as local, as asked (DRILL_ENGINE_REMOTE=false)");
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var url) || url.Scheme is "unix" or "npipe")
        {
            return new EngineLocation(false, $"the engine at '{endpoint}' is on this machine (a local socket)");
        }

        var host = url.Host.Trim('[', ']');
        var loopback = host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
        return loopback
            ? new EngineLocation(false, $"the engine at '{endpoint}' is on this machine (a loopback address)")
            : new EngineLocation(true, $"the engine at '{endpoint}' is on another machine ({host} is not a loopback address), where local paths do not exist");
    }
}
