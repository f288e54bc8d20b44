namespace Gittensory.Drills.Sandbox;

/// <summary>A command run inside a container that failed, with its exit code, standard output and standard error.</summary>
public sealed class ContainerCommandException : Exception
{
    /// <summary>Creates the exception for <paramref name="command"/> run in <paramref name="container"/>.</summary>
    public ContainerCommandException(string container, string command, long exitCode, string stdout, string stderr)
        : base($"'{command}' in container '{container}' exited with code {exitCode}: {Tail(stderr.Length > 0 ? stderr : stdout)}")
    {
        Container = container;
        Command = command;
        ExitCode = exitCode;
        Stdout = stdout;
        Stderr = stderr;
    }

    /// <summary>The container's name.</summary>
    public string Container { get; }

    /// <summary>The command line.</summary>
    public string Command { get; }

    /// <summary>Its exit code.</summary>
    public long ExitCode { get; }

    /// <summary>What it wrote to standard output.</summary>
    public string Stdout { get; }

    /// <summary>What it wrote to standard error.</summary>
    public string Stderr { get; }

    private static string Tail(string text) => text.Length <= 2000 ? text.Trim() : "..." + text[^2000..].Trim();
}
