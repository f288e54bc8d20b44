using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gittensory.Drills.Preflight;

namespace Gittensory.Drills.Restore;

/// <summary>
/// The few calls of Qdrant's REST API the drill makes, with requests and answers shaped as Qdrant's API reference defines
/// them (every answer is <c>{"result":..,"status":"ok","time":..}</c>, every error <c>{"status":{"error":".."},"time":..}</c>).
/// </summary>
public sealed class QdrantClient : IDisposable
{
    private readonly HttpClient http;

    /// <summary>A client for the Qdrant at <paramref name="baseUrl"/>; each call times out after <paramref name="timeout"/> (default 5 minutes, uploads included).</summary>
    public QdrantClient(Uri baseUrl, TimeSpan? timeout = null)
    {
        http = new HttpClient { BaseAddress = baseUrl, Timeout = timeout ?? TimeSpan.FromMinutes(5) };
    }

    /// <summary>Whether <c>GET /readyz</c> answers 200 (all shards ready).</summary>
    public async Task<bool> IsReadyAsync(CancellationToken ct = default)
    {
        try
        {
            using var answer = await http.GetAsync("readyz", ct);
            return answer.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>The collections' names (<c>GET /collections</c>).</summary>
    public async Task<IReadOnlyList<string>> ListCollectionsAsync(CancellationToken ct = default)
    {
        using var result = await SendAsync(HttpMethod.Get, "collections", null, ct);
        return [.. result.RootElement.GetProperty("result").GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];
    }

    /// <summary>The collection's state and configuration (<c>GET /collections/{name}</c>), or null when it does not exist.</summary>
    public async Task<QdrantCollectionInfo?> GetCollectionAsync(string name, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"collections/{Uri.EscapeDataString(name)}");
        using var answer = await http.SendAsync(request, ct);
        if (answer.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        using var result = await ReadAsync(answer, $"GET /collections/{name}", ct);
        var info = result.RootElement.GetProperty("result");
        var vectors = info.GetProperty("config").GetProperty("params").GetProperty("vectors");
        QdrantVectorParams? single = null;
        var named = new Dictionary<string, QdrantVectorParams>(StringComparer.Ordinal);
        if (vectors.TryGetProperty("size", out _))
        {
            single = Params(vectors);
        }
        else
        {
            foreach (var p in vectors.EnumerateObject())
            {
                named[p.Name] = Params(p.Value);
            }
        }

        return new QdrantCollectionInfo(name, info.GetProperty("status").GetString() ?? "",
            Number(info, "points_count"), Number(info, "segments_count"), single, named);
    }

    /// <summary>
    /// Restores a collection from a snapshot file (<c>POST /collections/{name}/snapshots/upload?wait=true&amp;priority=snapshot</c>,
    /// multipart field <c>snapshot</c>); Qdrant checks <paramref name="sha256"/> before recovering when it is given.
    /// </summary>
    public async Task UploadSnapshotAsync(string collection, string snapshotPath, string? sha256, CancellationToken ct = default)
    {
        var query = "wait=true&priority=snapshot" + (sha256 is null ? "" : $"&checksum={sha256}");
        await using var file = new FileStream(snapshotPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.Asynchronous | FileOptions.SequentialScan);
        using var content = new MultipartFormDataContent();
        var part = new StreamContent(file, 1 << 20);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(part, "snapshot", Path.GetFileName(snapshotPath));
        using var result = await SendAsync(HttpMethod.Post, $"collections/{Uri.EscapeDataString(collection)}/snapshots/upload?{query}", content, ct);
        if (result.RootElement.GetProperty("result").ValueKind != JsonValueKind.True)
        {
            throw new QdrantApiException($"POST /collections/{collection}/snapshots/upload", HttpStatusCode.OK, $"result was {result.RootElement.GetProperty("result")}, not true");
        }
    }

    /// <summary>
    /// Up to <paramref name="count"/> points in id order (<c>POST /collections/{name}/points/scroll</c>, pages of up to 256,
    /// payload key <paramref name="payloadKey"/> only, no vectors).
    /// </summary>
    public async Task<IReadOnlyList<QdrantPoint>> ScrollAsync(string collection, string payloadKey, int count, CancellationToken ct = default)
    {
        var points = new List<QdrantPoint>();
        JsonNode? offset = null;
        while (points.Count < count)
        {
            var body = new JsonObject
            {
                ["limit"] = Math.Min(256, count - points.Count),
                ["with_payload"] = new JsonArray(payloadKey),
                ["with_vector"] = false,
            };
            if (offset is not null)
            {
                body["offset"] = offset.DeepClone();
            }

            using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            using var result = await SendAsync(HttpMethod.Post, $"collections/{Uri.EscapeDataString(collection)}/points/scroll", content, ct);
            var page = result.RootElement.GetProperty("result");
            foreach (var point in page.GetProperty("points").EnumerateArray())
            {
                var id = point.GetProperty("id");
                string? rowId = null;
                if (point.TryGetProperty("payload", out var payload) && payload.ValueKind == JsonValueKind.Object
                    && payload.TryGetProperty(payloadKey, out var value))
                {
                    rowId = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
                }

                points.Add(new QdrantPoint(id.ValueKind == JsonValueKind.String ? id.GetString()! : id.GetRawText(), rowId));
            }

            if (!page.TryGetProperty("next_page_offset", out var next) || next.ValueKind == JsonValueKind.Null)
            {
                break;
            }

            offset = JsonNode.Parse(next.GetRawText());
        }

        return points;
    }

    /// <inheritdoc />
    public void Dispose() => http.Dispose();

    private async Task<JsonDocument> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var answer = await http.SendAsync(request, ct);
        return await ReadAsync(answer, $"{method} /{path.Split('?')[0]}", ct);
    }

    private static async Task<JsonDocument> ReadAsync(HttpResponseMessage answer, string request, CancellationToken ct)
    {
        var text = await answer.Content.ReadAsStringAsync(ct);
        if (!answer.IsSuccessStatusCode)
        {
            throw new QdrantApiException(request, answer.StatusCode, ErrorText(text));
        }

        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            throw new QdrantApiException(request, answer.StatusCode, $"not JSON: {Shorten(text)}");
        }
    }

    private static string ErrorText(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Object
                && status.TryGetProperty("error", out var error) ? error.GetString() ?? "" : Shorten(body);
        }
        catch (JsonException)
        {
            return Shorten(body);
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";

    private static long? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.TryGetInt64(out var n) ? n : null;

    private static QdrantVectorParams Params(JsonElement element) => new(
        element.TryGetProperty("size", out var size) && size.TryGetInt64(out var s) ? s : 0,
        element.TryGetProperty("distance", out var distance) ? distance.GetString() ?? "" : "");
}
