using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Configurations;
using DotNet.Testcontainers.Containers;
using Gittensory.Drills.Preflight;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gittensory.Drills.Sandbox;

/// <summary>
/// The disposable Qdrant a snapshot is restored into: a container this drill created on its own network, reached from
/// the host on a loopback port. A full snapshot is restored at start (<c>./qdrant --storage-snapshot &lt;file&gt;</c>, the file
/// mounted read-only; src/snapshots.rs <c>recover_full_snapshot</c> only reads it); for a collection snapshot it starts empty
/// and the drill uploads the snapshot.
/// </summary>
public sealed class ScratchQdrant : IAsyncDisposable
{
    /// <summary>Qdrant's REST port.</summary>
    public const int HttpPort = 6333;

    /// <summary>Where the snapshot is mounted inside the container (read-only).</summary>
    public const string BackupMountFolder = "/drill/backup";

    private readonly Func<ValueTask> dispose;

    private ScratchQdrant(Uri url, Uri? networkUrl, string? containerName, string? networkName, string image, Func<ValueTask> dispose, Func<CancellationToken, Task<string>>? logs = null)
    {
        Url = url;
        NetworkUrl = networkUrl;
        ContainerName = containerName;
        NetworkName = networkName;
        Image = image;
        this.dispose = dispose;
        Logs = logs;
    }

    /// <summary>The REST URL the drill uses (loopback).</summary>
    public Uri Url { get; }

    /// <summary>The URL other containers on the drill's network use (QDRANT_URL for the application), or null when it runs elsewhere.</summary>
    public Uri? NetworkUrl { get; }

    /// <summary>The container's name, or null when this Qdrant is not a container.</summary>
    public string? ContainerName { get; }

    /// <summary>The drill network's name, or null.</summary>
    public string? NetworkName { get; }

    /// <summary>The image (or stand-in) serving it.</summary>
    public string Image { get; }

    /// <summary>Reads the server's log, when it can be read.</summary>
    public Func<CancellationToken, Task<string>>? Logs { get; }

    /// <summary>
    /// Starts Qdrant from <paramref name="image"/> in the drill's <paramref name="sandbox"/>: with the full snapshot <paramref name="snapshotPath"/>
    /// when <paramref name="kind"/> is Full, else empty; waits until <c>GET /readyz</c> answers 200, for at most <paramref name="timeout"/>.
    /// The sandbox removes the container.
    /// </summary>
    public static async Task<ScratchQdrant> StartAsync(DrillSandbox sandbox, string image, string snapshotPath, QdrantSnapshotKind kind, TimeSpan timeout, CancellationToken ct = default)
    {
        var inContainer = $"{BackupMountFolder}/{Path.GetFileName(snapshotPath)}";
        var builder = new ContainerBuilder(image)
            .WithName(sandbox.ContainerName("qdrant"))
            .WithLabel(DrillSandbox.RunLabel, sandbox.RunId)
            .WithNetwork(sandbox.Network)
            .WithNetworkAliases("qdrant")
            .WithPortBinding(HttpPort, assignRandomHostPort: true)
            .WithEnvironment("QDRANT__TELEMETRY_DISABLED", "true")
            .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(r => r.ForPort(HttpPort).ForPath("/readyz")))
            .WithCreateParameterModifier(LoopbackPorts.Bind)
            .WithLogger(NullLogger.Instance);
        if (kind == QdrantSnapshotKind.Full)
        {
            // The official image runs ./entrypoint.sh from /qdrant (CMD, no ENTRYPOINT): the binary itself takes the flag.
            builder = builder.WithCommand("./qdrant", "--storage-snapshot", inContainer);
        }

        if (!sandbox.EngineIsRemote)
        {
            builder = builder.WithBindMount(Path.GetFullPath(snapshotPath), inContainer, AccessMode.ReadOnly);
        }

        var container = sandbox.Track(builder.Build());
        if (sandbox.EngineIsRemote && kind == QdrantSnapshotKind.Full)
        {
            // A remote engine cannot see the file; it must be inside before Qdrant starts (it reads it at start), so it is streamed
            // in once the container is created. Testcontainers raises Created synchronously between create and start.
            container.Created += (_, _) => BackupCopy.CopyInAsync(container.Id, Path.GetFullPath(snapshotPath), inContainer,
                UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead, ct).GetAwaiter().GetResult();
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            await container.StartAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            var (_, stderr) = await container.GetLogsAsync(ct: CancellationToken.None);
            throw new TimeoutException(
                $"Qdrant in container '{container.Name}' did not answer 200 on /readyz within {timeout.TotalSeconds:0} s" +
                (kind == QdrantSnapshotKind.Full ? " of starting with --storage-snapshot" : "") + $". Its log ends: {Tail(stderr)}");
        }

        var url = new Uri($"http://{container.Hostname}:{container.GetMappedPublicPort(HttpPort)}/");
        return new ScratchQdrant(url, new Uri($"http://qdrant:{HttpPort}"), container.Name.TrimStart('/'), sandbox.Network.Name, image, () => ValueTask.CompletedTask,
            async token => Tail(string.Join('\n', (await container.GetLogsAsync(ct: token)) is var (o, e) ? new[] { o, e } : [])));
    }

    /// <summary>The same Qdrant, disposed by <paramref name="dispose"/> instead (a caller that made a sandbox of its own for it).</summary>
    internal ScratchQdrant DisposedBy(Func<ValueTask> dispose) => new(Url, NetworkUrl, ContainerName, NetworkName, Image, dispose, Logs);

    /// <summary>A Qdrant (or stand-in) the caller started and owns; disposing calls <paramref name="dispose"/>.</summary>
    internal static ScratchQdrant Elsewhere(Uri url, string image, Func<ValueTask> dispose) => new(url, null, null, null, image, dispose);

    /// <summary>Stops a stand-in the caller started; a container is the sandbox's to remove.</summary>
    public ValueTask DisposeAsync() => dispose();

    private static string Tail(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join(" | ", lines.TakeLast(8)).Trim();
    }
}
