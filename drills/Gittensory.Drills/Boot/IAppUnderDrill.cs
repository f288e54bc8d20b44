namespace Gittensory.Drills.Boot;

/// <summary>The application booted by the drill, in one of its two forms: a container on an internal network, or a command on this host.</summary>
internal interface IAppUnderDrill : IAsyncDisposable
{
    /// <summary><c>container</c> or <c>host</c>.</summary>
    string Form { get; }

    /// <summary>Asks <c>GET <paramref name="path"/></c> of the application; never throws for a refused or dropped connection.</summary>
    Task<HttpAnswer> GetAsync(string path, CancellationToken ct = default);

    /// <summary>The exit code once it has exited, or null while it runs.</summary>
    Task<long?> ExitCodeAsync(CancellationToken ct = default);

    /// <summary>Stops it (SIGTERM, then SIGKILL after a grace period).</summary>
    Task StopAsync(CancellationToken ct = default);

    /// <summary>Its last <paramref name="lines"/> lines of output (stdout and stderr), unredacted.</summary>
    Task<IReadOnlyList<string>> LogTailAsync(int lines, CancellationToken ct = default);
}
