using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gittensory.Drills.Tests.Reporting;

/// <summary>
/// Debian's headless Chromium driven over the DevTools protocol (its debugging port on 127.0.0.1 only): opens a page at a
/// fixed viewport, records every console error, uncaught exception, error log entry and network request, evaluates
/// script in the page from outside it (the page's own policy allows none) and takes screenshots.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly Process process;
    private readonly string profile;
    private readonly ClientWebSocket socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode?>> pending = new();
    private readonly SemaphoreSlim sending = new(1, 1);
    private readonly CancellationTokenSource stop = new();
    private TaskCompletionSource loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? reader;
    private int nextId;

    private HeadlessChromium(Process process, string profile)
    {
        this.process = process;
        this.profile = profile;
    }

    /// <summary>Console errors, uncaught exceptions and error log entries (CSP violations, failed loads), as text.</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    /// <summary>The URL of every request the page made.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Starts Chromium with a viewport of <paramref name="width"/> by <paramref name="height"/> CSS pixels.</summary>
    public static async Task<HeadlessChromium> StartAsync(string chromium, int width, int height, CancellationToken ct = default)
    {
        var profile = Directory.CreateTempSubdirectory("gdrill-test-chromium-").FullName;
        var start = new ProcessStartInfo(chromium) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--no-default-browser-check",
                     "--disable-extensions", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", $"--user-data-dir={profile}",
                     $"--window-size={width},{height}", "about:blank",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var browser = new HeadlessChromium(Process.Start(start)!, profile);
        try
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(Timeout);
            var seen = new StringBuilder();
            string? endpoint = null;
            while (endpoint is null)
            {
                var line = await browser.process.StandardError.ReadLineAsync(wait.Token)
                           ?? throw new InvalidOperationException($"Chromium exited (code {(browser.process.HasExited ? browser.process.ExitCode : -1)}) before it listened for DevTools; it said:\n{seen}");
                seen.AppendLine(line);
                const string marker = "DevTools listening on ";
                if (line.StartsWith(marker, StringComparison.Ordinal))
                {
                    endpoint = line[marker.Length..].Trim();
                }
            }

            _ = browser.process.StandardError.ReadToEndAsync(CancellationToken.None);
            _ = browser.process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var port = new Uri(endpoint).Port;
            using var http = new HttpClient();
            var targets = JsonNode.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/json/list"), wait.Token))!.AsArray();
            var page = targets.First(t => Text(t!["type"]) == "page")!["webSocketDebuggerUrl"]!.GetValue<string>();
            await browser.socket.ConnectAsync(new Uri(page), wait.Token);
            browser.reader = Task.Run(browser.ReadAsync, CancellationToken.None);
            foreach (var domain in new[] { "Runtime.enable", "Log.enable", "Network.enable", "Page.enable" })
            {
                await browser.SendAsync(domain, null, wait.Token);
            }

            await browser.SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false }, wait.Token);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens <paramref name="file"/> and waits for its load event.</summary>
    public async Task OpenAsync(string file, CancellationToken ct = default)
    {
        loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await SendAsync("Page.navigate", new JsonObject { ["url"] = new Uri(file).AbsoluteUri }, ct);
        await loaded.Task.WaitAsync(Timeout, ct);
    }

    /// <summary>The value of <paramref name="expression"/> evaluated in the page (returned by value).</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression, CancellationToken ct = default)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true }, ct);
        if (result?["exceptionDetails"] is { } exception)
        {
            throw new InvalidOperationException($"The test's own script failed in the page: {exception.ToJsonString()}");
        }

        return result?["result"]?["value"];
    }

    /// <summary>A PNG of the viewport.</summary>
    public async Task<byte[]> ScreenshotAsync(CancellationToken ct = default)
    {
        var result = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" }, ct);
        return Convert.FromBase64String(result!["data"]!.GetValue<string>());
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).WaitAsync(Timeout);
            }
        }
        catch (InvalidOperationException)
        {
        }

        socket.Dispose();
        process.Dispose();
        sending.Dispose();
        stop.Dispose();
        try
        {
            Directory.Delete(profile, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<JsonNode?> SendAsync(string method, JsonObject? parameters, CancellationToken ct)
    {
        var id = Interlocked.Increment(ref nextId);
        var answer = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        pending[id] = answer;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await sending.WaitAsync(ct);
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, endOfMessage: true, ct);
        }
        finally
        {
            sending.Release();
        }

        return await answer.Task.WaitAsync(Timeout, ct);
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (!stop.IsCancellationRequested && socket.State == WebSocketState.Open)
            {
                message.SetLength(0);
                WebSocketReceiveResult received;
                do
                {
                    received = await socket.ReceiveAsync(buffer, stop.Token);
                    message.Write(buffer, 0, received.Count);
                }
                while (!received.EndOfMessage);

                Handle(JsonNode.Parse(message.ToArray())!);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            foreach (var waiting in pending.Values)
            {
                waiting.TrySetException(new InvalidOperationException("Chromium's DevTools connection closed.", e));
            }
        }
    }

    private void Handle(JsonNode message)
    {
        if (message["id"] is { } id && pending.TryRemove(id.GetValue<int>(), out var answer))
        {
            if (message["error"] is { } error)
            {
                answer.TrySetException(new InvalidOperationException($"DevTools refused a command: {error.ToJsonString()}"));
            }
            else
            {
                answer.TrySetResult(message["result"]);
            }

            return;
        }

        var parameters = message["params"];
        switch (Text(message["method"]))
        {
            case "Page.loadEventFired":
                loaded.TrySetResult();
                break;
            case "Runtime.consoleAPICalled" when Text(parameters?["type"]) is "error" or "assert":
                Errors.Enqueue($"console.{Text(parameters?["type"])}: {parameters?["args"]?.ToJsonString()}");
                break;
            case "Runtime.exceptionThrown":
                Errors.Enqueue($"exception: {parameters?["exceptionDetails"]?.ToJsonString()}");
                break;
            case "Log.entryAdded" when Text(parameters?["entry"]?["level"]) == "error":
                Errors.Enqueue($"log: {Text(parameters?["entry"]?["text"])} {Text(parameters?["entry"]?["url"])}");
                break;
            case "Network.requestWillBeSent":
                Requests.Enqueue(Text(parameters?["request"]?["url"]) ?? "?");
                break;
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
