using System.Net;
using System.Net.Sockets;

namespace Gittensory.Drills.Tests.Sandbox;

/// <summary>
/// The running engine, also reachable on <c>tcp://127.0.0.1:&lt;port&gt;</c>: a small forwarder from a loopback TCP port to the engine's
/// unix socket (the shared dockerd cannot be restarted with a second <c>-H</c>). Bytes are pumped both ways as they come, so the
/// engine's upgraded connections (exec, attach) work too. Listens on loopback only.
/// </summary>
internal sealed class EngineTcpForwarder : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly string socketPath;
    private readonly CancellationTokenSource stop = new();
    private readonly Task accepting;
    private int connections;

    private EngineTcpForwarder(string socketPath)
    {
        this.socketPath = socketPath;
        listener.Start();
        accepting = AcceptAsync();
    }

    /// <summary><c>tcp://127.0.0.1:&lt;port&gt;</c>, for <c>DOCKER_HOST</c>.</summary>
    public string Endpoint => $"tcp://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

    /// <summary>How many connections it has forwarded so far.</summary>
    public int Connections => Volatile.Read(ref connections);

    /// <summary>Starts forwarding to <paramref name="socketPath"/> (default the engine's local socket).</summary>
    public static EngineTcpForwarder Start(string socketPath = "/var/run/docker.sock") => new(socketPath);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // stopped
        }

        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stop.Token);
            Interlocked.Increment(ref connections);
            _ = Task.Run(() => ForwardAsync(client));
        }
    }

    private async Task ForwardAsync(TcpClient client)
    {
        using (client)
        using (var engine = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                await engine.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), stop.Token);
                await using var upstream = new NetworkStream(engine, ownsSocket: false);
                var downstream = client.GetStream();
                var up = PumpAsync(downstream, upstream, engine);
                var down = PumpAsync(upstream, downstream, client.Client);
                await Task.WhenAll(up, down);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // one side closed: the other goes with it
            }
        }
    }

    private async Task PumpAsync(Stream from, Stream to, Socket target)
    {
        var buffer = new byte[81920];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, stop.Token)) > 0)
            {
                await to.WriteAsync(buffer.AsMemory(0, read), stop.Token);
            }
        }
        finally
        {
            // Half-close, as the engine's clients expect at the end of a request body.
            try
            {
                target.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // already closed
            }
        }
    }
}
