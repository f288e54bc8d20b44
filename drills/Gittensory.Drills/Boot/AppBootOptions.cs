namespace Gittensory.Drills.Boot;

/// <summary>
/// How to boot the application on the restored database once it is measured: as a container image on an internal network
/// (the default, <see cref="Image"/> or <c>DRILL_APP_IMAGE</c>), or as a command on this host (<see cref="Command"/>).
/// </summary>
public sealed record AppBootOptions
{
    /// <summary>The application image; null = <c>DrillImages.App</c> (<c>DRILL_APP_IMAGE</c>, default <c>ghcr.io/jsonbored/loopover-selfhost:latest</c>). Ignored with <see cref="Command"/>.</summary>
    public string? Image { get; init; }

    /// <summary>A command run on this host instead of an image, program first (e.g. <c>node</c>, <c>dist/server.mjs</c>); null = the image form.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>The host command's working directory (default: the current folder).</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>A file of <c>KEY=VALUE</c> lines added to the application's environment (never the scratch services' URLs, which the drill sets).</summary>
    public string? EnvFile { get; init; }

    /// <summary>How long to wait, from the start, for <c>/ready</c> to answer 200 (default 120 s).</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// The migrations of the release under test: a folder of <c>*.sql</c> files or a file of names, one a line; null = judge against
    /// the profile's list. With it the drill says which migrations are pending before boot, and expects exactly those applied.
    /// </summary>
    public string? ReleaseMigrations { get; init; }

    /// <summary>The port the application listens on inside its container (default 8787, LoopOver's); a host command is given a free loopback port in <c>PORT</c>.</summary>
    public int Port { get; init; } = 8787;

    /// <summary>The image of the small container that asks <c>/ready</c> from inside the internal network (null = the Redis image; it needs bash, nc or wget).</summary>
    public string? ProberImage { get; init; }

    /// <summary>
    /// More variables for the application, set by the drill rather than the operator (e.g. <c>QDRANT_URL</c> and
    /// <c>QDRANT_DIM</c> of a scratch Qdrant); they may not repeat a variable the drill or the env file sets.
    /// </summary>
    public IReadOnlyDictionary<string, string> ExtraEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// More networks (names) to attach the application container to, e.g. the internal network of a scratch Qdrant; each must be
    /// internal too, or the isolation check fails and the application is not started.
    /// </summary>
    public IReadOnlyList<string> ExtraNetworks { get; init; } = [];

    /// <summary>
    /// For a host command: run it in the network namespace of a container of this run on the internal network, so that it can
    /// reach only the scratch services (default true; needs Linux, root, nsenter and a local engine, else it runs on this host's
    /// network and app.isolation is a warning saying why). False runs it on this host's network.
    /// </summary>
    public bool IsolateHostCommand { get; init; } = true;

    /// <summary>How many of the application's last log lines the report keeps (default 40).</summary>
    public int LogLines { get; init; } = 40;

    /// <summary>True for the host-command form.</summary>
    public bool IsHostCommand => Command is { Count: > 0 };
}
