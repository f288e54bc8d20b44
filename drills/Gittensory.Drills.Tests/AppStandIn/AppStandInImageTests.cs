using System.Diagnostics;
using System.Net;
using DotNet.Testcontainers.Builders;
using FluentAssertions;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Sandbox;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Gittensory.Drills.Tests.AppStandIn;

/// <summary>The app stand-in's image (built offline by fixtures/engine/ensure-engine.sh) on a network with the shared Postgres and Redis.</summary>
[Collection(StandInCollection.Name)]
public sealed class AppStandInImageTests(StandInContainersFixture containers)
{
    /// <summary>The stand-in's image, as ensure-engine.sh tags it.</summary>
    public const string Image = "gittensory-drills/loopover-standin:latest";

    /// <summary>Requires the engine and the stand-in's image: skips without them on a laptop, fails under CI or DRILL_REQUIRE_ENGINE.</summary>
    internal static async Task RequireImageAsync(CancellationToken ct)
    {
        await EngineGate.RequireEngineAsync(ct);
        if (await ContainerEngine.ImageEnvironmentAsync(Image, ct) is null)
        {
            const string missing = $"The image '{Image}' is not in the local engine. Build it with: bash fixtures/engine/ensure-engine.sh";
            if (EngineGate.EngineRequired)
            {
                throw new InvalidOperationException($"{missing} (required here: CI or DRILL_REQUIRE_ENGINE=true).");
            }

            Assert.Skip(missing);
        }
    }

    [Fact]
    public async Task TheImageBootsOnANetworkWithPostgresAndRedisAndAnswersReadyThroughAPublishedPort()
    {
        var ct = TestContext.Current.CancellationToken;
        await containers.RequireAsync(ct);
        if (await ContainerEngine.ImageEnvironmentAsync(Image, ct) is null)
        {
            const string missing = $"The image '{Image}' is not in the local engine. Build it with: bash fixtures/engine/ensure-engine.sh";
            if (EngineGate.EngineRequired)
            {
                throw new InvalidOperationException($"{missing} (required here: CI or DRILL_REQUIRE_ENGINE=true).");
            }

            Assert.Skip(missing);
        }

        await using var app = new ContainerBuilder(Image)
            .WithName($"gdrill-standin-tests-app-{Guid.NewGuid().ToString("N")[..8]}")
            .WithNetwork(containers.Network)
            .WithEnvironment(containers.NetworkEnvironment())
            .WithPortBinding(8787, assignRandomHostPort: true)
            .WithLogger(NullLogger.Instance)
            .Build();
        var clock = Stopwatch.StartNew();
        await app.StartAsync(ct);

        using var http = new HttpClient { BaseAddress = new Uri($"http://{app.Hostname}:{app.GetMappedPublicPort(8787)}/"), Timeout = TimeSpan.FromSeconds(5) };
        string? body = null;
        var last = "no answer yet";
        while (clock.Elapsed < TimeSpan.FromSeconds(60) && body is null)
        {
            try
            {
                using var answer = await http.GetAsync("ready", ct);
                last = $"{(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync(ct)}";
                body = answer.StatusCode == HttpStatusCode.OK ? await answer.Content.ReadAsStringAsync(ct) : null;
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }

            if (body is null)
            {
                await Task.Delay(100, ct);
            }
        }

        var (stdout, stderr) = await app.GetLogsAsync(ct: ct);
        body.Should().NotBeNull($"/ready should answer 200 within 60 s (last: {last}); logs:{Environment.NewLine}{stdout}{stderr}");
        ReadyBody.ShouldBe(body!, ok: true, ("db", true), ("migrations", true), ("redis", true));
        stdout.Should().Contain("database loopover@postgres:5432/loopover, redis redis:6379/0");
        TestContext.Current.TestOutputHelper?.WriteLine($"container: start to ready in {clock.ElapsedMilliseconds} ms");
    }
}
