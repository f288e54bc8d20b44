using FluentAssertions;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Sandbox;
using Npgsql;
using StackExchange.Redis;
using Testcontainers.PostgreSql;
using Testcontainers.Redis;
using Xunit;

namespace Gittensory.Drills.Tests.Sandbox;

public sealed class ContainerEngineTests
{
    [Fact]
    public async Task AMissingEngineSocketIsReportedWithWhatToDo()
    {
        var status = await ContainerEngine.ProbeAsync("unix:///nonexistent/docker.sock", ct: TestContext.Current.CancellationToken);

        status.Answers.Should().BeFalse();
        status.Problem.Should().Be("No container engine: '/nonexistent/docker.sock' does not exist. Start one with fixtures/engine/ensure-engine.sh (Debian, no registry needed).");
    }

    [Fact]
    public async Task ARemoteEngineIsRefusedBecauseTheDrillOnlyDrivesALocalOne()
    {
        var status = await ContainerEngine.ProbeAsync("tcp://127.0.0.1:2375", ct: TestContext.Current.CancellationToken);

        status.Answers.Should().BeFalse();
        status.Problem.Should().Be("DOCKER_HOST 'tcp://127.0.0.1:2375' is not a local socket; the drill only drives a local engine (unix://).");
    }

    [Fact]
    public async Task ThePostgresImageStartsThroughTestcontainersAndAnswersQueries()
    {
        var ct = TestContext.Current.CancellationToken;
        await EngineGate.RequireEngineAsync(ct);
        await using var postgres = new PostgreSqlBuilder(DrillImages.FromEnvironment().PostgresFor(15)).WithPassword(Secrets.NewSecret()).Build();
        await postgres.StartAsync(ct);

        await using var connection = new NpgsqlConnection(postgres.GetConnectionString());
        await connection.OpenAsync(ct);
        await using var query = new NpgsqlCommand("SELECT current_setting('server_version_num')::int / 10000", connection);
        var major = (int)(await query.ExecuteScalarAsync(ct))!;

        major.Should().BeGreaterThanOrEqualTo(15);
    }

    [Fact]
    public async Task TheRedisImageStartsThroughTestcontainersAndStoresAValue()
    {
        var ct = TestContext.Current.CancellationToken;
        await EngineGate.RequireEngineAsync(ct);
        await using var redis = new RedisBuilder(DrillImages.FromEnvironment().Redis).Build();
        await redis.StartAsync(ct);

        await using var client = await ConnectionMultiplexer.ConnectAsync(redis.GetConnectionString());
        var db = client.GetDatabase();
        await db.StringSetAsync("drill", "restored");

        ((string?)await db.StringGetAsync("drill")).Should().Be("restored");
    }
}
