using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gittensory.Drills.Sandbox;

/// <summary>Finds the local container engine and prepares Testcontainers for it (older API, no registry, loopback only).</summary>
public static class ContainerEngine
{
    /// <summary>The newest Docker API version Testcontainers 4.16 speaks by default; older engines refuse it.</summary>
    private static readonly Version TestcontainersApi = new(1, 44);

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static EngineStatus? prepared;

    /// <summary>Asks the engine at <paramref name="endpoint"/> (default <c>DOCKER_HOST</c>, else the local socket) for its version, within <paramref name="timeout"/> (default 5 s).</summary>
    public static async Task<EngineStatus> ProbeAsync(string? endpoint = null, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        endpoint ??= Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix:///var/run/docker.sock";
        if (!endpoint.StartsWith("unix://", StringComparison.Ordinal))
        {
            return new EngineStatus(endpoint, Answers: false, null, null,
                $"DOCKER_HOST '{endpoint}' is not a local socket; the drill only drives a local engine (unix://).");
        }

        var socketPath = endpoint["unix://".Length..];
        if (!File.Exists(socketPath))
        {
            return new EngineStatus(endpoint, false, null, null,
                $"No container engine: '{socketPath}' does not exist. Start one with fixtures/engine/ensure-engine.sh (Debian, no registry needed).");
        }

        using var http = CreateClient(socketPath, timeout ?? TimeSpan.FromSeconds(5));
        try
        {
            var version = await http.GetFromJsonAsync<VersionAnswer>("version", ct);
            return new EngineStatus(endpoint, true, version?.Version, version?.ApiVersion, null);
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or TaskCanceledException or IOException)
        {
            return new EngineStatus(endpoint, false, null, null,
                $"The container engine at '{socketPath}' does not answer ({e.Message}). Is dockerd running? fixtures/engine/ensure-engine.sh starts it.");
        }
    }

    /// <summary>The environment variables baked into a local image (e.g. <c>PG_MAJOR=16</c>), or null when the engine does not have the image.</summary>
    public static async Task<IReadOnlyDictionary<string, string>?> ImageEnvironmentAsync(string image, CancellationToken ct = default)
    {
        var status = await ProbeAsync(ct: ct);
        if (!status.Answers)
        {
            return null;
        }

        using var http = CreateClient(status.Endpoint["unix://".Length..], TimeSpan.FromSeconds(10));
        using var answer = await http.GetAsync($"images/{Uri.EscapeDataString(image)}/json", ct);
        if (!answer.IsSuccessStatusCode)
        {
            return null;
        }

        var inspect = await answer.Content.ReadFromJsonAsync<ImageAnswer>(ct);
        return (inspect?.Config?.Env ?? [])
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

        using var http = CreateClient(status.Endpoint["unix://".Length..], TimeSpan.FromSeconds(10));
        var filter = Uri.EscapeDataString($"{{\"label\":[\"{DrillSandbox.RunLabel}={runId}\"]}}");
        var containers = await http.GetFromJsonAsync<JsonElement>($"containers/json?all=1&filters={filter}", ct);
        var networks = await http.GetFromJsonAsync<JsonElement>($"networks?filters={filter}", ct);
        return (containers.GetArrayLength(), networks.GetArrayLength());
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

    /// <summary>A client for the local engine's API (<c>http://docker/</c> over the unix socket); throws with the reason when no engine answers.</summary>
    internal static async Task<HttpClient> OpenClientAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        var status = await ProbeAsync(ct: ct);
        if (!status.Answers)
        {
            throw new InvalidOperationException(status.Problem);
        }

        return CreateClient(status.Endpoint["unix://".Length..], timeout);
    }

    private static void SetDefault(string name, string value)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    private static HttpClient CreateClient(string socketPath, TimeSpan timeout)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), token);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        return new HttpClient(handler, disposeHandler: true) { BaseAddress = new Uri("http://docker/"), Timeout = timeout };
    }

    private sealed record ImageAnswer([property: JsonPropertyName("Config")] ImageConfig? Config);

    private sealed record ImageConfig([property: JsonPropertyName("Env")] string[]? Env);

    private sealed record VersionAnswer(
        [property: JsonPropertyName("Version")] string? Version,
        [property: JsonPropertyName("ApiVersion")] string? ApiVersion);
}
