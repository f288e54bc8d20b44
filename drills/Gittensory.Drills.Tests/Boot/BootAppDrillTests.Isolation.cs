using System.Net;
using System.Net.Sockets;
using FluentAssertions;
using Gittensory.Drills.Boot;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Reporting;
using Xunit;

namespace Gittensory.Drills.Tests.Boot;

/// <summary>
/// What a host command can reach (issue 11, item 9): by default it runs in the network namespace of the prober container on the
/// drill's internal network, so it reaches the scratch Postgres and Redis (its /ready says so) but not a listener on this host's
/// loopback; on this host's own network (the negative control) it reaches that listener. The stand-in reports each connection it
/// tries (STANDIN_PROBE_TCP); the listener is this test's own, on 127.0.0.1, and nothing is sent to any outside address.
/// </summary>
public sealed partial class BootAppDrillTests
{
    [Fact]
    public async Task AHostCommandRunsInTheNetworkNamespaceOfTheInternalNetworkReachingTheScratchServicesButNoListenerOnThisHost()
    {
        // Given a listener on this host's loopback, outside the drill
        await EngineGate.RequireEngineAsync(Ct);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var envFile = EnvFile("STANDIN_BIND_ADDRESS=127.0.0.1", $"STANDIN_PROBE_TCP=127.0.0.1:{port}");

        // When the stand-in boots as a host command, isolated (the default)
        var (report, leg, app) = await DrillAsync(new AppBootOptions { Command = HostCommand, WorkingDirectory = RepoPaths.Root, EnvFile = envFile });

        // Then it reached Postgres and Redis, could not reach the listener, and app.isolation is proved from the engine
        report.Verdict.Should().Be(DrillVerdict.Passed, report.Problem);
        app.LogTail.Should().ContainMatch($"*probe tcp 127.0.0.1:{port}: *").Which.Should().EndWith($"probe tcp 127.0.0.1:{port}: failed (Connection refused)");
        listener.Pending().Should().BeFalse("no connection from the application reached this host's loopback");
        var isolation = leg.Check(AppIsolationCheck.Name)!;
        isolation.Verdict.Should().Be(CheckVerdict.Passed);
        isolation.Found.Should().Be(
            $"the host command ({string.Join(' ', HostCommand)}) ran in the network namespace of container gdrill-{report.RunId}-prober (nsenter --net), which is attached only to " +
            $"internal networks: gdrill-{report.RunId}-internal (Internal=true); it reached the scratch services by their addresses there, and neither this host's network nor its loopback; " +
            "read from the engine's own description, no packet was sent anywhere to test it (its files and processes are still this host's)");
        leg.Check(AppReadyCheck.Name)!.Found.Should().MatchRegex(@"^/ready answered 200 after \d+\.\d s \(\d+ requests\): ok=true, db=true, migrations=true, redis=true$");
        app.Form.Should().Be("host");
        app.Networks.Should().ContainSingle().Which.Should().Match<AppNetwork>(n => n.Internal && n.Name == $"gdrill-{report.RunId}-internal");
        leg.Sandbox!.Containers.Should().Equal($"gdrill-{report.RunId}-postgres", $"gdrill-{report.RunId}-redis", $"gdrill-{report.RunId}-prober");
        var (_, markdown) = await ReadReportAsync(report);
        markdown.Should().Contain($"in the network namespace of a container on `gdrill-{report.RunId}-internal` (Internal=true)");
        Measure("host command in the internal network's namespace", report, leg, app);
    }

    [Fact]
    public async Task AHostCommandOnThisHostsOwnNetworkReachesAListenerOnThisHostAndIsolationWarnsSayingWhatItCouldReach()
    {
        // Given the same listener
        await EngineGate.RequireEngineAsync(Ct);
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var envFile = EnvFile("STANDIN_BIND_ADDRESS=127.0.0.1", $"STANDIN_PROBE_TCP=127.0.0.1:{port}");

        // When the stand-in boots as a host command on this host's network
        var (report, leg, app) = await DrillAsync(new AppBootOptions { Command = HostCommand, WorkingDirectory = RepoPaths.Root, EnvFile = envFile, IsolateHostCommand = false });

        // Then it reached the listener, and app.isolation is a warning that says so
        report.Verdict.Should().Be(DrillVerdict.Passed, report.Problem);
        app.LogTail.Should().Contain(l => l.EndsWith($"[loopover-standin] probe tcp 127.0.0.1:{port}: connected", StringComparison.Ordinal));
        using (var accepted = await listener.AcceptTcpClientAsync(Ct))
        {
            accepted.Connected.Should().BeTrue();
        }

        var isolation = leg.Check(AppIsolationCheck.Name)!;
        isolation.Verdict.Should().Be(CheckVerdict.Warning);
        isolation.Found.Should().StartWith(
            $"not isolated: the application ran as a host command ({string.Join(' ', HostCommand)}) on this host's own network, because the drill was asked to run it on this host's network " +
            "(AppBootOptions.IsolateHostCommand = false). It could reach everything this host can: every service listening on this host (its loopback included)");
        app.Networks.Should().BeEmpty();
        leg.Sandbox!.Containers.Should().Equal($"gdrill-{report.RunId}-postgres", $"gdrill-{report.RunId}-redis");
    }
}
