using System.Net;
using System.Text;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Gittensory.Drills.Sandbox;

/// <summary>
/// The few engine calls the drill makes itself, where Testcontainers cannot do what is needed in the order needed:
/// create a container without starting it, attach networks, read the engine's own description of containers and networks.
/// Every call goes through the process's one <see cref="EngineClient"/>.
/// https://docs.docker.com/reference/api/engine/version/v1.41/
/// </summary>
internal static class EngineApi
{
    /// <summary>Creates (does not start) a container on <paramref name="network"/> with <paramref name="aliases"/> and <paramref name="binds"/> (<c>host:container:mode</c>); returns its id.</summary>
    /// <exception cref="ContainerImageMissingException">The engine does not have <paramref name="image"/>.</exception>
    public static async Task<string> CreateContainerAsync(
        string name, string image, IReadOnlyDictionary<string, string> environment, IReadOnlyDictionary<string, string> labels,
        string network, IReadOnlyList<string> aliases, IReadOnlyList<string>? binds = null, CancellationToken ct = default)
    {
        var parameters = new CreateContainerParameters
        {
            Name = name,
            Image = image,
            Env = [.. environment.Select(e => $"{e.Key}={e.Value}")],
            Labels = labels.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal),
            HostConfig = new HostConfig { NetworkMode = network, Binds = [.. binds ?? []] },
            NetworkingConfig = new NetworkingConfig
            {
                EndpointsConfig = new Dictionary<string, EndpointSettings>(StringComparer.Ordinal) { [network] = new EndpointSettings { Aliases = [.. aliases] } },
            },
        };
        var engine = await EngineClient.GetAsync(ct);
        try
        {
            var created = await engine.Containers.CreateContainerAsync(parameters, ct);
            return created.ID;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new ContainerImageMissingException(image, Message(e));
        }
        catch (DockerApiException e)
        {
            throw Refused(e, $"create container '{name}' from '{image}'");
        }
    }

    /// <summary>Starts a created container.</summary>
    public static Task StartContainerAsync(string id, CancellationToken ct = default) =>
        CallAsync($"start container {Short(id)}", (engine, token) => engine.Containers.StartContainerAsync(id, new ContainerStartParameters(), token), ct);

    /// <summary>Attaches container <paramref name="container"/> (id or name) to <paramref name="network"/> with <paramref name="aliases"/>.</summary>
    public static Task ConnectAsync(string network, string container, IReadOnlyList<string> aliases, CancellationToken ct = default) =>
        CallAsync(
            $"attach container {Short(container)} to network '{network}'",
            (engine, token) => engine.Networks.ConnectNetworkAsync(
                network, new NetworkConnectParameters { Container = container, EndpointConfig = new EndpointSettings { Aliases = [.. aliases] } }, token),
            ct);

    /// <summary>The engine's description of a container: state, exit code, and every network it is attached to.</summary>
    public static async Task<ContainerInspection> InspectContainerAsync(string id, CancellationToken ct = default)
    {
        var json = await CallAsync($"inspect container {Short(id)}", (engine, token) => engine.Containers.InspectContainerAsync(id, token), ct);
        var networks = (json.NetworkSettings?.Networks ?? new Dictionary<string, EndpointSettings>())
            .Select(n => new AttachedNetwork(n.Key, Text(n.Value.NetworkID), Text(n.Value.IPAddress), [.. n.Value.Aliases ?? []]))
            .ToList();
        return new ContainerInspection(
            json.ID,
            json.Name.TrimStart('/'),
            json.State?.Status ?? "",
            json.State?.Running ?? false,
            json.State?.ExitCode ?? 0,
            Text(json.HostConfig?.NetworkMode) ?? "",
            networks);
    }

    /// <summary>The process id (on the engine's host) of a running container's first process; 0 when it does not run.</summary>
    public static async Task<long> ContainerPidAsync(string id, CancellationToken ct = default)
    {
        var json = await CallAsync($"inspect container {Short(id)}", (engine, token) => engine.Containers.InspectContainerAsync(id, token), ct);
        return json.State?.Pid ?? 0;
    }

    /// <summary>The ports a container publishes on the engine's host, as (host port, container port), TCP only.</summary>
    public static async Task<IReadOnlyList<(int HostPort, int ContainerPort)>> PublishedPortsAsync(string id, CancellationToken ct = default)
    {
        var json = await CallAsync($"inspect container {Short(id)}", (engine, token) => engine.Containers.InspectContainerAsync(id, token), ct);
        var published = new List<(int, int)>();
        foreach (var (key, bindings) in json.NetworkSettings?.Ports ?? new Dictionary<string, IList<PortBinding>>())
        {
            var parts = key.Split('/');
            if (parts is not [var port, "tcp"] || !int.TryParse(port, out var containerPort))
            {
                continue;
            }

            published.AddRange((bindings ?? []).Select(b => int.TryParse(b.HostPort, out var hostPort) ? (hostPort, containerPort) : (0, 0)).Where(p => p.Item1 > 0));
        }

        return published;
    }

    /// <summary>The engine's description of a network (by id or name): its name, driver and whether it is internal.</summary>
    public static async Task<NetworkInspection> InspectNetworkAsync(string network, CancellationToken ct = default)
    {
        var json = await CallAsync($"inspect network '{network}'", (engine, token) => engine.Networks.InspectNetworkAsync(network, token), ct);
        return new NetworkInspection(json.ID, json.Name, Text(json.Driver), json.Internal);
    }

    /// <summary>The container's last <paramref name="lines"/> lines of standard output and error, in the order written.</summary>
    public static async Task<IReadOnlyList<string>> LogTailAsync(string id, int lines, CancellationToken ct = default)
    {
        var parameters = new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Tail = lines.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        using var stream = await CallAsync($"read the logs of container {Short(id)}", (engine, token) => engine.Containers.GetContainerLogsAsync(id, parameters, token), ct);
        var text = await ReadInOrderAsync(stream, ct);
        return text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).TakeLast(lines).ToList();
    }

    /// <summary>Stops a running container, giving it <paramref name="grace"/> before it is killed; a container already stopped is fine.</summary>
    public static async Task StopContainerAsync(string id, TimeSpan grace, CancellationToken ct = default)
    {
        // The call lasts up to the grace period, so it gets its own deadline on top of the client's per-call timeout.
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(EngineClient.CallTimeout + grace);
        var parameters = new ContainerStopParameters { WaitBeforeKillSeconds = (uint)grace.TotalSeconds };
        await CallAsync($"stop container {Short(id)}", (engine, token) => engine.Containers.StopContainerAsync(id, parameters, token), limit.Token);
    }

    /// <summary>The engine's total memory in bytes (its <c>/info</c>), or null when it does not say.</summary>
    public static async Task<long?> MemoryBytesAsync(CancellationToken ct = default)
    {
        var info = await CallAsync("read the engine's info", (engine, token) => engine.System.GetSystemInfoAsync(token), ct);
        return info.MemTotal > 0 ? info.MemTotal : null;
    }

    /// <summary>Kills (no graceful stop) and removes a container with its anonymous volumes; a container already gone is fine.</summary>
    public static async Task KillAndRemoveAsync(string id, CancellationToken ct = default)
    {
        var engine = await EngineClient.GetAsync(ct);
        try
        {
            await engine.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, ct);
        }
        catch (DockerContainerNotFoundException)
        {
            // already gone: nothing to remove
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // already gone: nothing to remove
        }
        catch (DockerApiException e)
        {
            throw Refused(e, $"remove container {Short(id)}");
        }
    }

    /// <summary>Removes a container, running or not (killed, not stopped), with its anonymous volumes; a container already gone is fine.</summary>
    public static Task RemoveContainerAsync(string id, CancellationToken ct = default) => KillAndRemoveAsync(id, ct);

    /// <summary>
    /// Runs <paramref name="command"/> in a running container (no shell, no environment added) and hands each line of its standard
    /// error to <paramref name="onStderrLine"/> as it comes, without the line end; standard output is read and dropped. Returns the
    /// command's exit code. Cancelling stops the reading; the command itself runs on until the container is removed.
    /// </summary>
    public static async Task<long> ExecStreamingAsync(string id, IReadOnlyList<string> command, Action<string> onStderrLine, CancellationToken ct = default)
    {
        var what = $"run '{command[0]}' in container {Short(id)}";
        var exec = await CallAsync(what, (engine, token) => engine.Exec.CreateContainerExecAsync(
            id, new ContainerExecCreateParameters { Cmd = [.. command], AttachStdout = true, AttachStderr = true }, token), ct);
        using (var stream = await CallAsync(what, (engine, token) => engine.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters(), token), ct))
        // A read that does not heed the token ends when the stream is closed under it; either way the caller sees a cancellation.
        using (ct.Register(stream.Dispose))
        {
            try
            {
                await ReadLinesAsync(stream, onStderrLine, ct);
            }
            catch (Exception e) when (ct.IsCancellationRequested && e is not OperationCanceledException and not OutOfMemoryException)
            {
                throw new OperationCanceledException($"Stopped reading '{command[0]}' in container {Short(id)}.", e, ct);
            }
        }

        // The stream ends as the command exits; the engine may record its exit code a moment later.
        for (var attempt = 0; ; attempt++)
        {
            var done = await CallAsync(what, (engine, token) => engine.Exec.InspectContainerExecAsync(exec.ID, token), ct);
            if (!done.Running && done.ExitCode is { } code)
            {
                return code;
            }

            if (attempt == 100)
            {
                throw new InvalidOperationException($"The container engine did not give the exit code of '{command[0]}' in container {Short(id)} after its output ended.");
            }

            await Task.Delay(20, ct);
        }
    }

    // Standard error, line by line as it comes (a frame may end inside a line or a multi-byte character); standard output dropped.
    private static async Task ReadLinesAsync(MultiplexedStream stream, Action<string> onStderrLine, CancellationToken ct)
    {
        var decoder = Encoding.UTF8.GetDecoder();
        var buffer = new byte[16384];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        var line = new StringBuilder();
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, ct);
            if (read.EOF)
            {
                break;
            }

            if (read.Target != MultiplexedStream.TargetStream.StandardError)
            {
                continue;
            }

            var count = decoder.GetChars(buffer, 0, read.Count, chars, 0);
            for (var i = 0; i < count; i++)
            {
                if (chars[i] == '\n')
                {
                    onStderrLine(line.ToString().TrimEnd('\r'));
                    line.Clear();
                }
                else
                {
                    line.Append(chars[i]);
                }
            }
        }

        if (line.Length > 0)
        {
            onStderrLine(line.ToString().TrimEnd('\r'));
        }
    }

    /// <summary>Reads a log stream to its end as text, stdout and stderr frames in the order the engine sent them.</summary>
    internal static async Task<string> ReadInOrderAsync(MultiplexedStream stream, CancellationToken ct = default)
    {
        // Bytes first, decoded once: a frame may end inside a multi-byte character.
        using var bytes = new MemoryStream();
        var buffer = new byte[81920];
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, ct);
            if (read.EOF)
            {
                break;
            }

            bytes.Write(buffer, 0, read.Count);
        }

        return Encoding.UTF8.GetString(bytes.GetBuffer(), 0, (int)bytes.Length);
    }

    private static async Task<T> CallAsync<T>(string what, Func<IDockerClient, CancellationToken, Task<T>> call, CancellationToken ct)
    {
        var engine = await EngineClient.GetAsync(ct);
        try
        {
            return await call(engine, ct);
        }
        catch (DockerApiException e)
        {
            throw Refused(e, what);
        }
    }

    private static Task CallAsync(string what, Func<IDockerClient, CancellationToken, Task> call, CancellationToken ct) =>
        CallAsync<bool>(what, async (engine, token) =>
        {
            await call(engine, token);
            return true;
        }, ct);

    private static InvalidOperationException Refused(DockerApiException e, string what) =>
        new($"The container engine refused to {what}: {(int)e.StatusCode} {Message(e)}", e);

    private static string Message(DockerApiException e)
    {
        if (string.IsNullOrWhiteSpace(e.ResponseBody))
        {
            return e.Message;
        }

        try
        {
            return JsonSerializer.Deserialize<JsonElement>(e.ResponseBody).GetProperty("message").GetString() ?? e.ResponseBody;
        }
        catch (Exception inner) when (inner is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return e.ResponseBody.Trim();
        }
    }

    private static string? Text(string? value) => value is { Length: > 0 } ? value : null;

    private static string Short(string id) => id.Length > 12 && !id.Contains('-', StringComparison.Ordinal) ? id[..12] : id;
}
