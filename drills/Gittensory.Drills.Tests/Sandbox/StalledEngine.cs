using System.Net.Sockets;
using System.Text;

namespace Gittensory.Drills.Tests.Sandbox;

/// <summary>
/// A stand-in for a container engine that hangs after its first answers: on a Unix socket of its own it answers <c>/_ping</c>
/// and <c>/version</c> as Docker 20.10 does, and never answers anything else (the connection stays open, as a hung dockerd's does).
/// </summary>
internal sealed class StalledEngine : IAsyncDisposable
{
    private readonly Socket listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
    private readonly CancellationTokenSource stop = new();
    private readonly List<Socket> connections = [];
    private readonly Task accepting;
    private readonly string folder = Directory.CreateTempSubdirectory("gdrill-test-stalled-engine-").FullName;

    public StalledEngine()
    {
        SocketPath = Path.Combine(folder, "docker.sock");
        listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        listener.Listen();
        accepting = AcceptAsync();
    }

    /// <summary>The socket's path; <c>DOCKER_HOST=unix://</c> it.</summary>
    public string SocketPath { get; }

    /// <summary>The requests it received ("GET /v1.41/info"), in order.</summary>
    public List<string> Requests { get; } = [];

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Dispose();
        lock (connections)
        {
            connections.ForEach(c => c.Dispose());
        }

        try
        {
            await accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }

        stop.Dispose();
        Directory.Delete(folder, recursive: true);
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            var connection = await listener.AcceptAsync(stop.Token);
            lock (connections)
            {
                connections.Add(connection);
            }

            _ = Task.Run(() => ServeAsync(connection));
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        try
        {
            var stream = new NetworkStream(connection);
            var buffer = new byte[65536];
            var pending = new StringBuilder();
            while (true)
            {
                var read = await stream.ReadAsync(buffer, stop.Token);
                if (read == 0)
                {
                    return;
                }

                pending.Append(Encoding.ASCII.GetString(buffer, 0, read));
                var text = pending.ToString();
                var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end < 0)
                {
                    continue;
                }

                pending.Remove(0, end + 4);
                var requestLine = text[..text.IndexOf("\r\n", StringComparison.Ordinal)];
                var parts = requestLine.Split(' ');
                lock (Requests)
                {
                    Requests.Add($"{parts[0]} {parts[1]}");
                }

                var path = parts[1].Split('?')[0];
                string? body = path.EndsWith("/_ping", StringComparison.Ordinal) ? "OK"
                    : path.EndsWith("/version", StringComparison.Ordinal)
                        ? """{"Version":"20.10.24","ApiVersion":"1.41","MinAPIVersion":"1.12","Os":"linux","Arch":"amd64"}"""
                        : null;
                if (body is null)
                {
                    // Hung: read nothing more, answer nothing, keep the connection open until the client gives up.
                    await Task.Delay(Timeout.Infinite, stop.Token);
                    return;
                }

                var type = body == "OK" ? "text/plain" : "application/json";
                var response = $"HTTP/1.1 200 OK\r\nApi-Version: 1.41\r\nContent-Type: {type}\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";
                await stream.WriteAsync(Encoding.UTF8.GetBytes(response), stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // the client or the test ended the connection
        }
    }
}
