using System.Text;

namespace Gittensory.Drills.Tests.Cli;

/// <summary>Reads every process's argument list (<c>/proc/&lt;pid&gt;/cmdline</c>) over and over while a drill runs, to catch a secret in one.</summary>
internal sealed class ArgumentListWatch : IAsyncDisposable
{
    private readonly string[] secrets;
    private readonly string marker;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    private ArgumentListWatch(string[] secrets, string marker)
    {
        this.secrets = secrets;
        this.marker = marker;
        loop = Task.Run(LoopAsync);
    }

    /// <summary>Argument lists that held a secret (with the secret shown as ***), as "pid: args".</summary>
    public List<string> Leaks { get; } = [];

    /// <summary>How many times a process whose arguments contain the marker was seen, so that a watch that saw nothing cannot pass.</summary>
    public int MarkerSightings { get; private set; }

    /// <summary>Starts watching for <paramref name="secrets"/>; <paramref name="marker"/> names the process that must be seen (e.g. gittensory-drill.dll).</summary>
    public static ArgumentListWatch Start(string marker, params string[] secrets) => new(secrets, marker);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            foreach (var folder in Directory.EnumerateDirectories("/proc"))
            {
                var pid = Path.GetFileName(folder);
                if (!pid.All(char.IsAsciiDigit))
                {
                    continue;
                }

                string args;
                try
                {
                    args = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(Path.Combine(folder, "cmdline"))).Replace('\0', ' ');
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    continue; // the process ended meanwhile
                }

                if (args.Contains(marker, StringComparison.Ordinal))
                {
                    MarkerSightings++;
                }

                if (secrets.FirstOrDefault(s => args.Contains(s, StringComparison.Ordinal)) is { } secret)
                {
                    Leaks.Add($"{pid}: {args.Replace(secret, "***", StringComparison.Ordinal)}");
                }
            }

            try
            {
                await Task.Delay(20, stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
