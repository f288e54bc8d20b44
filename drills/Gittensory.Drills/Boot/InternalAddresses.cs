using Gittensory.Drills.Sandbox;

namespace Gittensory.Drills.Boot;

/// <summary>
/// Where the scratch services are on the internal network, by address rather than alias: a host command in a container's network
/// namespace still reads this host's <c>/etc/resolv.conf</c>, so it cannot resolve the network's aliases (and asks no resolver
/// anything). Turns the loopback URLs a host command is otherwise given (<c>127.0.0.1:&lt;published port&gt;</c>) into
/// <c>&lt;address&gt;:&lt;container port&gt;</c>, read from the engine's description of each container.
/// </summary>
internal sealed class InternalAddresses
{
    private readonly Dictionary<string, string> byLoopback = new(StringComparer.Ordinal);

    private InternalAddresses()
    {
    }

    /// <summary>What each container named in <paramref name="containers"/> publishes on loopback, mapped to its address on <paramref name="network"/>.</summary>
    public static async Task<InternalAddresses> ReadAsync(string network, IEnumerable<string> containers, CancellationToken ct = default)
    {
        var addresses = new InternalAddresses();
        foreach (var container in containers)
        {
            var inspection = await EngineApi.InspectContainerAsync(container, ct);
            var address = inspection.Networks.FirstOrDefault(n => n.Name == network)?.IpAddress
                ?? throw new InvalidOperationException($"Container {inspection.Name} has no address on the internal network {network}; it was attached to it just before.");
            foreach (var (hostPort, containerPort) in await EngineApi.PublishedPortsAsync(container, ct))
            {
                addresses.byLoopback[$"127.0.0.1:{hostPort}"] = $"{address}:{containerPort}";
            }
        }

        return addresses;
    }

    /// <summary>How many loopback ports it knows.</summary>
    public int Count => byLoopback.Count;

    /// <summary><paramref name="value"/> with its loopback authority replaced by the internal address, when it is a URL of one of the services; else unchanged.</summary>
    public string Rewrite(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Host != "127.0.0.1" || url.IsDefaultPort)
        {
            return value;
        }

        var loopback = $"127.0.0.1:{url.Port}";
        if (!byLoopback.TryGetValue(loopback, out var internalAddress))
        {
            return value;
        }

        // Only the authority changes; the password's own encoding is kept byte for byte.
        var at = value.IndexOf("@" + loopback, StringComparison.Ordinal);
        var start = at >= 0 ? at + 1 : value.IndexOf("//" + loopback, StringComparison.Ordinal) + 2;
        return start < 1 ? value : string.Concat(value.AsSpan(0, start), internalAddress, value.AsSpan(start + loopback.Length));
    }
}
