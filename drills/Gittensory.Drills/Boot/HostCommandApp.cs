using System.ComponentModel;
using System.Diagnostics;

namespace Gittensory.Drills.Boot;

/// <summary>
/// The application as a command on this host (an operator's source checkout, e.g. <c>node dist/server.mjs</c>), with exactly the
/// environment it is given, asked over HTTP on a loopback port. The engine cannot isolate it, and the report says so.
/// </summary>
internal sealed class HostCommandApp : IAppUnderDrill
{
    private const int KeptLines = 500;
    private readonly Process process;
    private readonly HttpClient http;
    private readonly Queue<string> output = new();

    private HostCommandApp(Process process, int port)
    {
        this.process = process;
        Port = port;
        // No proxy: the only address asked is loopback, whatever HTTP_PROXY says.
        http = new HttpClient(new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(5) })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            Timeout = ReadyProber.RequestTimeout,
        };
    }

    /// <inheritdoc />
    public string Form => "host";

    /// <summary>The loopback port it is asked on.</summary>
    public int Port { get; }

    /// <summary>Starts <paramref name="command"/> in <paramref name="workingDirectory"/> with exactly <paramref name="environment"/>.</summary>
    public static HostCommandApp Start(IReadOnlyList<string> command, string? workingDirectory, IReadOnlyDictionary<string, string> environment, int port)
    {
        var start = new ProcessStartInfo(command[0])
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        if (workingDirectory is not null && !Directory.Exists(workingDirectory))
        {
            throw new AppBootRefusedException($"The application's working directory '{workingDirectory}' does not exist (-AppWorkingDirectory).");
        }

        var process = new Process { StartInfo = start };
        var app = new HostCommandApp(process, port);
        process.OutputDataReceived += (_, e) => app.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => app.Keep(e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            app.http.Dispose();
            throw new AppBootRefusedException(
                $"The application command '{string.Join(' ', command)}' could not be started in '{start.WorkingDirectory}': {e.Message}. Check -AppCommand (the program first, on PATH or a full path) and -AppWorkingDirectory.", e);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    /// <inheritdoc />
    public async Task<HttpAnswer> GetAsync(string path, CancellationToken ct = default)
    {
        try
        {
            using var answer = await http.GetAsync(new Uri(path, UriKind.Relative), ct);
            return new HttpAnswer((int)answer.StatusCode, (await answer.Content.ReadAsStringAsync(ct)).Trim(), null);
        }
        catch (HttpRequestException e)
        {
            return HttpAnswer.None(e.InnerException?.Message ?? e.Message);
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return HttpAnswer.None($"no answer within {ReadyProber.RequestTimeout.TotalSeconds:0} s");
        }
    }

    /// <inheritdoc />
    public Task<long?> ExitCodeAsync(CancellationToken ct = default) => Task.FromResult<long?>(process.HasExited ? process.ExitCode : null);

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken ct = default)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync(ct);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> LogTailAsync(int lines, CancellationToken ct = default)
    {
        lock (output)
        {
            return Task.FromResult<IReadOnlyList<string>>([.. output.TakeLast(lines)]);
        }
    }

    /// <summary>Stops the process if it still runs.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        http.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Enqueue(line);
            if (output.Count > KeptLines)
            {
                output.Dequeue();
            }
        }
    }
}
