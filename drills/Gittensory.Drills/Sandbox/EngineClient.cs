using Docker.DotNet;

namespace Gittensory.Drills.Sandbox;

/// <summary>
/// The one client of the local container engine for the whole process: the Docker.DotNet client that Testcontainers already
/// brings, created on first use from the cached probe (<see cref="ContainerEngine.ProbeAsync"/>) and kept until the process ends.
/// </summary>
internal static class EngineClient
{
    /// <summary>How long one engine call may take (30 s); a stop adds its grace period on top through its own token.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static IDockerClient? client;

    /// <summary>The engine's API version this client speaks (e.g. 1.41), or null before first use.</summary>
    public static Version? ApiVersion { get; private set; }

    /// <summary>How many clients this process has built: 1 after first use, whatever the number of calls.</summary>
    public static int Created { get; private set; }

    /// <summary>The client; throws <see cref="InvalidOperationException"/> with the probe's reason when no engine answers.</summary>
    public static async Task<IDockerClient> GetAsync(CancellationToken ct = default)
    {
        if (client is { } ready)
        {
            return ready;
        }

        await Gate.WaitAsync(ct);
        try
        {
            if (client is not null)
            {
                return client;
            }

            var status = await ContainerEngine.ProbeAsync(ct: ct);
            if (!status.Answers)
            {
                throw new InvalidOperationException(status.Problem);
            }

            ApiVersion = Negotiate(status.ApiVersion, Environment.GetEnvironmentVariable("DOCKER_API_VERSION"));
            var builder = new DockerClientBuilder().WithEndpoint(new Uri(status.Endpoint)).WithTimeout(CallTimeout);
            if (ApiVersion is not null)
            {
                builder = builder.WithApiVersion(ApiVersion);
            }

            client = builder.Build();
            Created++;
            return client;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>
    /// The API version to request: the engine's own (so an older engine such as 20.10 / 1.41 is never asked for a newer one),
    /// or <c>DOCKER_API_VERSION</c> when the operator set a lower one; null when the engine did not say (then the engine picks).
    /// </summary>
    internal static Version? Negotiate(string? engineApi, string? requested)
    {
        var engine = Version.TryParse(engineApi, out var e) ? e : null;
        var asked = Version.TryParse(requested, out var r) ? r : null;
        return (engine, asked) switch
        {
            ({ } a, { } b) => a < b ? a : b,
            ({ } a, null) => a,
            (null, { } b) => b,
            _ => null,
        };
    }
}
