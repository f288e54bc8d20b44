using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using DotNet.Testcontainers.Builders;
using FluentAssertions;
using Gittensory.Drills.Preflight;
using Gittensory.Drills.Restore;
using Gittensory.Drills.Sandbox;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Gittensory.Drills.Tests.Stores.Qdrant;

/// <summary>
/// The Qdrant stand-in as a CONTAINER (image gittensory-drills/qdrant-standin, built by fixtures/engine/ensure-engine.sh), started by
/// the production starter <see cref="ScratchQdrant.StartAsync"/> exactly as it starts a real Qdrant, and read through the drill's
/// <see cref="QdrantClient"/>. The points come from the snapshots' test-only standin-points.jsonl member.
/// </summary>
public sealed class QdrantStandInImageTests(QdrantStandInImageFixture qdrant) : IClassFixture<QdrantStandInImageFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AFullSnapshotGivenToStorageSnapshotIsServedWithItsCollectionPointsCountAndEveryPointOnScroll()
    {
        await qdrant.RequireAsync(Ct);
        using var client = new QdrantClient(qdrant.Full.Url);

        var collections = await client.ListCollectionsAsync(Ct);
        var info = await client.GetCollectionAsync("loopover", Ct);
        var points = await client.ScrollAsync("loopover", "_orig_id", 10_000, Ct);

        collections.Should().Equal(["loopover"], "the full snapshot maps exactly one collection");
        info.Should().BeEquivalentTo(new { Name = "loopover", Status = "green", PointsCount = (long)QdrantStandInImageFixture.FullPoints, Vector = new QdrantVectorParams(1024, "Cosine") });
        points.Should().HaveCount(QdrantStandInImageFixture.FullPoints, "scroll pages through all of them (pages of 256)");
        points.Select(p => p.RowId).Should().BeEquivalentTo(qdrant.FullIds);
        points.Select(p => p.Id).Should().OnlyHaveUniqueItems().And.BeInAscendingOrder(StringComparer.Ordinal);

        // The container runs the stand-in image with Qdrant's command line, the snapshot mounted read-only.
        var container = await InspectAsync(qdrant.Full.ContainerName!);
        container.GetProperty("Config").GetProperty("Image").GetString().Should().Be(QdrantStandInImageFixture.Image);
        container.GetProperty("Config").GetProperty("WorkingDir").GetString().Should().Be("/qdrant");
        Strings(container.GetProperty("Config").GetProperty("Cmd")).Should().Equal(
            "./qdrant", "--storage-snapshot", $"{ScratchQdrant.BackupMountFolder}/{Path.GetFileName(qdrant.FullSnapshotPath)}");
        Strings(container.GetProperty("Config").GetProperty("Env")).Should().Contain("QDRANT__TELEMETRY_DISABLED=true");
        container.GetProperty("Mounts").EnumerateArray().Should().ContainSingle().Which.Should().Match<JsonElement>(m =>
            m.GetProperty("Destination").GetString() == $"{ScratchQdrant.BackupMountFolder}/{Path.GetFileName(qdrant.FullSnapshotPath)}"
            && !m.GetProperty("RW").GetBoolean());
        (await ContainerEngine.CountRunResourcesAsync(qdrant.FullRunId, Ct)).Should().Be((1, 1), "one Qdrant container on the drill's own network");
    }

    [Fact]
    public async Task ACollectionThatNoSnapshotRestoredIsNotFoundAndScrollingItIsRefused()
    {
        // Negative control for the collection and scroll checks: the same calls against a name no snapshot restored.
        await qdrant.RequireAsync(Ct);
        using var client = new QdrantClient(qdrant.Full.Url);

        var info = await client.GetCollectionAsync("never-restored", Ct);
        var scroll = () => client.ScrollAsync("never-restored", "_orig_id", 10, Ct);

        info.Should().BeNull();
        (await scroll.Should().ThrowAsync<QdrantApiException>()).Which.Message.Should().Be(
            "Qdrant answered POST /collections/never-restored/points/scroll with 404 NotFound: Not found: Collection `never-restored` doesn't exist!");
    }

    [Fact]
    public async Task ACollectionSnapshotUploadedWithItsChecksumIntoTheEmptyQdrantIsRestoredWithItsPoints()
    {
        await qdrant.RequireAsync(Ct);
        using var client = new QdrantClient(qdrant.Empty.Url);
        var before = await client.GetCollectionAsync("loopover", Ct);

        await client.UploadSnapshotAsync("loopover", qdrant.CollectionSnapshotPath, qdrant.CollectionSnapshotSha256, Ct);
        var info = await client.GetCollectionAsync("loopover", Ct);
        var points = await client.ScrollAsync("loopover", "_orig_id", 10_000, Ct);

        before.Should().BeNull("the container for collection snapshots starts empty");
        info.Should().BeEquivalentTo(new { Name = "loopover", Status = "green", PointsCount = (long)QdrantStandInImageFixture.CollectionPoints, Vector = new QdrantVectorParams(768, "Cosine") });
        points.Select(p => p.RowId).Should().BeEquivalentTo(qdrant.CollectionIds, "an uploaded snapshot's points belong to the collection it is uploaded to");
        var container = await InspectAsync(qdrant.Empty.ContainerName!);
        Strings(container.GetProperty("Config").GetProperty("Cmd")).Should().Equal(["./qdrant"], "started as the image's default command, empty");
        (await ContainerEngine.CountRunResourcesAsync(qdrant.EmptyRunId, Ct)).Should().Be((1, 1));
    }

    [Fact]
    public async Task ACollectionSnapshotWhoseChecksumDoesNotMatchIsRefusedOnUploadWithQdrantsOwnError()
    {
        await qdrant.RequireAsync(Ct);
        using var client = new QdrantClient(qdrant.Empty.Url);
        var wrong = Convert.ToHexStringLower(SHA256.HashData("not this snapshot"u8));

        var upload = () => client.UploadSnapshotAsync("refused", qdrant.CollectionSnapshotPath, wrong, Ct);

        var refused = (await upload.Should().ThrowAsync<QdrantApiException>()).Which;
        refused.Status.Should().Be(HttpStatusCode.BadRequest);
        refused.Error.Should().Be($"Checksum mismatch: expected {qdrant.CollectionSnapshotSha256}, actual {wrong}",
            "Qdrant's words: 'expected' is the uploaded file's SHA-256, 'actual' the checksum given");
        (await client.GetCollectionAsync("refused", Ct)).Should().BeNull("nothing is restored from a refused upload");
    }

    [Fact]
    public async Task TheStarterMakesExactlyOneQdrantContainerThatAnInternalNetworkReachesByAliasAndDisposeRemovesIt()
    {
        await QdrantStandInImageFixture.RequireImageAsync(Ct);
        var runId = "test-qimg-" + Secrets.NewSecret(3);
        (await ContainerEngine.CountRunResourcesAsync(runId, Ct)).Should().Be((0, 0));

        // An internal network like the one the application is booted on; not labelled with the run id, so the count stays the drill's.
        await using var inside = new NetworkBuilder()
            .WithName($"{DrillSandbox.NamePrefix}-{runId}-probe")
            .WithCreateParameterModifier(p => p.Internal = true)
            .WithLogger(NullLogger.Instance)
            .Build();
        await inside.CreateAsync(Ct);
        var scratch = await QdrantStandInImageFixture.StartInOwnSandboxAsync(runId, QdrantStandInImageFixture.Image, qdrant.FullSnapshotPath, QdrantSnapshotKind.Full, TimeSpan.FromSeconds(60), Ct);
        string name;
        try
        {
            name = scratch.ContainerName!;
            (await ContainerEngine.CountRunResourcesAsync(runId, Ct)).Should().Be((1, 1), "exactly one container (the Qdrant) and one network (the drill's)");
            (await EngineApi.InspectContainerAsync(name, Ct)).Running.Should().BeTrue();
            using (var http = new HttpClient { BaseAddress = scratch.Url })
            {
                (await http.GetStringAsync("readyz", Ct)).Should().Be("all shards are ready");
            }

            await EngineApi.ConnectAsync(inside.Name, name, ["qdrant"], Ct);
            var (reached, answer) = await ProbeAsync(inside.Name, "qdrant", ScratchQdrant.HttpPort);
            var (refused, error) = await ProbeAsync(inside.Name, "qdrant", ScratchQdrant.HttpPort + 1);

            reached.Should().Be(0, answer);
            answer.Should().StartWith("HTTP/1.1 200").And.EndWith("all shards are ready", "it listens on all interfaces inside the container");
            refused.Should().NotBe(0, "negative control: the probe fails where nothing listens ({0})", error);
            error.Should().Contain("Connection refused");
        }
        finally
        {
            await scratch.DisposeAsync();
        }

        (await ContainerEngine.CountRunResourcesAsync(runId, Ct)).Should().Be((0, 0), "dispose removes the container and the drill's network");
        var gone = () => EngineApi.InspectContainerAsync(name, Ct);
        await gone.Should().ThrowAsync<Exception>("the engine no longer knows container '{0}'", name);
    }

    // GET /readyz from a throwaway container on the network, with bash's /dev/tcp (the base image has no curl): exit code and output.
    private static async Task<(long ExitCode, string Output)> ProbeAsync(string network, string host, int port)
    {
        var script = $"exec 3<>/dev/tcp/{host}/{port} && printf 'GET /readyz HTTP/1.0\\r\\nHost: {host}\\r\\n\\r\\n' >&3 && cat <&3";
        await using var probe = new ContainerBuilder("gittensory-drills/debian-base:bookworm")
            .WithName($"{DrillSandbox.NamePrefix}-test-qimg-probe-{Secrets.NewSecret(3)}")
            .WithNetwork(network)
            .WithCommand("bash", "-c", script)
            .WithLogger(NullLogger.Instance)
            .Build();
        await probe.StartAsync(Ct);
        var exit = await probe.GetExitCodeAsync(Ct);
        var (stdout, stderr) = await probe.GetLogsAsync(timestampsEnabled: false, ct: Ct);
        return (exit, (stdout + stderr).Replace("\r", "", StringComparison.Ordinal).Trim());
    }

    private static async Task<JsonElement> InspectAsync(string container)
    {
        // The engine's own description, through the drill's one engine client (its model's names are the API's).
        var engine = await EngineClient.GetAsync(Ct);
        return JsonSerializer.SerializeToElement(await engine.Containers.InspectContainerAsync(container, Ct));
    }

    private static List<string> Strings(JsonElement array) =>
        array.ValueKind == JsonValueKind.Array ? [.. array.EnumerateArray().Select(e => e.GetString() ?? "")] : [];
}
