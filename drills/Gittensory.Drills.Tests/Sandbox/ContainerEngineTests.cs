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
    public async Task AnEngineEndpointThatIsNeitherASocketNorTcpIsRefusedSayingWhichItTakes()
    {
        var status = await ContainerEngine.ProbeAsync("ssh://drill@dr-host", ct: TestContext.Current.CancellationToken);

        status.Answers.Should().BeFalse();
        status.Problem.Should().Be("DOCKER_HOST 'ssh://drill@dr-host' is neither a local socket (unix://) nor an engine's TCP address (tcp://host:port); the drill drives only those.");
    }

    [Fact]
    public async Task AnEngineOnATcpPortThatNothingAnswersIsReportedWithWhatToDo()
    {
        using var unused = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        unused.Start();
        var port = ((System.Net.IPEndPoint)unused.LocalEndpoint).Port;
        unused.Stop();

        var status = await ContainerEngine.ProbeAsync($"tcp://127.0.0.1:{port}", ct: TestContext.Current.CancellationToken);

        status.Answers.Should().BeFalse();
        status.Problem.Should().StartWith($"The container engine at 'tcp://127.0.0.1:{port}' does not answer (").And.EndWith("Is dockerd running? fixtures/engine/ensure-engine.sh starts it.");
    }

    [Theory]
    [InlineData("unix:///var/run/docker.sock", null, false, "the engine at 'unix:///var/run/docker.sock' is on this machine (a local socket)")]
    [InlineData("tcp://127.0.0.1:2375", null, false, "the engine at 'tcp://127.0.0.1:2375' is on this machine (a loopback address)")]
    [InlineData("tcp://localhost:2375", null, false, "the engine at 'tcp://localhost:2375' is on this machine (a loopback address)")]
    [InlineData("tcp://[::1]:2375", null, false, "the engine at 'tcp://[::1]:2375' is on this machine (a loopback address)")]
    [InlineData("tcp://10.1.2.3:2375", null, true, "the engine at 'tcp://10.1.2.3:2375' is on another machine (10.1.2.3 is not a loopback address), where local paths do not exist")]
    [InlineData("tcp://dr-host.example:2375", null, true, "the engine at 'tcp://dr-host.example:2375' is on another machine (dr-host.example is not a loopback address), where local paths do not exist")]
    [InlineData("tcp://127.0.0.1:2375", true, true, "the engine at 'tcp://127.0.0.1:2375' is treated as remote, as asked (--engine-is-remote / DRILL_ENGINE_REMOTE=true)")]
    [InlineData("tcp://10.1.2.3:2375", false, false, "the engine at 'tcp://10.1.2.3:2375' is treated as local, as asked (DRILL_ENGINE_REMOTE=false)")]
    public void WhereTheEngineRunsIsDecidedFromItsEndpointUnlessTheOperatorSays(string endpoint, bool? forced, bool remote, string reason)
    {
        var location = EngineLocation.Decide(endpoint, forced);

        location.Should().Be(new EngineLocation(remote, reason));
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
