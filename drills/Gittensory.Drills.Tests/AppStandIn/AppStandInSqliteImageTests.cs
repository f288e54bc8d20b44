using System.Diagnostics;
using System.Net;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using FluentAssertions;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Sandbox;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Gittensory.Drills.Tests.AppStandIn;

/// <summary>
/// The app stand-in's image in LoopOver's SQLite mode: no <c>DATABASE_URL</c>, a restored copy of the sample set's SQLite backup
/// mounted at <c>/data</c> (the image's default <c>DATABASE_PATH</c> is <c>/data/loopover.sqlite</c>), the shared Redis by alias.
/// </summary>
[Collection(StandInCollection.Name)]
public sealed class AppStandInSqliteImageTests(StandInContainersFixture containers) : IDisposable
{
    private const string IsoStamp = @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$";
    private static readonly string[] StandInMigrations = ["0001_standin_settings.sql", "0002_standin_notes.sql", "0003_standin_notes_author.sql"];
    private readonly RestoredSqliteBackup restored = RestoredSqliteBackup.Create();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheImageBootsOnARestoredSqliteBackupMountedAtDataAndAppliesItsMissingMigrationsIntoTheFilesLedger()
    {
        await RequireImageAsync();
        var before = await restored.LedgerAsync(Ct);

        await using var app = Build(SqliteEnvironment());
        var clock = Stopwatch.StartNew();
        await app.StartAsync(Ct);
        var (status, body, last) = await PollReadyAsync(app, a => a == HttpStatusCode.OK);
        var (stdout, stderr) = await app.GetLogsAsync(ct: Ct);

        status.Should().Be(HttpStatusCode.OK, $"/ready should answer 200 within 60 s (last: {last}); logs:{Environment.NewLine}{stdout}{stderr}");
        ReadyBody.ShouldBe(body!, ok: true, ("db", true), ("migrations", true), ("redis", true));
        stdout.Should().Contain("database sqlite:/data/loopover.sqlite, redis redis:6379/0")
            .And.Contain("SQLite sqlite:/data/loopover.sqlite opened read-write (")
            .And.Contain("migrations: 3 applied (0 without .sql, as no-ops; 0 with a tolerated error), 0 already applied, 178 ledger rows not in this release");
        restored.HasWalFiles.Should().BeTrue("the container opened the mounted file read-write, creating -wal/-shm beside it");
        TestContext.Current.TestOutputHelper?.WriteLine($"container, SQLite: start to ready in {clock.ElapsedMilliseconds} ms on the restored sample backup");

        await app.StopAsync(Ct);
        var after = await restored.LedgerAsync(Ct);
        after.Should().HaveCount(181);
        after.Where(row => before.ContainsKey(row.Key)).Should().BeEquivalentTo(before, "rows of applied migrations are never rewritten");
        after.Keys.Except(before.Keys).Should().BeEquivalentTo(StandInMigrations);
        after.Where(row => !before.ContainsKey(row.Key)).Should().AllSatisfy(row => row.Value.Should().MatchRegex(IsoStamp));
    }

    [Fact]
    public async Task TheImageWithExitDuringBootDiesWithTheCodeAndLeavesTheMountedFileUntouched()
    {
        await RequireImageAsync();
        var hash = restored.Sha256();
        var environment = SqliteEnvironment();
        environment["STANDIN_EXIT_DURING_BOOT"] = "7";

        await using var app = Build(environment);
        await app.StartAsync(Ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        var exitCode = await app.GetExitCodeAsync(limit.Token);
        var (_, stderr) = await app.GetLogsAsync(ct: Ct);

        exitCode.Should().Be(7, stderr);
        stderr.Should().Contain("MISBEHAVIOUR STANDIN_EXIT_DURING_BOOT: exiting with code 7 during boot.");
        restored.HasWalFiles.Should().BeFalse("the stand-in died before opening the database");
        restored.Sha256().Should().Be(hash);
    }

    [Fact]
    public async Task TheImageWithNeverReadyAnswers503WithTheDbCheckFalseOnSqlite()
    {
        await RequireImageAsync();
        var environment = SqliteEnvironment();
        environment["STANDIN_NEVER_READY"] = "true";

        await using var app = Build(environment);
        await app.StartAsync(Ct);
        var (status, body, last) = await PollReadyAsync(app, _ => true);

        status.Should().Be(HttpStatusCode.ServiceUnavailable, last);
        ReadyBody.ShouldBe(body!, ok: false, ("db", false), ("migrations", true), ("redis", true));
    }

    public void Dispose() => restored.Dispose();

    private async Task RequireImageAsync()
    {
        await containers.RequireAsync(Ct);
        if (await ContainerEngine.ImageEnvironmentAsync(AppStandInImageTests.Image, Ct) is not { } env)
        {
            const string missing = $"The image '{AppStandInImageTests.Image}' is not in the local engine. Build it with: bash fixtures/engine/ensure-engine.sh";
            if (EngineGate.EngineRequired)
            {
                throw new InvalidOperationException($"{missing} (required here: CI or DRILL_REQUIRE_ENGINE=true).");
            }

            Assert.Skip(missing);
            return;
        }

        env.Should().Contain("DATABASE_PATH", "/data/loopover.sqlite", "the image's default SQLite path is LoopOver's; rebuild it with fixtures/engine/ensure-engine.sh if it is older");
    }

    // The fixture's network environment without DATABASE_URL: the image's default DATABASE_PATH, /data/loopover.sqlite.
    private Dictionary<string, string> SqliteEnvironment()
    {
        var environment = containers.NetworkEnvironment();
        environment.Remove("DATABASE_URL");
        return environment;
    }

    private IContainer Build(IReadOnlyDictionary<string, string> environment) => new ContainerBuilder(AppStandInImageTests.Image)
        .WithName($"gdrill-standin-tests-app-{Guid.NewGuid().ToString("N")[..8]}")
        .WithNetwork(containers.Network)
        .WithEnvironment(environment)
        .WithBindMount(restored.Folder, "/data")
        .WithPortBinding(8787, assignRandomHostPort: true)
        .WithLogger(NullLogger.Instance)
        .Build();

    private static async Task<(HttpStatusCode? Status, string? Body, string Last)> PollReadyAsync(IContainer app, Func<HttpStatusCode, bool> until)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{app.Hostname}:{app.GetMappedPublicPort(8787)}/"), Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        var last = "no answer yet";
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                using var answer = await http.GetAsync("ready", Ct);
                var body = await answer.Content.ReadAsStringAsync(Ct);
                last = $"{(int)answer.StatusCode} {body}";
                if (until(answer.StatusCode))
                {
                    return (answer.StatusCode, body, last);
                }
            }
            catch (HttpRequestException e)
            {
                last = e.Message;
            }

            await Task.Delay(100, Ct);
        }

        return (null, null, last);
    }
}
