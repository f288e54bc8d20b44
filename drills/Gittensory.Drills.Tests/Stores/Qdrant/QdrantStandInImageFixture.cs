using System.Security.Cryptography;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Preflight;
using Gittensory.Drills.QdrantStandIn;
using Gittensory.Drills.Sandbox;
using Xunit;

namespace Gittensory.Drills.Tests.Stores.Qdrant;

/// <summary>
/// Two Qdrant stand-in containers started by the production starter (<see cref="ScratchQdrant.StartAsync"/>) from the image
/// fixtures/engine/ensure-engine.sh builds, shared by <see cref="QdrantStandInImageTests"/>: one restored at start from a full
/// snapshot (<c>./qdrant --storage-snapshot</c>), one started empty for uploads. Started on first use, after <see cref="EngineGate"/>.
/// </summary>
public sealed class QdrantStandInImageFixture : IAsyncLifetime
{
    /// <summary>The image's name as ensure-engine.sh tags it (DRILL_QDRANT_STANDIN_IMAGE, never DRILL_QDRANT_IMAGE).</summary>
    public const string DefaultImage = "gittensory-drills/qdrant-standin:latest";

    /// <summary>How many points the full snapshot's collection holds (more than one scroll page of 256).</summary>
    public const int FullPoints = 300;

    /// <summary>How many points the collection snapshot holds.</summary>
    public const int CollectionPoints = 40;

    private readonly string root = Directory.CreateTempSubdirectory("gdrill-test-qdrantimg-").FullName;
    private readonly Lazy<Task> creation;
    private ScratchQdrant? full;
    private ScratchQdrant? empty;

    /// <summary>Writes the snapshots; the containers start when a test first asks for them.</summary>
    public QdrantStandInImageFixture()
    {
        creation = new Lazy<Task>(() => StartAsync(CancellationToken.None));
        Directory.CreateDirectory(Path.Combine(root, "qdrant"));
        FullIds = StandInHost.ChunkIds(FullPoints);
        CollectionIds = StandInHost.ChunkIds(CollectionPoints, repo: "loopover/web");
        FullSnapshotPath = Path.Combine(root, "qdrant", QdrantLayout.FullName(new DateTimeOffset(2026, 7, 4, 9, 12, 5, TimeSpan.Zero)));
        File.WriteAllBytes(FullSnapshotPath, QdrantLayout.Full(new TestCollection { StandInPoints = StandInHost.PointsFor("loopover", FullIds) }));
        var collection = new TestCollection(VectorSize: 768) { StandInPoints = StandInHost.PointsFor("somewhere-else", CollectionIds) };
        CollectionSnapshotPath = Path.Combine(root, "qdrant", collection.SnapshotName);
        File.WriteAllBytes(CollectionSnapshotPath, QdrantLayout.Collection(collection));
        CollectionSnapshotSha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(CollectionSnapshotPath)));
    }

    /// <summary>The image the containers run: DRILL_QDRANT_STANDIN_IMAGE from the environment or the images file, else <see cref="DefaultImage"/>.</summary>
    public static string Image =>
        Environment.GetEnvironmentVariable("DRILL_QDRANT_STANDIN_IMAGE") is { Length: > 0 } set ? set
        : DrillImages.ReadImagesFile(Environment.GetEnvironmentVariable("DRILL_IMAGES_FILE") is { Length: > 0 } f ? f : DrillImages.DefaultImagesFile)
            .GetValueOrDefault("DRILL_QDRANT_STANDIN_IMAGE") ?? DefaultImage;

    /// <summary>The scratch folder holding the snapshots.</summary>
    public string Root => root;

    /// <summary>A full-storage snapshot of 'loopover' (1024, Cosine) carrying <see cref="FullPoints"/> stand-in points.</summary>
    public string FullSnapshotPath { get; }

    /// <summary>The chunk ids (payload _orig_id) of the full snapshot's points.</summary>
    public IReadOnlyList<string> FullIds { get; }

    /// <summary>A collection snapshot (768, Cosine) carrying <see cref="CollectionPoints"/> stand-in points.</summary>
    public string CollectionSnapshotPath { get; }

    /// <summary>The chunk ids of the collection snapshot's points.</summary>
    public IReadOnlyList<string> CollectionIds { get; }

    /// <summary>The collection snapshot's lowercase hex SHA-256.</summary>
    public string CollectionSnapshotSha256 { get; }

    /// <summary>The stand-in restored from <see cref="FullSnapshotPath"/> at start.</summary>
    public ScratchQdrant Full => full ?? throw new InvalidOperationException("RequireAsync first.");

    /// <summary>The stand-in started empty, for uploads.</summary>
    public ScratchQdrant Empty => empty ?? throw new InvalidOperationException("RequireAsync first.");

    /// <summary>Run ids of the two shared containers (their sandboxes are labelled with them).</summary>
    public string FullRunId { get; } = "test-qimg-" + Secrets.NewSecret(3);

    /// <summary>The empty one's run id.</summary>
    public string EmptyRunId { get; } = "test-qimg-" + Secrets.NewSecret(3);

    /// <summary>Lets the calling test run only with an engine and the image (skips, or fails where the engine is required), and starts the containers once.</summary>
    public async Task RequireAsync(CancellationToken ct = default)
    {
        await RequireImageAsync(ct);
        await creation.Value.WaitAsync(ct);
    }

    /// <summary>Skips (or fails, where the engine is required) when no engine answers or the engine lacks <see cref="Image"/>.</summary>
    public static async Task RequireImageAsync(CancellationToken ct = default)
    {
        await EngineGate.RequireEngineAsync(ct);
        if (await ContainerEngine.ImageEnvironmentAsync(Image, ct) is null)
        {
            var missing = $"The Qdrant stand-in image '{Image}' is not in the local engine. Build it with: bash fixtures/engine/ensure-engine.sh";
            if (EngineGate.EngineRequired)
            {
                throw new InvalidOperationException($"{missing} (required here: CI or DRILL_REQUIRE_ENGINE=true).");
            }

            Assert.Skip(missing);
        }
    }

    /// <inheritdoc />
    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (full is not null)
        {
            await full.DisposeAsync();
        }

        if (empty is not null)
        {
            await empty.DisposeAsync();
        }

        Directory.Delete(root, recursive: true);
    }

    /// <summary>Starts the production starter in a sandbox of its own for <paramref name="runId"/>; disposing the result removes both.</summary>
    public static async Task<ScratchQdrant> StartInOwnSandboxAsync(string runId, string image, string snapshotPath, QdrantSnapshotKind kind, TimeSpan timeout, CancellationToken ct)
    {
        var sandbox = await DrillSandbox.CreateAsync(runId, keep: false, ct);
        try
        {
            var started = await ScratchQdrant.StartAsync(sandbox, image, snapshotPath, kind, timeout, ct);
            return started.DisposedBy(sandbox.DisposeAsync);
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync(CancellationToken ct)
    {
        var timeout = TimeSpan.FromSeconds(60);
        var starting = new[]
        {
            StartInOwnSandboxAsync(FullRunId, Image, FullSnapshotPath, QdrantSnapshotKind.Full, timeout, ct),
            StartInOwnSandboxAsync(EmptyRunId, Image, CollectionSnapshotPath, QdrantSnapshotKind.Collection, timeout, ct),
        };
        try
        {
            await Task.WhenAll(starting);
        }
        finally
        {
            // Keep whichever started, so that DisposeAsync removes it even when the other failed.
            full = starting[0].IsCompletedSuccessfully ? starting[0].Result : null;
            empty = starting[1].IsCompletedSuccessfully ? starting[1].Result : null;
        }
    }
}
