using System.Text.Json.Nodes;
using FluentAssertions;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Boot;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Sandbox;
using Gittensory.Drills.Tests.Stores.Postgres;
using Gittensory.Drills.Tests.AppStandIn;
using Gittensory.Drills.Tests.Stores.Qdrant;
using Gittensory.Drills.Stores.Qdrant;
using Npgsql;
using Xunit;

namespace Gittensory.Drills.Tests.Boot;

/// <summary>
/// -BootApp in a drill that also drills Qdrant: the Qdrant store restores the snapshot once (here into the in-process Qdrant stand-in
/// on a loopback port, through the store's seam), the application (the app stand-in as a host command) is given that same Qdrant in
/// QDRANT_URL and the snapshot's QDRANT_DIM, so /ready must report qdrant=true. The image form runs against the Qdrant stand-in image
/// where it is built (see QdrantImageBootTests).
/// </summary>
public sealed partial class BootAppDrillTests
{
    private static readonly DateTimeOffset SnapshotTaken = new(2026, 7, 4, 9, 12, 5, TimeSpan.Zero);

    [Fact]
    public async Task WithASnapshotTheApplicationIsGivenTheDrillsOneRestoredQdrantAndBecomesReadyWithQdrantTrue()
    {
        await EngineGate.RequireEngineAsync(Ct);
        var (root, ids) = await RootWithSnapshotAsync(vectorSize: 1024);
        var host = new RecordingQdrantHost(StandInHost.Serving(StandInHost.PointsFor("loopover", ids)));

        var (report, leg, app) = await DrillWithQdrantAsync(root, host);

        report.Verdict.Should().Be(DrillVerdict.Passed, report.Problem);
        leg.Check(AppReadyCheck.Name)!.Found.Should().MatchRegex(@"^/ready answered 200 after \d+\.\d s \(\d+ requests\): ok=true, db=true, migrations=true, redis=true, qdrant=true$");
        app.Environment.Select(v => v.Name).Should().Contain(["QDRANT_URL", "QDRANT_DIM"]);
        app.NotExercised.Should().NotContain(n => n.StartsWith("Qdrant:", StringComparison.Ordinal));
        app.Notes.Should().Equal(
            "Booted on the restored postgres database (postgres/loopover-20260704T090939Z.dump).",
            "Given the drill's restored scratch Qdrant (from 'qdrant/full-snapshot-2026-07-04-09-12-05.snapshot', collection 'loopover', vectors of size 1024, measured before the boot), " +
            "in QDRANT_URL and QDRANT_DIM=1024, so /ready must report qdrant=true.");
        app.LogTail.Should().Contain(l => l.EndsWith("exists with vectors of size 1024.", StringComparison.Ordinal), "the application checked the restored collection at boot");
        leg.Phases.Select(p => p.Name).Should().Equal("preflight-header", "preflight", "sandbox", "restore", "verify", "boot-services", "boot", "after-boot");
        host.Requests.Should().ContainSingle("the snapshot is restored exactly once, for the checks and the application alike").Which.Should().Match<QdrantHostRequest>(r =>
            r.SnapshotPath.EndsWith("full-snapshot-2026-07-04-09-12-05.snapshot", StringComparison.Ordinal) && r.RunId == report.RunId);
        host.Disposed.Should().Be(1, "everything the drill started is removed at the end");
        report.Leg("qdrant")!.Verdict.Should().Be(DrillVerdict.Passed);
        report.Leg("qdrant")!.Check(QdrantChecks.Orphans)!.Verdict.Should().Be(CheckVerdict.Passed, "the cross-store checks ran before the boot, on the restored rows");

        // The report names the variables and their sources, never their values.
        var (json, markdown) = await ReadReportAsync(report);
        var environment = JsonNode.Parse(json)!["legs"]!.AsArray().Single(l => (string?)l!["store"] == "postgres")!["app"]!["environment"]!.ToJsonString();
        environment.Should().Contain("\"QDRANT_URL\"").And.Contain("\"QDRANT_DIM\"")
            .And.NotContain(host.Urls.Single().GetLeftPart(UriPartial.Authority)).And.NotContain("1024");
        markdown.Should().Contain("QDRANT_URL").And.Contain("QDRANT_DIM");
    }

    [Fact]
    public async Task AQdrantServingACollectionOfAnotherDimensionMakesTheApplicationExitAtBootAndAppReadyFailsWithTheExitCode()
    {
        // Given a snapshot of 1024-dimensional vectors, while the restored Qdrant serves a collection of size 768
        await EngineGate.RequireEngineAsync(Ct);
        var (root, ids) = await RootWithSnapshotAsync(vectorSize: 1024);
        var other = Path.Combine(scratch, QdrantLayout.FullName(SnapshotTaken));
        await File.WriteAllBytesAsync(other, QdrantLayout.Full(new TestCollection(VectorSize: 768) { Taken = SnapshotTaken }), Ct);
        var serving = StandInHost.Serving(StandInHost.PointsFor("loopover", ids));
        var host = new RecordingQdrantHost((request, ct) => serving(request with { SnapshotPath = other }, ct));

        var (report, leg, app) = await DrillWithQdrantAsync(root, host);

        report.Verdict.Should().Be(DrillVerdict.Failed);
        var ready = leg.Check(AppReadyCheck.Name)!;
        ready.Verdict.Should().Be(CheckVerdict.Failed);
        ready.Found.Should().MatchRegex(@"^the application exited with code 1 \d+\.\d s after it started, before /ready answered 200; last answer: (none \(it was never asked\)|no answer \(.+\) at \d+\.\d s)$");
        ready.Details.Should().Contain(l => l.Contains("has vectors of size 768, but QDRANT_DIM is 1024. A dimension mismatch is fatal", StringComparison.Ordinal));
        app.ExitCode.Should().Be(1);
        host.Disposed.Should().Be(1);
        report.Leg("qdrant")!.Check(QdrantChecks.Vectors)!.Verdict.Should().Be(CheckVerdict.Failed, "the Qdrant store saw the served collection's size too");
    }

    [Fact]
    public async Task ADrillOfQdrantWithoutASnapshotBootsTheApplicationAsBeforeAndSaysItBootedWithoutQdrant()
    {
        await EngineGate.RequireEngineAsync(Ct);
        var root = Track(BrokenBackups.CopyOfSampleSet());
        var host = new RecordingQdrantHost(StandInHost.Serving([]));

        var (report, leg, app) = await DrillWithQdrantAsync(root, host);

        leg.Verdict.Should().Be(DrillVerdict.Passed, leg.Problem);
        leg.Check(AppReadyCheck.Name)!.Found.Should().MatchRegex(@"^/ready answered 200 after \d+\.\d s \(\d+ requests\): ok=true, db=true, migrations=true, redis=true$");
        app.Environment.Select(v => v.Name).Should().NotContain(["QDRANT_URL", "QDRANT_DIM"]);
        app.NotExercised.Should().Contain(n => n.StartsWith("Qdrant: not exercised (QDRANT_URL unset)", StringComparison.Ordinal));
        app.Notes.Should().Equal("Booted on the restored postgres database (postgres/loopover-20260704T090939Z.dump).", NoSnapshotNote);
        leg.Phases.Select(p => p.Name).Should().Equal("preflight-header", "preflight", "sandbox", "restore", "verify", "boot-services", "boot", "after-boot");
        host.Requests.Should().BeEmpty();
        report.Leg("qdrant")!.Ran.Should().BeFalse("there is no snapshot to drill");
    }

    private const string NoSnapshotNote = "Booted without Qdrant: there is no snapshot under qdrant/, so the application was given no QDRANT_URL.";

    private async Task<(DrillReport Report, LegReport Leg, AppReport App)> DrillWithQdrantAsync(string root, RecordingQdrantHost host)
    {
        var options = Options(new AppBootOptions { Command = HostCommand, EnvFile = EnvFile("STANDIN_BIND_ADDRESS=127.0.0.1") }, root) with
        {
            Stores = new HashSet<BackupStore> { BackupStore.Postgres, BackupStore.Qdrant },
        };
        var outcome = await DrillPipeline.RunAsync(options, new DrillServices(host.Start), Ct);
        (await ContainerEngine.CountRunResourcesAsync(outcome.Report.RunId, Ct)).Should().Be((0, 0), "everything the drill created is removed");
        var leg = outcome.Report.Leg("postgres")!;
        leg.App.Should().NotBeNull($"the drill should have reached the boot; it stopped with: {leg.Problem}");
        return (outcome.Report, leg, leg.App!);
    }

    /// <summary>
    /// A copy of the sample set plus a full snapshot taken 2.4 minutes after its newest dump, and the dump's repo_chunks ids; with
    /// <paramref name="standInPoints"/> the snapshot carries one point per id for the Qdrant stand-in image to serve.
    /// </summary>
    private async Task<(string Root, List<string> ChunkIds)> RootWithSnapshotAsync(long vectorSize, bool standInPoints = false)
    {
        var root = Track(BrokenBackups.CopyOfSampleSet());
        await source.ReloadAsync();
        await using var connection = new NpgsqlConnection(source.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT id::text FROM public.repo_chunks", connection);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var ids = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            ids.Add(reader.GetString(0));
        }

        Directory.CreateDirectory(Path.Combine(root, "qdrant"));
        var collection = new TestCollection(VectorSize: vectorSize) { Taken = SnapshotTaken, StandInPoints = standInPoints ? StandInHost.PointsFor("loopover", ids) : null };
        await File.WriteAllBytesAsync(Path.Combine(root, "qdrant", QdrantLayout.FullName(SnapshotTaken)), QdrantLayout.Full(collection), Ct);
        return (root, ids);
    }

    [Fact]
    public async Task TheApplicationImageIsGivenTheOneRestoredQdrantContainerByAliasAndTheEngineHoldsExactlyOneQdrantForTheRun()
    {
        // Given the sample set with a snapshot, the Qdrant stand-in image in the Qdrant's place and the app stand-in image
        await RequireStandInImageAsync();
        await QdrantStandInImageFixture.RequireImageAsync(Ct);
        var (root, ids) = await RootWithSnapshotAsync(vectorSize: 1024, standInPoints: true);
        var runId = Secrets.NewSecret(4);
        var options = Options(new AppBootOptions { Image = AppStandInImageTests.Image }, root, runId) with
        {
            Stores = new HashSet<BackupStore> { BackupStore.Postgres, BackupStore.Qdrant },
            Images = DrillImages.FromEnvironment() with { Qdrant = QdrantStandInImageFixture.Image },
            KeepSandbox = true,
        };
        try
        {
            // When the drill restores both stores and boots the application image (the sandbox kept, to ask the engine afterwards)
            var report = (await DrillPipeline.RunAsync(options, Ct)).Report;

            // Then the snapshot was restored into exactly one Qdrant container, which the application reached on its internal network
            report.Verdict.Should().Be(DrillVerdict.Passed, report.Problem);
            var engine = await EngineClient.GetAsync(Ct);
            var containers = await engine.Containers.ListContainersAsync(new Docker.DotNet.Models.ContainersListParameters
            {
                All = true,
                Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{DrillSandbox.RunLabel}={runId}"] = true } },
            }, Ct);
            containers.Where(c => c.Image == QdrantStandInImageFixture.Image).Should().ContainSingle("the snapshot is restored once, for the checks and the application alike");
            var leg = report.Leg("postgres")!;
            leg.Check(AppReadyCheck.Name)!.Found.Should().MatchRegex(@"^/ready answered 200 after \d+\.\d s \(\d+ requests\): ok=true, db=true, migrations=true, redis=true, qdrant=true$");
            leg.App!.Environment.Select(v => v.Name).Should().Contain(["QDRANT_URL", "QDRANT_DIM"]);
            var qdrant = report.Leg("qdrant")!;
            qdrant.Check(QdrantChecks.PointsVsChunks)!.Found.Should().Be($"{ids.Count} points, {ids.Count} rows: drift 0");
            qdrant.Check(QdrantChecks.Orphans)!.Verdict.Should().Be(CheckVerdict.Passed);
            qdrant.Sandbox!.Containers.Should().Equal($"gdrill-{runId}-qdrant");
        }
        finally
        {
            using var process = System.Diagnostics.Process.Start("bash", ["-c",
                $"docker rm -f $(docker ps -aq --filter label={DrillSandbox.RunLabel}={runId}) >/dev/null 2>&1; docker network rm $(docker network ls -q --filter label={DrillSandbox.RunLabel}={runId}) >/dev/null 2>&1"]);
            await process!.WaitForExitAsync(Ct);
        }
    }

    /// <summary>Starts Qdrant stand-ins through the seam, recording each request, each URL, and each removal.</summary>
    private sealed class RecordingQdrantHost(Func<QdrantHostRequest, CancellationToken, Task<ScratchQdrant>> inner)
    {
        public List<QdrantHostRequest> Requests { get; } = [];

        public List<Uri> Urls { get; } = [];

        public int Disposed { get; private set; }

        public async Task<ScratchQdrant> Start(QdrantHostRequest request, CancellationToken ct)
        {
            Requests.Add(request);
            var started = await inner(request, ct);
            Urls.Add(started.Url);
            return ScratchQdrant.Elsewhere(started.Url, started.Image, async () =>
            {
                Disposed++;
                await started.DisposeAsync();
            });
        }
    }
}
