namespace Gittensory.Drills.Boot;

/// <summary>
/// Runs a host command inside the network namespace of a container of this run that is attached only to the drill's internal
/// network (<c>nsenter --net=/proc/&lt;pid&gt;/ns/net</c>): the command's files and processes stay this host's, but its network is
/// the container's, so it reaches the scratch services at their addresses there and nothing else, not even this host's loopback.
/// Needs Linux, root (entering another process's namespace takes CAP_SYS_ADMIN), <c>nsenter</c> (util-linux) and an engine on
/// this machine (the container's process must be one of this host's).
/// https://man7.org/linux/man-pages/man1/nsenter.1.html
/// </summary>
internal static class HostNetworkNamespace
{
    /// <summary>Why a host command cannot be put into a container's network namespace here, or null when it can.</summary>
    /// <param name="wanted">False when the caller asked for the host's own network (<see cref="AppBootOptions.IsolateHostCommand"/>).</param>
    /// <param name="engineIsRemote">True when the engine runs on another machine, whose processes this host cannot enter.</param>
    /// <param name="outsideServices">Scratch services the application is given that are not containers of this run (e.g. an in-process Qdrant), by name.</param>
    public static string? Unavailable(bool wanted, bool engineIsRemote, IReadOnlyList<string> outsideServices)
    {
        if (!wanted)
        {
            return "the drill was asked to run it on this host's network (AppBootOptions.IsolateHostCommand = false)";
        }

        if (!OperatingSystem.IsLinux())
        {
            return "network namespaces are Linux's, and this host is not Linux";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "the drill does not run as root, and entering a container's network namespace needs root (CAP_SYS_ADMIN)";
        }

        if (Nsenter is null)
        {
            return "nsenter (util-linux) is not on PATH";
        }

        if (engineIsRemote)
        {
            return "the container engine runs on another machine, whose processes (and so network namespaces) this host cannot enter";
        }

        if (outsideServices.Count > 0)
        {
            return $"{string.Join(" and ", outsideServices)} given to the application {(outsideServices.Count == 1 ? "is" : "are")} not a container of this run, so {(outsideServices.Count == 1 ? "it" : "they")} could not be reached from the internal network";
        }

        return null;
    }

    /// <summary>The full path of <c>nsenter</c> on PATH, or null.</summary>
    public static string? Nsenter { get; } = Find("nsenter");

    /// <summary><paramref name="command"/> wrapped so that it runs in the network namespace of the process <paramref name="pid"/> (nsenter execs it: same process).</summary>
    public static IReadOnlyList<string> Wrap(IReadOnlyList<string> command, long pid) =>
        [Nsenter ?? throw new InvalidOperationException("nsenter is not on PATH."), $"--net=/proc/{pid}/ns/net", "--", .. command];

    private static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);
}
