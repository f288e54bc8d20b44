using FluentAssertions;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Sandbox;
using Gittensory.Drills.Tests.Stores.Postgres;
using Xunit;

namespace Gittensory.Drills.Tests.Sandbox;

/// <summary>The scratch servers holding restored data publish their ports on loopback only, as the engine itself describes them.</summary>
public sealed class LoopbackPortsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheScratchPostgresAndRedisPublishTheirPortsOnLoopbackOnlyAndStillAnswerThere()
    {
        // Given a sandbox with a scratch Postgres and a scratch Redis, started as a drill starts them
        await EngineGate.RequireEngineAsync(Ct);
        var images = DrillImages.FromEnvironment();
        await using var sandbox = await DrillSandbox.CreateAsync("test-" + Secrets.NewSecret(3), keep: false, Ct);
        var postgres = await ScratchPostgres.StartAsync(sandbox, images.PostgresFor(15), BrokenBackups.SampleDump, ct: Ct);
        var redis = await ScratchRedis.StartAsync(sandbox, images.Redis, Ct);

        // When the engine is asked how their ports are published
        var engine = await EngineClient.GetAsync(Ct);
        foreach (var id in new[] { postgres.Container.Id, redis.Container.Id })
        {
            var described = await engine.Containers.InspectContainerAsync(id, Ct);
            var bindings = described.NetworkSettings!.Ports!.Values.Where(b => b is not null).SelectMany(b => b).ToList();

            // Then every published port is on 127.0.0.1, none on 0.0.0.0 or [::]
            bindings.Should().NotBeEmpty("the harness reaches them on a published port");
            bindings.Select(b => b.HostIP).Should().OnlyContain(ip => ip == "127.0.0.1", "restored data must not be reachable from the network");
        }

        // And the drill still reaches them there
        await using var connection = new Npgsql.NpgsqlConnection(postgres.ConnectionString);
        await connection.OpenAsync(Ct);
        new Npgsql.NpgsqlConnectionStringBuilder(postgres.ConnectionString).Host.Should().Be("127.0.0.1");
    }
}
