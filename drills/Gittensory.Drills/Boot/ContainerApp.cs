using Gittensory.Drills.Reporting;
using Gittensory.Drills.Sandbox;

namespace Gittensory.Drills.Boot;

/// <summary>
/// The application as a container this drill created from its image through the raw engine API, so that it can be attached
/// to its networks and described by the engine before it ever starts; asked over HTTP by the <see cref="ReadyProber"/>.
/// </summary>
internal sealed class ContainerApp : IAppUnderDrill
{
    /// <summary>The application's alias on the internal network (and its Host header).</summary>
    public const string Alias = "app";

    private readonly string network;
    private readonly int port;
    private readonly ReadyProber prober;
    private string? address;

    private ContainerApp(string id, string name, string network, int port, ReadyProber prober)
    {
        Id = id;
        Name = name;
        this.network = network;
        this.port = port;
        this.prober = prober;
    }

    /// <inheritdoc />
    public string Form => "container";

    /// <summary>The container's id.</summary>
    public string Id { get; }

    /// <summary>The container's name, <c>gdrill-&lt;run id&gt;-app</c>.</summary>
    public string Name { get; }

    /// <summary>Creates the container (not started) on <paramref name="network"/> only, with <paramref name="binds"/> mounted (<c>host:container:rw</c>), then attaches <paramref name="extraNetworks"/>; the sandbox removes it.</summary>
    public static async Task<ContainerApp> CreateAsync(
        DrillSandbox sandbox, string image, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> binds, string network, IReadOnlyList<string> extraNetworks,
        int port, ReadyProber prober, CancellationToken ct = default)
    {
        var name = sandbox.ContainerName("app");
        var labels = new Dictionary<string, string> { [DrillSandbox.RunLabel] = sandbox.RunId };
        var id = await EngineApi.CreateContainerAsync(name, image, environment, labels, network, [Alias], binds, ct);
        sandbox.TrackContainer(id);
        foreach (var extra in extraNetworks)
        {
            await EngineApi.ConnectAsync(extra, id, [Alias], ct);
        }

        return new ContainerApp(id, name, network, port, prober);
    }

    /// <summary>Every network the container is attached to, each as the engine itself describes it (never tested by sending traffic).</summary>
    public Task<IReadOnlyList<AppNetwork>> NetworksAsync(CancellationToken ct = default) => NetworksOfAsync(Id, ct);

    /// <summary>Every network container <paramref name="id"/> is attached to, each as the engine itself describes it.</summary>
    public static async Task<IReadOnlyList<AppNetwork>> NetworksOfAsync(string id, CancellationToken ct = default)
    {
        var container = await EngineApi.InspectContainerAsync(id, ct);
        var networks = new List<AppNetwork>();
        foreach (var attached in container.Networks)
        {
            var described = await EngineApi.InspectNetworkAsync(attached.NetworkId ?? attached.Name, ct);
            networks.Add(new AppNetwork(described.Name, described.Id, described.Driver, described.Internal));
        }

        if (networks.Count == 0)
        {
            // No entry at all (e.g. network mode "none" or "host" on some engines): describe the mode's network so the check sees it.
            var described = await EngineApi.InspectNetworkAsync(container.NetworkMode, ct);
            networks.Add(new AppNetwork(described.Name, described.Id, described.Driver, described.Internal));
        }

        return networks;
    }

    /// <summary>Starts the container.</summary>
    public Task StartAsync(CancellationToken ct = default) => EngineApi.StartContainerAsync(Id, ct);

    /// <inheritdoc />
    public async Task<HttpAnswer> GetAsync(string path, CancellationToken ct = default)
    {
        // By address, not by alias: a name the network's DNS does not know (the container has exited) would be forwarded
        // to the host's resolvers, and the drill sends nothing outside its sandbox.
        if (address is null)
        {
            var container = await EngineApi.InspectContainerAsync(Id, ct);
            address = container.Networks.FirstOrDefault(n => n.Name == network)?.IpAddress;
            if (address is null)
            {
                return HttpAnswer.None($"the container has no address on {network} (it is {container.Status})");
            }
        }

        return await prober.GetAsync(address, port, path, Alias, ct);
    }

    /// <inheritdoc />
    public async Task<long?> ExitCodeAsync(CancellationToken ct = default)
    {
        var container = await EngineApi.InspectContainerAsync(Id, ct);
        return container.Status is "exited" or "dead" ? container.ExitCode : null;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken ct = default) => EngineApi.StopContainerAsync(Id, TimeSpan.FromSeconds(10), ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> LogTailAsync(int lines, CancellationToken ct = default) => EngineApi.LogTailAsync(Id, lines, ct);

    /// <summary>Nothing to do: the sandbox removes the container (or keeps it for inspection).</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
