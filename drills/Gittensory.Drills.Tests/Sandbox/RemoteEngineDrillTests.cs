using System.Text.Json;
using Docker.DotNet.Models;
using FluentAssertions;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Sandbox;
using Gittensory.Drills.Tests.AppStandIn;
using Gittensory.Drills.Tests.Cli;
using Gittensory.Drills.Tests.Reporting;
using Xunit;

namespace Gittensory.Drills.Tests.Sandbox;

/// <summary>
/// A drill through an engine reached over TCP (issue 11, item 10): the running dockerd, also reachable on tcp://127.0.0.1:&lt;port&gt;
/// through a forwarder, driven by the drill command as a separate process with <c>DOCKER_HOST</c> pointing there. Told the engine is
/// remote, the drill copies the dump and the SQLite boot copy into the containers: the engine's own description of every container of
/// the run shows no bind mount, and the drill passes. The same engine taken as local (a loopback address) bind-mounts them (the
/// negative control). The sandbox is kept so the containers can be inspected, then removed by the run's label.
/// </summary>
public sealed class RemoteEngineDrillTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("gdrill-test-remote-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public async Task ADrillThroughAnEngineTakenAsRemoteCopiesTheBackupsIntoItsContainersAndMountsNothing()
    {
        // Given the engine on a TCP port, and the drill told it is remote
        await AppStandInImageTests.RequireImageAsync(Ct);
        await using var forwarder = EngineTcpForwarder.Start();

        // When the drill command drills Postgres and SQLite and boots the image on the SQLite copy, through it
        var (report, containers) = await DrillThroughAsync(forwarder, new Dictionary<string, string> { ["DRILL_ENGINE_REMOTE"] = "true" });

        // Then it passed, said so, went through the TCP port, and no container of the run has a bind mount
        report.GetProperty("verdict").GetString().Should().Be("passed", report.GetProperty("problem").ToString());
        report.GetProperty("engine").GetString().Should().Be(
            $"engine is remote: backups copied into the containers (the engine at '{forwarder.Endpoint}' is treated as remote, as asked (--engine-is-remote / DRILL_ENGINE_REMOTE=true))");
        forwarder.Connections.Should().BePositive();
        containers.Select(c => c.Name.TrimStart('/')).Should().BeEquivalentTo(
            new[] { "postgres", "redis", "prober", "app" }.Select(role => $"gdrill-{RunId(report)}-{role}"));
        foreach (var container in containers)
        {
            container.Mounts.Where(m => m.Type == "bind").Select(m => $"{m.Source} -> {m.Destination}").Should().BeEmpty($"{container.Name} must not mount a local path");
            (container.HostConfig?.Binds ?? []).Should().BeEmpty();
        }

        var sqlite = report.GetProperty("legs").EnumerateArray().Single(l => l.GetProperty("store").GetString() == "sqlite");
        sqlite.GetProperty("app").GetProperty("ledgerAfter").GetArrayLength().Should().Be(181, "the ledger after boot is read from the copy the application wrote, copied back");
        Check(sqlite, "app.migrations").Should().Be("passed");
        Check(report.GetProperty("legs").EnumerateArray().Single(l => l.GetProperty("store").GetString() == "postgres"), "postgres.row-counts").Should().Be("passed");
    }

    [Fact]
    public async Task TheSameEngineOnALoopbackTcpPortIsLocalAndItsBackupsAreBindMounted()
    {
        // Given the same engine on a TCP port, with nothing said about where it is
        await AppStandInImageTests.RequireImageAsync(Ct);
        await using var forwarder = EngineTcpForwarder.Start();

        // When the drill runs through it
        var (report, containers) = await DrillThroughAsync(forwarder, new Dictionary<string, string>());

        // Then a loopback address is this machine: the dump and the SQLite copy's folder are bind mounts
        report.GetProperty("verdict").GetString().Should().Be("passed", report.GetProperty("problem").ToString());
        report.GetProperty("engine").GetString().Should().Be(
            $"engine is local: backups bind-mounted read-only (the engine at '{forwarder.Endpoint}' is on this machine (a loopback address))");
        var runId = RunId(report);
        containers.Single(c => c.Name == $"/gdrill-{runId}-postgres").Mounts.Should().ContainSingle(m => m.Type == "bind")
            .Which.Destination.Should().Be("/drill/backup/loopover-20260704T090939Z.dump");
        containers.Single(c => c.Name == $"/gdrill-{runId}-app").Mounts.Should().ContainSingle(m => m.Type == "bind")
            .Which.Destination.Should().Be("/data");
    }

    [Fact]
    public async Task AnEngineLocationThatIsNeitherTrueNorFalseExitsWithTwoBeforeAnythingRuns()
    {
        var (exit, _, stderr) = await DrillCommand.RunAsync(
            ["--backup-root", RepoPaths.SampleBackups, "--bundled-sample", "--report-dir", Path.Combine(scratch, "never")],
            new Dictionary<string, string> { ["DRILL_ENGINE_REMOTE"] = "maybe" }, Ct);

        exit.Should().Be(2);
        stderr.Should().StartWith("gittensory-drill: DRILL_ENGINE_REMOTE must be true or false; it is 'maybe'.");
        Directory.Exists(Path.Combine(scratch, "never")).Should().BeFalse();
    }

    private static string RunId(JsonElement report) => report.GetProperty("runId").GetString()!;

    private static string? Check(JsonElement leg, string name) =>
        leg.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name).GetProperty("verdict").GetString();

    private async Task<(JsonElement Report, IReadOnlyList<ContainerInspectResponse> Containers)> DrillThroughAsync(EngineTcpForwarder forwarder, Dictionary<string, string> environment)
    {
        var reports = Path.Combine(scratch, Guid.NewGuid().ToString("N"));
        var temp = Directory.CreateDirectory(Path.Combine(reports, "temp")).FullName;
        environment["DOCKER_HOST"] = forwarder.Endpoint;
        var (exit, stdout, stderr) = await DrillCommand.RunAsync(
            ["--backup-root", RepoPaths.SampleBackups, "--bundled-sample", "--store", "postgres,sqlite", "--report-dir", reports, "--temp-dir", temp, "--keep-sandbox",
             "--boot-app", "--boot-store", "sqlite", "--app-image", AppStandInImageTests.Image],
            environment, Ct);
        var file = DrillFolders.ReportJsons(reports).Should().ContainSingle($"the drill writes one report (exit {exit}: {stdout}{stderr})").Which;
        var report = JsonDocument.Parse(await File.ReadAllTextAsync(file, Ct)).RootElement.Clone();
        var runId = RunId(report);
        try
        {
            // Inspected over this process's own connection (the local socket), not through the forwarder.
            var engine = await EngineClient.GetAsync(Ct);
            var filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"{DrillSandbox.RunLabel}={runId}"] = true } };
            var listed = await engine.Containers.ListContainersAsync(new ContainersListParameters { All = true, Filters = filters }, Ct);
            var inspected = new List<ContainerInspectResponse>();
            foreach (var container in listed)
            {
                inspected.Add(await engine.Containers.InspectContainerAsync(container.ID, Ct));
            }

            exit.Should().Be(0, stdout + stderr);
            return (report, inspected);
        }
        finally
        {
            using var process = System.Diagnostics.Process.Start("bash", ["-c",
                $"docker rm -f $(docker ps -aq --filter label={DrillSandbox.RunLabel}={runId}) >/dev/null 2>&1; docker network rm $(docker network ls -q --filter label={DrillSandbox.RunLabel}={runId}) >/dev/null 2>&1"]);
            await process!.WaitForExitAsync(CancellationToken.None);
            (await ContainerEngine.CountRunResourcesAsync(runId, CancellationToken.None)).Should().Be((0, 0));
        }
    }
}
