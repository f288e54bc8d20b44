using System.Diagnostics;
using System.Security.Cryptography;
using Docker.DotNet;
using Docker.DotNet.Models;
using Version = System.Version;
using FluentAssertions;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Sandbox;
using Xunit;

namespace Gittensory.Drills.Tests.Sandbox;

/// <summary>The drill's own engine calls (<see cref="EngineApi"/>) through the process's one Docker.DotNet client, against the real engine.</summary>
public sealed class EngineApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheEnginesMultiplexedLogStreamIsReadFrameByFrameInOrder()
    {
        static byte[] Frame(byte stream, string text)
        {
            var payload = System.Text.Encoding.UTF8.GetBytes(text);
            return [stream, 0, 0, 0, (byte)(payload.Length >> 24), (byte)(payload.Length >> 16), (byte)(payload.Length >> 8), (byte)payload.Length, .. payload];
        }

        byte[] bytes = [.. Frame(1, "[loopover-standin] booting\n"), .. Frame(2, "[loopover-standin] boot failed: é\n"), .. Frame(1, "bye\n")];
        using var stream = new MultiplexedStream(new MemoryStream(bytes), multiplexed: true);

        (await EngineApi.ReadInOrderAsync(stream, Ct)).Should().Be("[loopover-standin] booting\n[loopover-standin] boot failed: é\nbye\n");
    }

    [Theory]
    [InlineData("1.41", null, "1.41")]
    [InlineData("1.41", "1.44", "1.41")]
    [InlineData("1.44", "1.41", "1.41")]
    [InlineData(null, "1.40", "1.40")]
    [InlineData(null, null, null)]
    public void TheClientSpeaksTheEnginesApiVersionOrALowerOneTheOperatorAsksFor(string? engine, string? requested, string? expected)
    {
        EngineClient.Negotiate(engine, requested).Should().Be(expected is null ? null : Version.Parse(expected));
    }

    [Fact]
    public async Task EveryCallGoesThroughOneClientAndTheEngineIsAskedForItsVersionOnce()
    {
        await EngineGate.RequireEngineAsync(Ct);
        var status = await ContainerEngine.ProbeAsync(ct: Ct);

        for (var i = 0; i < 3; i++)
        {
            (await ContainerEngine.ProbeAsync(ct: Ct)).Should().BeSameAs(status, "the default engine's answer is kept");
            (await ContainerEngine.ImageEnvironmentAsync(DrillImages.FromEnvironment().Redis, Ct)).Should().NotBeNull();
            await EngineApi.KillAndRemoveAsync($"gdrill-enginetests-absent-{i}", Ct);
        }

        EngineClient.Created.Should().Be(1, "one client per process, whatever the number of calls");
        ContainerEngine.Probes.Should().Be(1, "the version is asked once per process");
        EngineClient.ApiVersion.Should().Be(Version.Parse(status.ApiVersion!), "the client speaks the engine's API version (or DOCKER_API_VERSION when lower)");
    }

    [Fact]
    public async Task ACreatedContainerIsAttachedStartedDescribedAndKilledWithItsNetworksAsTheEngineSeesThem()
    {
        await EngineGate.RequireEngineAsync(Ct);
        var run = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var labels = new Dictionary<string, string> { ["gittensory.drills.tests"] = run };
        var engine = await EngineClient.GetAsync(Ct);
        var open = (await engine.Networks.CreateNetworkAsync(new NetworksCreateParameters { Name = $"gdrill-enginetests-{run}-open", Labels = labels }, Ct)).ID;
        var closed = (await engine.Networks.CreateNetworkAsync(new NetworksCreateParameters { Name = $"gdrill-enginetests-{run}-internal", Internal = true, Labels = labels }, Ct)).ID;
        string? id = null;
        try
        {
            id = await EngineApi.CreateContainerAsync(
                $"gdrill-enginetests-{run}-redis", DrillImages.FromEnvironment().Redis, new Dictionary<string, string> { ["DRILL_TEST"] = run }, labels,
                $"gdrill-enginetests-{run}-open", ["first"], ct: Ct);
            await EngineApi.ConnectAsync($"gdrill-enginetests-{run}-internal", id, ["second", "again"], Ct);

            var created = await EngineApi.InspectContainerAsync(id, Ct);
            created.Name.Should().Be($"gdrill-enginetests-{run}-redis");
            created.Running.Should().BeFalse("created, not started");
            created.NetworkMode.Should().Be($"gdrill-enginetests-{run}-open", "the container is created on that network only, as the drill's app is");

            await EngineApi.StartContainerAsync(id, Ct);
            var lines = await WaitForLogAsync(id, "Ready to accept connections");
            var running = await EngineApi.InspectContainerAsync(id, Ct);

            running.Running.Should().BeTrue();
            running.Status.Should().Be("running");
            running.Networks.Select(n => n.Name).Should().BeEquivalentTo($"gdrill-enginetests-{run}-open", $"gdrill-enginetests-{run}-internal");
            running.Networks.Single(n => n.NetworkId == open).Aliases.Should().Contain("first");
            running.Networks.Single(n => n.NetworkId == closed).Aliases.Should().Contain(["second", "again"]);
            running.Networks.Should().AllSatisfy(n => n.IpAddress.Should().NotBeNullOrEmpty());
            (await EngineApi.InspectNetworkAsync(closed, Ct)).Should().Be(new NetworkInspection(closed, $"gdrill-enginetests-{run}-internal", "bridge", Internal: true));
            (await EngineApi.InspectNetworkAsync($"gdrill-enginetests-{run}-open", Ct)).Internal.Should().BeFalse();
            lines.Should().HaveCountLessThanOrEqualTo(5);

            var clock = Stopwatch.StartNew();
            await EngineApi.KillAndRemoveAsync(id, Ct);
            TestContext.Current.TestOutputHelper?.WriteLine($"kill and remove of a running container: {clock.ElapsedMilliseconds} ms");

            var gone = async () => await EngineApi.InspectContainerAsync(id, Ct);
            (await gone.Should().ThrowAsync<InvalidOperationException>())
                .WithMessage($"The container engine refused to inspect container {id[..12]}: 404 No such container: {id}*");
            await EngineApi.KillAndRemoveAsync(id, Ct); // already gone is fine
        }
        finally
        {
            if (id is not null)
            {
                await EngineApi.KillAndRemoveAsync(id, CancellationToken.None);
            }

            await engine.Networks.DeleteNetworkAsync(open, CancellationToken.None);
            await engine.Networks.DeleteNetworkAsync(closed, CancellationToken.None);
        }
    }

    [Fact]
    public async Task StoppingAContainerGivesItTheGraceAndStoppingItAgainIsFine()
    {
        await EngineGate.RequireEngineAsync(Ct);
        var run = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var id = await EngineApi.CreateContainerAsync(
            $"gdrill-enginetests-{run}-stop", DrillImages.FromEnvironment().Redis, new Dictionary<string, string>(), new Dictionary<string, string> { ["gittensory.drills.tests"] = run },
            "bridge", [], ct: Ct);
        try
        {
            await EngineApi.StartContainerAsync(id, Ct);
            await WaitForLogAsync(id, "Ready to accept connections");

            await EngineApi.StopContainerAsync(id, TimeSpan.FromSeconds(10), Ct);
            await EngineApi.StopContainerAsync(id, TimeSpan.FromSeconds(10), Ct);

            var stopped = await EngineApi.InspectContainerAsync(id, Ct);
            stopped.Running.Should().BeFalse();
            stopped.Status.Should().Be("exited");
            stopped.ExitCode.Should().Be(0, "redis-server exits cleanly on SIGTERM within the grace");
        }
        finally
        {
            await EngineApi.KillAndRemoveAsync(id, CancellationToken.None);
        }
    }

    [Fact]
    public async Task CreatingFromAnImageTheEngineDoesNotHaveSaysWhichImage()
    {
        await EngineGate.RequireEngineAsync(Ct);
        var image = $"gittensory-drills/no-such-image:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";

        var create = async () => await EngineApi.CreateContainerAsync("gdrill-enginetests-never", image, new Dictionary<string, string>(), new Dictionary<string, string>(), "bridge", [], ct: Ct);

        (await create.Should().ThrowAsync<ContainerImageMissingException>())
            .Which.Message.Should().Be($"The container engine has no image '{image}' (No such image: {image}).");
    }

    private static async Task<IReadOnlyList<string>> WaitForLogAsync(string id, string text)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyList<string> lines = [];
        while (clock.Elapsed < TimeSpan.FromSeconds(20))
        {
            lines = await EngineApi.LogTailAsync(id, 5, Ct);
            if (lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
            {
                return lines;
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException($"Container {id[..12]} did not log '{text}' within 20 s; its last lines: {string.Join(" | ", lines)}");
    }
}
