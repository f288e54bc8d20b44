using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Gittensory.Drills.Fixtures;

namespace Gittensory.Drills.Tests.AppStandIn;

/// <summary>The app stand-in (fixtures/Gittensory.Drills.AppStandIn) run as a host process with <c>dotnet loopover-standin.dll</c>.</summary>
public sealed class StandInProcess : IAsyncDisposable
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    // Variables of the parent process that would leak into the stand-in's configuration.
    private static readonly string[] InheritedPrefixes = ["DATABASE_URL", "REDIS_URL", "SELFHOST_", "PUBLIC_API_ORIGIN", "ORB_", "QDRANT_", "PORT", "STANDIN_", "ASPNETCORE_"];

    private readonly Process process;
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();

    private StandInProcess(Process process, int port)
    {
        this.process = process;
        Port = port;
    }

    /// <summary>The built stand-in (the test project references it, so it is built with the tests).</summary>
    public static string Dll { get; } = Path.Combine(RepoPaths.Root, "fixtures", "Gittensory.Drills.AppStandIn", "bin", Configuration, "net10.0", "loopover-standin.dll");

    /// <summary>The loopback port it was told to listen on (<c>PORT</c>).</summary>
    public int Port { get; }

    /// <summary>Since the process started.</summary>
    public TimeSpan Elapsed => clock.Elapsed;

    /// <summary>What it printed on stdout so far.</summary>
    public string StandardOutput
    {
        get
        {
            lock (stdout)
            {
                return stdout.ToString();
            }
        }
    }

    /// <summary>What it printed on stderr so far.</summary>
    public string StandardError
    {
        get
        {
            lock (stderr)
            {
                return stderr.ToString();
            }
        }
    }

    /// <summary>Its exit code, or null while it runs.</summary>
    public int? ExitCode => process.HasExited ? process.ExitCode : null;

    /// <summary>A port nothing listens on right now (asked of the kernel, then released).</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the stand-in with exactly <paramref name="environment"/> (plus the machine's own PATH and .NET variables).</summary>
    public static StandInProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        if (!File.Exists(Dll))
        {
            throw new FileNotFoundException($"The app stand-in is not built at '{Dll}'. Build it: dotnet build fixtures/Gittensory.Drills.AppStandIn -c {Configuration}.", Dll);
        }

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in start.Environment.Keys.Where(k => InheritedPrefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal))).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var port = environment.TryGetValue("PORT", out var p) ? int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) : 8787;
        var process = new Process { StartInfo = start };
        var standIn = new StandInProcess(process, port);
        process.OutputDataReceived += (_, e) => Append(standIn.stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(standIn.stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return standIn;
    }

    /// <summary>Waits for the process to exit; throws with its output when it is still running after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"The stand-in was still running after {timeout.TotalSeconds:0} s; expected it to exit.{Describe()}");
        }

        process.WaitForExit(); // flushes the redirected output
        return process.ExitCode;
    }

    /// <summary>
    /// Polls <c>GET /ready</c> every 100 ms until <paramref name="until"/> accepts an answer; throws with the stand-in's output when it exits
    /// or <paramref name="timeout"/> passes first, saying what was seen last.
    /// </summary>
    public async Task<ReadyAnswer> PollReadyAsync(Func<ReadyAnswer, bool> until, TimeSpan timeout, CancellationToken ct = default)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}/"), Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        var last = "no answer yet";
        while (deadline.Elapsed < timeout)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The stand-in exited with code {process.ExitCode} before /ready answered as expected (last: {last}).{Describe()}");
            }

            try
            {
                using var answer = await http.GetAsync("ready", ct);
                var ready = new ReadyAnswer(answer.StatusCode, await answer.Content.ReadAsStringAsync(ct), clock.Elapsed);
                if (until(ready))
                {
                    return ready;
                }

                last = $"{(int)ready.Status} {ready.Body}";
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }

            await Task.Delay(100, ct);
        }

        throw new TimeoutException($"/ready on port {Port} did not answer as expected within {timeout.TotalSeconds:0} s (last: {last}).{Describe()}");
    }

    /// <summary>Polls until <c>/ready</c> answers 200.</summary>
    public Task<ReadyAnswer> WaitUntilReadyAsync(CancellationToken ct = default) =>
        PollReadyAsync(a => a.Status == HttpStatusCode.OK, TimeSpan.FromSeconds(45), ct);

    /// <summary>Polls until <c>/ready</c> gives any HTTP answer (the server listens).</summary>
    public Task<ReadyAnswer> WaitUntilListeningAsync(CancellationToken ct = default) =>
        PollReadyAsync(_ => true, TimeSpan.FromSeconds(45), ct);

    /// <summary>The process's output, for failure messages.</summary>
    public string Describe() => $"{Environment.NewLine}--- stdout ---{Environment.NewLine}{StandardOutput}--- stderr ---{Environment.NewLine}{StandardError}";

    /// <summary>Stops the stand-in if it still runs.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.AppendLine(line);
        }
    }
}
