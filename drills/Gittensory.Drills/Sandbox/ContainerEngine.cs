using System.Net;
using System.Net.Sockets;
using Docker.DotNet;
using Docker.DotNet.Models;
using Version = System.Version;

namespace Gittensory.Drills.Sandbox;

/// <summary>Finds the local container engine and prepares Testcontainers for it (older API, no registry, loopback only).</summary>
public static class ContainerEngine
{
    /// <summary>The newest Docker API version Testcontainers 4.16 speaks by default; older engines refuse it.</summary>
    private static readonly Version TestcontainersApi = new(1, 44);

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly SemaphoreSlim ProbeGate = new(1, 1);
    private static EngineStatus? prepared;
    private static EngineStatus? probed;

    /// <summary>
    /// Asks the engine at <paramref name="endpoint"/> (default <c>DOCKER_HOST</c>, else the local socket) for its version, within
    /// <paramref name="timeout"/> (default 5 s). The default engine is asked once per process: its answer is kept once it answers.
    /// </summary>
    public static async Task<EngineStatus> ProbeAsync(string? endpoint = null, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        if (endpoint is not null || timeout is not null)
        {
            return await AskAsync(endpoint ?? DefaultEndpoint(), timeout ?? TimeSpan.FromSeconds(5), ct);
        }

        if (probed is { Answers: true } known)
        {
            return known;
        }

        await ProbeGate.WaitAsync(ct);
        try
        {
            if (probed is not { Answers: true })
            {
                probed = await AskAsync(DefaultEndpoint(), TimeSpan.FromSeconds(5), ct);
                Probes++;
            }

            return probed;
        }
        finally
        {
            ProbeGate.Release();
        }
    }

    /// <summary>How many times this process asked the default engine for its version (1 once it answered).</summary>
    internal static int Probes { get; private set; }

    /// <summary>The environment variables baked into a local image (e.g. <c>PG_MAJOR=16</c>), or null when the engine does not have the image.</summary>
    public static async Task<IReadOnlyDictionary<string, string>?> ImageEnvironmentAsync(string image, CancellationToken ct = default)
    {
        var status = await ProbeAsync(ct: ct);
        if (!status.Answers)
        {
            return null;
        }

        var engine = await EngineClient.GetAsync(ct);
        ImageInspectResponse inspect;
        try
        {
            inspect = await engine.Images.InspectImageAsync(image, ct);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        return (inspect.Config?.Env ?? [])
            .Select(e => e.Split('=', 2))
            .Where(p => p.Length == 2)
            .GroupBy(p => p[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last()[1], StringComparer.Ordinal);
    }

    /// <summary>How many containers (running or not) and networks carry the label <c>gittensory.drills.run=&lt;run id&gt;</c>.</summary>
    public static async Task<(int Containers, int Networks)> CountRunResourcesAsync(string runId, CancellationToken ct = default)
    {
        var status = await ProbeAsync(ct: ct);
        if (!status.Answers)
        {
            throw new InvalidOperationException(status.Problem);
        }

        var engine = await EngineClient.GetAsync(ct);
        var filters = new Dictionary<string, IDictionary<string, bool>>(StringComparer.Ordinal)
        {
            ["label"] = new Dictionary<string, bool>(StringComparer.Ordinal) { [$"{DrillSandbox.RunLabel}={runId}"] = true },
        };
        var containers = await engine.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filters }, ct);
        var networks = await engine.Networks.ListNetworksAsync(new NetworksListParameters { Filters = filters }, ct);
        return (containers.Count, networks.Count);
    }

    /// <summary>
    /// Probes the engine once per process and sets what Testcontainers needs before its first use:
    /// <c>DOCKER_API_VERSION</c> for an older engine, Ryuk off (its image cannot be pulled without a registry), and the loopback host.
    /// </summary>
    public static async Task<EngineStatus> PrepareAsync(CancellationToken ct = default)
    {
        await Gate.WaitAsync(ct);
        try
        {
            if (prepared is { Answers: true })
            {
                return prepared;
            }

            var status = await ProbeAsync(ct: ct);
            if (status.Answers)
            {
                if (Version.TryParse(status.ApiVersion, out var api) && api < TestcontainersApi
                    && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_API_VERSION")))
                {
                    Environment.SetEnvironmentVariable("DOCKER_API_VERSION", status.ApiVersion);
                }

                SetDefault("TESTCONTAINERS_RYUK_DISABLED", "true");
                SetDefault("TESTCONTAINERS_HOST_OVERRIDE", "127.0.0.1");
            }

            prepared = status;
            return status;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static void SetDefault(string name, string value)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    internal static string DefaultEndpoint() =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix:///var/run/docker.sock";

    private static async Task<EngineStatus> AskAsync(string endpoint, TimeSpan timeout, CancellationToken ct)
    {
        var tcp = endpoint.StartsWith("tcp://", StringComparison.Ordinal);
        if (!tcp && !endpoint.StartsWith("unix://", StringComparison.Ordinal))
        {
            return new EngineStatus(endpoint, Answers: false, null, null,
                $"DOCKER_HOST '{endpoint}' is neither a local socket (unix://) nor an engine's TCP address (tcp://host:port); the drill drives only those.");
        }

        var socketPath = tcp ? endpoint : endpoint["unix://".Length..];
        if (!tcp && !File.Exists(socketPath))
        {
            return new EngineStatus(endpoint, false, null, null,
                $"No container engine: '{socketPath}' does not exist. Start one with fixtures/engine/ensure-engine.sh (Debian, no registry needed).");
        }

        // Unversioned, so that an engine of any age answers; the one client (EngineClient) then speaks the version it says.
        using var probe = new DockerClientBuilder().WithEndpoint(new Uri(endpoint)).WithTimeout(timeout).Build();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            var version = await probe.System.GetVersionAsync(limit.Token);
            return new EngineStatus(endpoint, true, version.Version, version.APIVersion, null);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or SocketException or OperationCanceledException or TimeoutException or IOException or DockerApiException or AggregateException)
        {
            var reason = e is OperationCanceledException or TimeoutException ? $"no answer within {timeout.TotalSeconds:0.#} s"
                : e is AggregateException many ? string.Join("; ", many.Flatten().InnerExceptions.Select(i => i.Message).Distinct(StringComparer.Ordinal))
                : e.Message;
            return new EngineStatus(endpoint, false, null, null,
                $"The container engine at '{socketPath}' does not answer ({reason}). Is dockerd running? fixtures/engine/ensure-engine.sh starts it.");
        }
    }
}
