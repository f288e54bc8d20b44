using System.Net.Http.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Sandbox;
using Xunit;

namespace Gittensory.Drills.Tests.Stores.Qdrant;

/// <summary>
/// The Qdrant leg against a REAL Qdrant: a Qdrant container makes a real full snapshot of a LoopOver-shaped collection,
/// and the drill restores it into another. Runs only where DRILL_QDRANT_IMAGE names an image the engine has; otherwise
/// skipped with the reason (no Qdrant image can be made on these machines).
/// </summary>
public sealed class RealQdrantTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("gdrill-test-realqdrant-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task ARealFullSnapshotRestoresIntoARealQdrantAndPasses()
    {
        var ct = TestContext.Current.CancellationToken;
        var image = await RequireRealQdrantAsync(ct);

        // Given a real snapshot of a collection made as LoopOver makes it (1024, Cosine, _orig_id payloads)
        var snapshot = await MakeRealSnapshotAsync(image, ct);

        // When the leg drills it
        var outcome = await DrillPipeline.RunAsync(new DrillOptions
        {
            BackupRoot = root,
            BundledSample = true,
            Stores = new HashSet<BackupStore> { BackupStore.Qdrant },
            ReportsRoot = Path.Combine(root, "reports"),
            Images = DrillImages.FromEnvironment() with { Qdrant = image },
        }, ct);

        // Then it restores and every Qdrant check passes
        var leg = outcome.Report.Leg("qdrant")!;
        outcome.Report.Verdict.Should().Be(DrillVerdict.Passed, outcome.Report.Problem);
        leg.Check(QdrantChecks.Snapshot)!.Verdict.Should().Be(CheckVerdict.Passed, $"the offline reader must accept {snapshot}, written by a real Qdrant");
        leg.Check(QdrantChecks.Points)!.Found.Should().Be("20 points");
    }

    private static async Task<string> RequireRealQdrantAsync(CancellationToken ct)
    {
        var image = Environment.GetEnvironmentVariable("DRILL_QDRANT_IMAGE");
        if (string.IsNullOrWhiteSpace(image))
        {
            Assert.Skip("No real Qdrant: DRILL_QDRANT_IMAGE is not set (Qdrant is in neither Debian, NuGet nor npm, so no image can be made here; docker load one and set it).");
        }

        await EngineGate.RequireEngineAsync(ct);
        if (await ContainerEngine.ImageEnvironmentAsync(image, ct) is null)
        {
            Assert.Skip($"No real Qdrant: DRILL_QDRANT_IMAGE is '{image}', which this engine does not have and cannot pull (no registry).");
        }

        return image;
    }

    private async Task<string> MakeRealSnapshotAsync(string image, CancellationToken ct)
    {
        await using var sandbox = await DrillSandbox.CreateAsync("test-" + Secrets.NewSecret(3), keep: false, ct);
        var source = await ScratchQdrant.StartAsync(sandbox, image,
            Path.Combine(AppContext.BaseDirectory, "Profiles", "loopover.json"), Gittensory.Drills.Preflight.QdrantSnapshotKind.Collection, TimeSpan.FromMinutes(2), ct);
        using var http = new HttpClient { BaseAddress = source.Url };
        (await http.PutAsJsonAsync("collections/loopover", new { vectors = new { size = 1024, distance = "Cosine" } }, ct)).EnsureSuccessStatusCode();
        var points = new JsonArray();
        for (var i = 0; i < 20; i++)
        {
            var vector = new JsonArray([.. Enumerable.Range(0, 1024).Select(d => (JsonNode)JsonValue.Create((float)Math.Sin(i + d))!)]);
            points.Add(new JsonObject { ["id"] = Guid.NewGuid().ToString(), ["vector"] = vector, ["payload"] = new JsonObject { ["_orig_id"] = $"proj:a/b|f.ts::{i}" } });
        }

        (await http.PutAsJsonAsync("collections/loopover/points?wait=true", new JsonObject { ["points"] = points }, ct)).EnsureSuccessStatusCode();
        var created = await (await http.PostAsync("snapshots?wait=true", null, ct)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>(ct);
        var name = created!["result"]!["name"]!.GetValue<string>();
        var path = Path.Combine(root, "qdrant", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var file = File.Create(path))
        {
            await (await http.GetStreamAsync($"snapshots/{name}", ct)).CopyToAsync(file, ct);
        }

        return path;
    }
}
