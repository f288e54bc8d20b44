using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Gittensory.Drills.Fixtures;

namespace Gittensory.Drills.Tests.Cli;

/// <summary>
/// The drill command, or run-drill.ps1, as a separate process that a test can send a signal to once a given line of its output
/// appeared: SIGINT as Ctrl+C sends it, SIGTERM as CI runners and <c>timeout</c> send it.
/// </summary>
internal sealed class SignalledProcess : IDisposable
{
    /// <summary>The signal number of SIGINT on Linux.</summary>
    public const int Interrupt = 2;

    /// <summary>The signal number of SIGTERM on Linux.</summary>
    public const int Terminate = 15;

    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly List<(string Text, TaskCompletionSource<string> Seen)> awaited = [];
    private readonly bool script;

    private SignalledProcess(Process process, bool script)
    {
        this.process = process;
        this.script = script;
        process.OutputDataReceived += (_, e) => Received(e.Data);
        process.ErrorDataReceived += (_, e) => Received(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Everything the process wrote so far, standard output and error interleaved as they came.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Starts the built drill command (<c>gittensory-drill.dll</c>) with <paramref name="arguments"/>.</summary>
    public static SignalledProcess StartCommand(IReadOnlyList<string> arguments)
    {
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar))!);
        var dll = Path.Combine(RepoPaths.Root, "drills", "Gittensory.Drills.Cli", "bin", configuration, "net10.0", "gittensory-drill.dll");
        return new SignalledProcess(new Process { StartInfo = Start("dotnet", [dll, .. arguments]) }, script: false);
    }

    /// <summary>Starts <c>run-drill.ps1</c> with <paramref name="arguments"/> through the repository's pinned PowerShell (<c>dotnet pwsh</c>).</summary>
    public static SignalledProcess StartScript(IReadOnlyList<string> arguments) =>
        new(new Process { StartInfo = Start("dotnet", ["pwsh", "-NoProfile", "-NonInteractive", "-File", Path.Combine(RepoPaths.Root, "run-drill.ps1"), .. arguments]) }, script: true);

    /// <summary>Waits until a line containing <paramref name="text"/> was written, and returns that line.</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan timeout, CancellationToken ct = default)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (output)
        {
            var earlier = output.ToString().Split('\n').FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal));
            if (earlier is not null)
            {
                return earlier;
            }

            awaited.Add((text, seen));
        }

        var exited = process.WaitForExitAsync(ct);
        var first = await Task.WhenAny(seen.Task, exited, Task.Delay(timeout, ct));
        if (first == seen.Task)
        {
            return await seen.Task;
        }

        ct.ThrowIfCancellationRequested();
        throw new TimeoutException(first == exited
            ? $"The process exited ({process.ExitCode}) before writing a line containing '{text}'. Its output:\n{Output}"
            : $"No line containing '{text}' within {timeout.TotalSeconds:0} s. The output so far:\n{Output}");
    }

    /// <summary>
    /// Sends <paramref name="signal"/> to the drill command, or for the script to the PowerShell process itself (not to the
    /// <c>dotnet pwsh</c> launcher in front of it, and not to the drill command it starts).
    /// </summary>
    public void Send(int signal)
    {
        var target = script ? PowerShellProcess() : process.Id;
        if (Kill(target, signal) != 0)
        {
            throw new InvalidOperationException($"kill({target}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    /// <summary>Waits for the process to exit (and its output to end) and returns its exit code.</summary>
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
            throw new TimeoutException($"The process did not exit within {timeout.TotalSeconds:0} s of the signal. Its output:\n{Output}");
        }

        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>The ids of running processes whose command line contains <paramref name="text"/> (e.g. the test's own report folder).</summary>
    public static IReadOnlyList<int> ProcessesMentioning(string text) =>
        [.. Directory.GetDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : -1).Where(pid => pid > 0)
            .Where(pid => CommandLine(pid).Contains(text, StringComparison.Ordinal))];

    /// <inheritdoc />
    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
    }

    private static ProcessStartInfo Start(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }

    private void Received(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Append(line).Append('\n');
            foreach (var (text, seen) in awaited.Where(a => line.Contains(a.Text, StringComparison.Ordinal)).ToList())
            {
                seen.TrySetResult(line);
                awaited.RemoveAll(a => a.Seen == seen);
            }
        }
    }

    // dotnet pwsh runs a launcher (the tool's shim), which runs pwsh.dll in a process of its own: find that one below ours.
    private int PowerShellProcess()
    {
        var below = new HashSet<int> { process.Id };
        for (var round = 0; round < 4; round++)
        {
            foreach (var pid in Directory.GetDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var p) ? p : -1).Where(p => p > 0))
            {
                if (ParentOf(pid) is { } parent && below.Contains(parent))
                {
                    if (CommandLine(pid).Contains("pwsh.dll", StringComparison.Ordinal))
                    {
                        return pid;
                    }

                    below.Add(pid);
                }
            }
        }

        throw new InvalidOperationException($"No pwsh.dll process below 'dotnet pwsh' ({process.Id}). Its output:\n{Output}");
    }

    private static int? ParentOf(int pid)
    {
        try
        {
            // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may hold spaces and parentheses, so read after the last ')'.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
