using Gittensory.Drills.Sandbox;
using Gittensory.Drills.Stores.Qdrant;

namespace Gittensory.Drills.Pipeline;

/// <summary>What a drill starts its scratch services with: containers in production; tests may serve Qdrant from a stand-in.</summary>
/// <param name="QdrantHost">Starts the scratch Qdrant; null = a container in the drill's sandbox.</param>
internal sealed record DrillServices(Func<QdrantHostRequest, CancellationToken, Task<ScratchQdrant>>? QdrantHost)
{
    /// <summary>Containers for everything.</summary>
    public static DrillServices Production { get; } = new((Func<QdrantHostRequest, CancellationToken, Task<ScratchQdrant>>?)null);

    /// <summary>Awaited before the Postgres dump's offline row count starts; tests hold it back to see the count end after the restore started.</summary>
    public Func<CancellationToken, Task>? BeforeArchiveCount { get; init; }
}
