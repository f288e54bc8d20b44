namespace Gittensory.Drills.Boot;

/// <summary>
/// A host command running in the network namespace of the prober container on the internal network (<see cref="HostNetworkNamespace"/>):
/// the process is this host's, its network is the prober's, so the prober asks it on its own loopback.
/// </summary>
internal sealed class NamespacedHostApp(HostCommandApp process, ReadyProber prober, int port) : IAppUnderDrill
{
    /// <inheritdoc />
    public string Form => "host";

    /// <inheritdoc />
    public Task<HttpAnswer> GetAsync(string path, CancellationToken ct = default) => prober.GetAsync("127.0.0.1", port, path, "127.0.0.1", ct);

    /// <inheritdoc />
    public Task<long?> ExitCodeAsync(CancellationToken ct = default) => process.ExitCodeAsync(ct);

    /// <inheritdoc />
    public Task StopAsync(CancellationToken ct = default) => process.StopAsync(ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> LogTailAsync(int lines, CancellationToken ct = default) => process.LogTailAsync(lines, ct);

    /// <summary>Stops the process if it still runs.</summary>
    public ValueTask DisposeAsync() => process.DisposeAsync();
}
