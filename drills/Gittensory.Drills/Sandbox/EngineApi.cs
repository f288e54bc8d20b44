using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gittensory.Drills.Sandbox;

/// <summary>
/// The few raw engine calls the drill makes itself, where Testcontainers cannot do what is needed in the order needed:
/// create a container without starting it, attach networks, read the engine's own description of containers and networks.
/// https://docs.docker.com/reference/api/engine/version/v1.41/
/// </summary>
internal static class EngineApi
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Creates (does not start) a container on <paramref name="network"/> with <paramref name="aliases"/> and <paramref name="binds"/> (<c>host:container:mode</c>); returns its id.</summary>
    /// <exception cref="ContainerImageMissingException">The engine does not have <paramref name="image"/>.</exception>
    public static async Task<string> CreateContainerAsync(
        string name, string image, IReadOnlyDictionary<string, string> environment, IReadOnlyDictionary<string, string> labels,
        string network, IReadOnlyList<string> aliases, IReadOnlyList<string>? binds = null, CancellationToken ct = default)
    {
        var body = new JsonObject
        {
            ["Image"] = image,
            ["Env"] = new JsonArray([.. environment.Select(e => JsonValue.Create($"{e.Key}={e.Value}"))]),
            ["Labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)JsonValue.Create(l.Value)))),
            ["HostConfig"] = new JsonObject { ["NetworkMode"] = network, ["Binds"] = new JsonArray([.. (binds ?? []).Select(m => JsonValue.Create(m))]) },
            ["NetworkingConfig"] = new JsonObject
            {
                ["EndpointsConfig"] = new JsonObject { [network] = new JsonObject { ["Aliases"] = new JsonArray([.. aliases.Select(a => JsonValue.Create(a))]) } },
            },
        };
        using var http = await ContainerEngine.OpenClientAsync(CallTimeout, ct);
        using var answer = await http.PostAsJsonAsync($"containers/create?name={Uri.EscapeDataString(name)}", body, ct);
        if (answer.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ContainerImageMissingException(image, await MessageAsync(answer, ct));
        }

        await EnsureAsync(answer, $"create container '{name}' from '{image}'", ct);
        var created = await answer.Content.ReadFromJsonAsync<JsonElement>(ct);
        return created.GetProperty("Id").GetString()!;
    }

    /// <summary>Starts a created container.</summary>
    public static async Task StartContainerAsync(string id, CancellationToken ct = default)
    {
        using var http = await ContainerEngine.OpenClientAsync(CallTimeout, ct);
        using var answer = await http.PostAsync($"containers/{id}/start", null, ct);
        await EnsureAsync(answer, $"start container {Short(id)}", ct);
    }

    /// <summary>Attaches container <paramref name="container"/> (id or name) to <paramref name="network"/> with <paramref name="aliases"/>.</summary>
    public static async Task ConnectAsync(string network, string container, IReadOnlyList<string> aliases, CancellationToken ct = default)
    {
        var body = new JsonObject
        {
            ["Container"] = container,
            ["EndpointConfig"] = new JsonObject { ["Aliases"] = new JsonArray([.. aliases.Select(a => JsonValue.Create(a))]) },
        };
        using var http = await ContainerEngine.OpenClientAsync(CallTimeout, ct);
        using var answer = await http.PostAsJsonAsync($"networks/{Uri.EscapeDataString(network)}/connect", body, ct);
        await EnsureAsync(answer, $"attach container {Short(container)} to network '{network}'", ct);
    }

    /// <summary>The engine's description of a container: state, exit code, and every network it is attached to.</summary>
    public static async Task<ContainerInspection> InspectContainerAsync(string id, CancellationToken ct = default)
    {
        using var http = await ContainerEngine.OpenClientAsync(CallTimeout, ct);
        using var answer = await http.GetAsync($"containers/{id}/json", ct);
        await EnsureAsync(answer, $"inspect container {Short(id)}", ct);
        var json = await answer.Content.ReadFromJsonAsync<JsonElement>(ct);
        var state = json.GetProperty("State");
        var networks = new List<AttachedNetwork>();
        if (json.GetProperty("NetworkSettings").TryGetProperty("Networks", out var attached) && attached.ValueKind == JsonValueKind.Object)
        {
            foreach (var network in attached.EnumerateObject())
            {
                networks.Add(new AttachedNetwork(
                    network.Name,
                    Text(network.Value, "NetworkID"),
                    Text(network.Value, "IPAddress"),
                    network.Value.TryGetProperty("Aliases", out var aliases) && aliases.ValueKind == JsonValueKind.Array
                        ? [.. aliases.EnumerateArray().Select(a => a.GetString() ?? "")]
                        : []));
            }
        }

        var hostConfig = json.GetProperty("HostConfig");
        return new ContainerInspection(
            json.GetProperty("Id").GetString()!,
            json.GetProperty("Name").GetString()!.TrimStart('/'),
            state.GetProperty("Status").GetString() ?? "",
            state.GetProperty("Running").GetBoolean(),
            state.GetProperty("ExitCode").GetInt64(),
            Text(hostConfig, "NetworkMode") ?? "",
            networks);
    }

    /// <summary>The engine's description of a network (by id or name): its name, driver and whether it is internal.</summary>
    public static async Task<NetworkInspection> InspectNetworkAsync(string network, CancellationToken ct = default)
    {
        using var http = await ContainerEngine.OpenClientAsync(CallTimeout, ct);
        using var answer = await http.GetAsync($"networks/{Uri.EscapeDataString(network)}", ct);
        await EnsureAsync(answer, $"inspect network '{network}'", ct);
        var json = await answer.Content.ReadFromJsonAsync<JsonElement>(ct);
        return new NetworkInspection(
            json.GetProperty("Id").GetString()!,
            json.GetProperty("Name").GetString()!,
            Text(json, "Driver"),
            json.TryGetProperty("Internal", out var isInternal) && isInternal.ValueKind == JsonValueKind.True);
    }

    /// <summary>The container's last <paramref name="lines"/> lines of standard output and error, in the order written.</summary>
    public static async Task<IReadOnlyList<string>> LogTailAsync(string id, int lines, CancellationToken ct = default)
    {
        using var http = await ContainerEngine.OpenClientAsync(CallTimeout, ct);
        using var answer = await http.GetAsync($"containers/{id}/logs?stdout=1&stderr=1&tail={lines}", ct);
        await EnsureAsync(answer, $"read the logs of container {Short(id)}", ct);
        var bytes = await answer.Content.ReadAsByteArrayAsync(ct);
        return Demultiplex(bytes).Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).TakeLast(lines).ToList();
    }

    /// <summary>Stops a running container, giving it <paramref name="grace"/> before it is killed.</summary>
    public static async Task StopContainerAsync(string id, TimeSpan grace, CancellationToken ct = default)
    {
        using var http = await ContainerEngine.OpenClientAsync(CallTimeout + grace, ct);
        using var answer = await http.PostAsync($"containers/{id}/stop?t={(int)grace.TotalSeconds}", null, ct);
        if (answer.StatusCode != HttpStatusCode.NotModified)
        {
            await EnsureAsync(answer, $"stop container {Short(id)}", ct);
        }
    }

    /// <summary>Removes a container, running or not, with its anonymous volumes; a container already gone is fine.</summary>
    public static async Task RemoveContainerAsync(string id, CancellationToken ct = default)
    {
        using var http = await ContainerEngine.OpenClientAsync(CallTimeout, ct);
        using var answer = await http.DeleteAsync($"containers/{id}?force=1&v=1", ct);
        if (answer.StatusCode != HttpStatusCode.NotFound)
        {
            await EnsureAsync(answer, $"remove container {Short(id)}", ct);
        }
    }

    /// <summary>Splits the engine's multiplexed log stream (8-byte frame headers, no TTY) into text, frames in order.</summary>
    internal static string Demultiplex(ReadOnlySpan<byte> stream)
    {
        var text = new StringBuilder();
        while (stream.Length >= 8 && stream[0] <= 2 && stream[1] == 0 && stream[2] == 0 && stream[3] == 0)
        {
            var size = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(stream[4..8]), (uint)(stream.Length - 8));
            text.Append(Encoding.UTF8.GetString(stream.Slice(8, size)));
            stream = stream[(8 + size)..];
        }

        // A container with a TTY writes one raw stream, without frame headers.
        text.Append(Encoding.UTF8.GetString(stream));
        return text.ToString();
    }

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s ? s : null;

    private static string Short(string id) => id.Length > 12 && !id.Contains('-', StringComparison.Ordinal) ? id[..12] : id;

    private static async Task EnsureAsync(HttpResponseMessage answer, string what, CancellationToken ct)
    {
        if (!answer.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"The container engine refused to {what}: {(int)answer.StatusCode} {await MessageAsync(answer, ct)}");
        }
    }

    private static async Task<string> MessageAsync(HttpResponseMessage answer, CancellationToken ct)
    {
        var text = await answer.Content.ReadAsStringAsync(ct);
        try
        {
            return JsonSerializer.Deserialize<JsonElement>(text).GetProperty("message").GetString() ?? text;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return text.Trim();
        }
    }
}
