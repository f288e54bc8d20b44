using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using Gittensory.Drills.Sandbox;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gittensory.Drills.Boot;

/// <summary>
/// A small container of the harness's own on the internal network, which asks the application over HTTP from inside it: an
/// internal network publishes no ports, so the harness cannot reach the application from the host. It uses whatever its image
/// has: bash (<c>/dev/tcp</c>), else <c>nc</c>, else <c>wget</c> (which gives the body of a 2xx answer only).
/// </summary>
internal sealed class ReadyProber
{
    /// <summary>How long one request may take.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    // $1 address, $2 port, $3 path, $4 Host header. HTTP/1.0 so that the answer is never chunked and the server closes the connection.
    private const string BashRequest =
        "exec 3<>\"/dev/tcp/$1/$2\" || exit 97; printf 'GET %s HTTP/1.0\\r\\nHost: %s\\r\\nConnection: close\\r\\n\\r\\n' \"$3\" \"$4\" >&3; cat <&3";

    private const string NcRequest =
        "printf 'GET %s HTTP/1.0\\r\\nHost: %s\\r\\nConnection: close\\r\\n\\r\\n' \"$3\" \"$4\" | nc -w 10 \"$1\" \"$2\"";

    private const string Detect =
        "for t in bash nc wget; do if command -v $t >/dev/null 2>&1; then printf %s $t; break; fi; done; " +
        "if command -v timeout >/dev/null 2>&1; then printf ' timeout'; fi";

    private readonly IContainer container;
    private readonly string tool;
    private readonly bool hasTimeout;

    private ReadyProber(IContainer container, string image, string tool, bool hasTimeout)
    {
        this.container = container;
        Image = image;
        this.tool = tool;
        this.hasTimeout = hasTimeout;
    }

    /// <summary>The prober container's id.</summary>
    public string ContainerId => container.Id;

    /// <summary>The prober container's name, <c>gdrill-&lt;run id&gt;-prober</c>.</summary>
    public string Name => container.Name.TrimStart('/');

    /// <summary>The prober's image.</summary>
    public string Image { get; }

    /// <summary>How it asks, for the report: e.g. <c>bash /dev/tcp</c>.</summary>
    public string Method => tool == "bash" ? "bash /dev/tcp" : tool;

    /// <summary>Starts the prober on <paramref name="network"/> (only that network) and finds out how it can ask.</summary>
    public static async Task<ReadyProber> StartAsync(DrillSandbox sandbox, string image, string network, CancellationToken ct = default)
    {
        var container = sandbox.Track(new ContainerBuilder(image)
            .WithName(sandbox.ContainerName("prober"))
            .WithLabel(DrillSandbox.RunLabel, sandbox.RunId)
            .WithNetwork(network)
            .WithEntrypoint("sh", "-c", "trap 'exit 0' TERM INT; while :; do sleep 1; done")
            .WithLogger(NullLogger.Instance)
            .Build());
        await container.StartAsync(ct);
        var found = await container.ExecAsync(["sh", "-c", Detect], ct);
        var words = found.Stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (found.ExitCode != 0 || words.Length == 0 || words[0] is not ("bash" or "nc" or "wget"))
        {
            throw new AppBootRefusedException(
                $"The prober image '{image}' has neither bash, nc nor wget to ask the application's /ready from inside the internal network " +
                $"(it said: '{(found.Stdout + found.Stderr).Trim()}'). Use an image that has one (redis:7-alpine has nc and wget; a Debian-based image has bash): --prober-image.");
        }

        return new ReadyProber(container, image, words[0], words.Contains("timeout"));
    }

    /// <summary>Asks <c>GET <paramref name="path"/></c> of <paramref name="address"/>:<paramref name="port"/> with <c>Host: <paramref name="host"/></c>.</summary>
    public async Task<HttpAnswer> GetAsync(string address, int port, string path, string host, CancellationToken ct = default)
    {
        var portText = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] command = tool switch
        {
            "bash" => ["bash", "-c", BashRequest, "probe", address, portText, path, host],
            "nc" => ["sh", "-c", NcRequest, "probe", address, portText, path, host],
            _ => ["wget", "-S", "-q", "-O", "-", "-T", "10", $"http://{address}:{portText}{path}"],
        };
        if (hasTimeout)
        {
            command = ["timeout", $"{RequestTimeout.TotalSeconds:0}", .. command];
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(RequestTimeout + TimeSpan.FromSeconds(5));
        try
        {
            var result = await container.ExecAsync(command, limit.Token);
            return RawHttpResponse.Parse(result.Stdout, result.Stderr, result.ExitCode ?? -1, RequestTimeout);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return HttpAnswer.None($"no answer within {RequestTimeout.TotalSeconds + 5:0} s");
        }
    }
}
