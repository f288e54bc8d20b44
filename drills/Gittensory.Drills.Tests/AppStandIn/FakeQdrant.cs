using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Gittensory.Drills.Tests.AppStandIn;

/// <summary>
/// Just enough of Qdrant's REST API on a loopback port for the stand-in's Qdrant step (no Qdrant image can be built here):
/// <c>GET/PUT /collections/{name}</c> and <c>GET /readyz</c>, recording every request.
/// </summary>
public sealed class FakeQdrant : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentDictionary<string, int> collections = new(StringComparer.Ordinal);
    private readonly Task serving;

    private FakeQdrant(int port)
    {
        Url = $"http://127.0.0.1:{port}";
        listener.Prefixes.Add($"{Url}/");
        listener.Start();
        serving = Task.Run(ServeAsync);
    }

    /// <summary>Its base URL, for <c>QDRANT_URL</c>.</summary>
    public string Url { get; }

    /// <summary>Every request as <c>METHOD /path body</c>, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Starts it on a free loopback port, holding the given collections (name → vector size).</summary>
    public static FakeQdrant Start(params (string Name, int Size)[] existing)
    {
        var fake = new FakeQdrant(StandInProcess.FreeLoopbackPort());
        foreach (var (name, size) in existing)
        {
            fake.collections[name] = size;
        }

        return fake;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        listener.Close();
        try
        {
            await serving;
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
        {
            // stopping the listener ends the loop
        }
    }

    private async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var path = context.Request.Url!.AbsolutePath;
            Requests.Enqueue($"{context.Request.HttpMethod} {path}{(body.Length > 0 ? " " + body : "")}");
            var (status, answer) = Answer(context.Request.HttpMethod, path, body);
            var bytes = Encoding.UTF8.GetBytes(answer);
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private (int Status, string Body) Answer(string method, string path, string body)
    {
        if (path == "/readyz")
        {
            return (200, "all shards are ready");
        }

        if (!path.StartsWith("/collections/", StringComparison.Ordinal))
        {
            return (404, """{"status":{"error":"Not found"}}""");
        }

        var name = path["/collections/".Length..];
        if (method == "PUT")
        {
            var size = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("vectors").GetProperty("size").GetInt32();
            collections[name] = size;
            return (200, """{"result":true,"status":"ok","time":0.01}""");
        }

        return collections.TryGetValue(name, out var existing)
            ? (200, """{"result":{"status":"green","points_count":0,"config":{"params":{"vectors":{"size":""" + existing.ToString(System.Globalization.CultureInfo.InvariantCulture) + ""","distance":"Cosine"}}}},"status":"ok","time":0.0}""")
            : (404, $$"""{"status":{"error":"Not found: Collection `{{name}}` doesn't exist!"},"time":0.0}""");
    }
}
