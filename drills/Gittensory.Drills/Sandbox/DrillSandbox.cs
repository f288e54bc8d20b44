using Microsoft.Extensions.Logging.Abstractions;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Networks;

namespace Gittensory.Drills.Sandbox;

/// <summary>
/// Everything one drill creates in the engine: a network of its own and the containers on it, all named
/// <c>gdrill-&lt;run id&gt;-*</c> and labelled with the run id, removed on dispose unless the operator keeps them.
/// </summary>
public sealed class DrillSandbox : IAsyncDisposable
{
    /// <summary>The prefix of everything the harness creates.</summary>
    public const string NamePrefix = "gdrill";

    /// <summary>The label carrying the run id on every container and network.</summary>
    public const string RunLabel = "gittensory.drills.run";

    // Containers first (all at once, killed: the scratch servers are disposable), then the extra networks, then the drill's own
    // network: a network cannot be removed while a container is still attached to it.
    private readonly List<Func<string?>> containers = [];
    private readonly List<INetwork> networks = [];
    private readonly Dictionary<string, Task> removedEarly = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    private DrillSandbox(string runId, INetwork network, bool keep)
    {
        RunId = runId;
        Network = network;
        Keep = keep;
    }

    /// <summary>The drill's run id.</summary>
    public string RunId { get; }

    /// <summary>The drill's own network.</summary>
    public INetwork Network { get; }

    /// <summary>When true, nothing is removed on dispose (for inspection).</summary>
    public bool Keep { get; }

    /// <summary>True when the engine runs on another machine: local paths cannot be bind-mounted, so backups are copied into the containers (<see cref="EngineLocation"/>).</summary>
    public bool EngineIsRemote { get; init; }

    /// <summary>The name prefix of this run's resources, <c>gdrill-&lt;run id&gt;</c>.</summary>
    public string Prefix => $"{NamePrefix}-{RunId}";

    /// <summary>Creates the drill's network (and so the sandbox) in an engine on this machine.</summary>
    public static Task<DrillSandbox> CreateAsync(string runId, bool keep, CancellationToken ct = default) => CreateAsync(runId, keep, null, ct);

    /// <summary>Creates the drill's network (and so the sandbox) in the engine at <paramref name="location"/>.</summary>
    /// <param name="runId">The run id.</param>
    /// <param name="keep">Keep everything for inspection.</param>
    /// <param name="location">Where the engine runs (null = on this machine): a remote engine gets the backups copied into its containers.</param>
    /// <param name="ct">Cancels the creation.</param>
    public static async Task<DrillSandbox> CreateAsync(string runId, bool keep, EngineLocation? location, CancellationToken ct = default)
    {
        var network = new NetworkBuilder()
            .WithName($"{NamePrefix}-{runId}")
            .WithLabel(RunLabel, runId)
            .WithLogger(NullLogger.Instance)
            .Build();
        await network.CreateAsync(ct);
        return new DrillSandbox(runId, network, keep) { EngineIsRemote = location?.IsRemote ?? false };
    }

    /// <summary>The name of this run's container for <paramref name="role"/>, e.g. <c>gdrill-&lt;run id&gt;-postgres</c>.</summary>
    public string ContainerName(string role) => $"{Prefix}-{role}";

    /// <summary>Registers a container so the sandbox removes it on dispose.</summary>
    public T Track<T>(T container)
        where T : IContainer
    {
        // By id at dispose time: Testcontainers' own dispose stops the container gracefully first, which a scratch server does not need.
        lock (gate)
        {
            containers.Add(() => IdOf(container));
        }

        return container;
    }

    // Null for a container never created (a start cancelled first): Testcontainers throws rather than give an empty id.
    private static string? IdOf(IContainer container)
    {
        try
        {
            return string.IsNullOrEmpty(container.Id) ? null : container.Id;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Registers a container created through the raw engine API (by id) so the sandbox removes it on dispose.</summary>
    internal void TrackContainer(string id)
    {
        lock (gate)
        {
            containers.Add(() => id);
        }
    }

    /// <summary>
    /// Starts killing and removing one container of this run now, while the drill goes on (a scratch server measured and needed by
    /// no later stage); the teardown waits for it, and fails as it would if the removal fails. Nothing when <see cref="Keep"/>.
    /// </summary>
    /// <returns>False when the sandbox is kept (the container stays).</returns>
    public bool RemoveEarly(string id)
    {
        if (Keep)
        {
            return false;
        }

        lock (gate)
        {
            if (!removedEarly.ContainsKey(id))
            {
                removedEarly[id] = Task.Run(() => EngineApi.RemoveContainerAsync(id));
            }
        }

        return true;
    }

    /// <summary>
    /// Creates another network of this run, <c>gdrill-&lt;run id&gt;-&lt;role&gt;</c>, labelled like the rest and removed on dispose after
    /// every container; <paramref name="isInternal"/> makes the engine refuse it any route outside (<c>docker network create --internal</c>).
    /// </summary>
    public async Task<INetwork> CreateNetworkAsync(string role, bool isInternal, CancellationToken ct = default)
    {
        var network = new NetworkBuilder()
            .WithName(ContainerName(role))
            .WithLabel(RunLabel, RunId)
            .WithCreateParameterModifier(parameters => parameters.Internal = isInternal)
            .WithLogger(NullLogger.Instance)
            .Build();
        await network.CreateAsync(ct);
        lock (gate)
        {
            networks.Add(network);
        }

        return network;
    }

    /// <summary>Kills and removes every container at once, then the networks (the drill's own last), unless <see cref="Keep"/>.</summary>
    /// <remarks>
    /// The builders keep Testcontainers' default session id: with the reaper disabled (no registry), <c>WithCleanUp(true)</c>
    /// would set an empty one, and disposing would then only stop the container, never remove it.
    /// https://github.com/testcontainers/testcontainers-dotnet/blob/develop/src/Testcontainers/Builders/AbstractBuilder`4.cs
    /// </remarks>
    public async ValueTask DisposeAsync()
    {
        if (Keep)
        {
            return;
        }

        string[] ids;
        Task[] early;
        lock (gate)
        {
            ids = [.. containers.Select(c => c()).OfType<string>().Distinct(StringComparer.Ordinal).Where(id => !removedEarly.ContainsKey(id))];
            early = [.. removedEarly.Values];
        }

        await Task.WhenAll([.. early, .. ids.Select(id => EngineApi.RemoveContainerAsync(id))]);
        for (var i = networks.Count - 1; i >= 0; i--)
        {
            await networks[i].DisposeAsync();
        }

        await Network.DisposeAsync();
    }
}
