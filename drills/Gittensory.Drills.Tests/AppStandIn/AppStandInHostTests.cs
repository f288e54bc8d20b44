using System.Net;
using System.Text.Json;
using FluentAssertions;
using Gittensory.Drills.Fixtures;
using Xunit;

namespace Gittensory.Drills.Tests.AppStandIn;

/// <summary>The app stand-in as a host process against the shared scratch Postgres and Redis: its boot and readiness contract and its misbehaviour switches.</summary>
[Collection(StandInCollection.Name)]
public sealed class AppStandInHostTests(StandInContainersFixture containers) : IDisposable
{
    private const string IsoStamp = @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$";
    private static readonly string[] StandInMigrations = ["0001_standin_settings.sql", "0002_standin_notes.sql", "0003_standin_notes_author.sql"];
    private readonly string scratch = Directory.CreateTempSubdirectory("gittensory-drills-standin-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ItBecomesReadyAgainstScratchPostgresAndRedisAndAnswersWithTheDocumentedBody()
    {
        await containers.RequireAsync(Ct);

        await using var standIn = StandInProcess.Start(containers.HostEnvironment());
        var ready = await standIn.WaitUntilReadyAsync(Ct);

        ReadyBody.ShouldBe(ready.Body, ok: true, ("db", true), ("migrations", true), ("redis", true));
        using var http = new HttpClient();
        using var health = await http.GetAsync(new Uri($"http://127.0.0.1:{standIn.Port}/health"), Ct);
        health.StatusCode.Should().Be(HttpStatusCode.OK);
        (await health.Content.ReadAsStringAsync(Ct)).Should().Be("""{"status":"ok"}""");
        standIn.StandardOutput.Should().Contain("loopover-standin: a stand-in for the LoopOver server (not LoopOver itself)");
        TestContext.Current.TestOutputHelper?.WriteLine($"host process: boot to ready in {ready.At.TotalMilliseconds:0} ms on an empty database");
    }

    [Fact]
    public async Task ItCreatesAMissingLedgerAndAppliesEveryMigrationInNameOrder()
    {
        await containers.RequireAsync(Ct);
        await containers.ExecuteAsync("DROP TABLE IF EXISTS _selfhost_migrations; DROP TABLE IF EXISTS standin_order_test;", Ct);
        WriteMigration("0002_second.sql", "INSERT INTO standin_order_test (step) VALUES ('second');");
        WriteMigration("0001_first.sql", "CREATE TABLE standin_order_test (step TEXT NOT NULL, at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp());");
        WriteMigration("0003_third.sql", "INSERT INTO standin_order_test (step) VALUES ('third');");

        await using var standIn = StandInProcess.Start(containers.HostEnvironment(), "--migrations", scratch);
        await standIn.WaitUntilReadyAsync(Ct);

        var ledger = await containers.LedgerAsync(Ct);
        ledger.Keys.Should().BeEquivalentTo("0001_first.sql", "0002_second.sql", "0003_third.sql");
        ledger.Values.Should().AllSatisfy(at => at.Should().MatchRegex(IsoStamp));
        (await ScalarAsync("SELECT string_agg(step, ',' ORDER BY at) FROM standin_order_test")).Should().Be("second,third");
        standIn.StandardOutput.Should().Contain("migrations: 3 applied (0 without .sql, as no-ops; 0 with a tolerated error), 0 already applied");
    }

    [Fact]
    public async Task ItAppliesOnlyWhatTheLedgerLacksAndLeavesRecordedRowsUntouched()
    {
        await containers.RequireAsync(Ct);
        await SeedLedgerAsync(("0001_standin_settings.sql", "2026-07-04 09:09:39"));

        await using var standIn = StandInProcess.Start(containers.HostEnvironment());
        await standIn.WaitUntilReadyAsync(Ct);

        var ledger = await containers.LedgerAsync(Ct);
        ledger.Keys.Should().BeEquivalentTo(StandInMigrations);
        ledger["0001_standin_settings.sql"].Should().Be("2026-07-04 09:09:39", "an applied migration's row is never rewritten");
        ledger["0002_standin_notes.sql"].Should().MatchRegex(IsoStamp);
        ledger["0003_standin_notes_author.sql"].Should().MatchRegex(IsoStamp);
        standIn.StandardOutput.Should().Contain("migrations: 2 applied").And.Contain("1 already applied");
    }

    [Fact]
    public async Task ItTakesTheReleaseFromANamesFileRecordingNoOpsAndABootOnAMatchingLedgerChangesNothing()
    {
        await containers.RequireAsync(Ct);
        var profile = Path.Combine(RepoPaths.Root, "drills", "Gittensory.Drills", "Profiles", "loopover.json");
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(profile, Ct));
        var names = json.RootElement.GetProperty("migrations").EnumerateArray().Select(n => n.GetString()!).ToArray();
        var namesFile = Path.Combine(scratch, "names.txt");
        await File.WriteAllLinesAsync(namesFile, ["# LoopOver's 178 migration names", .. names], Ct);
        var environment = containers.HostEnvironment();
        environment["STANDIN_MIGRATION_NAMES_FILE"] = namesFile;

        await using (var first = StandInProcess.Start(environment))
        {
            await first.WaitUntilReadyAsync(Ct);
            first.StandardOutput.Should().Contain("migrations: 178 applied (178 without .sql, as no-ops; 0 with a tolerated error), 0 already applied");
        }

        var afterFirst = await containers.LedgerAsync(Ct);
        afterFirst.Keys.Should().BeEquivalentTo(names);

        environment["PORT"] = StandInProcess.FreeLoopbackPort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var second = StandInProcess.Start(environment);
        var ready = await second.WaitUntilReadyAsync(Ct);

        (await containers.LedgerAsync(Ct)).Should().Equal(afterFirst, "a release whose names match the ledger applies nothing");
        second.StandardOutput.Should().Contain("migrations: 0 applied (0 without .sql, as no-ops; 0 with a tolerated error), 178 already applied");
        TestContext.Current.TestOutputHelper?.WriteLine($"host process: boot to ready in {ready.At.TotalMilliseconds:0} ms on a database already migrated (178 names)");
    }

    [Fact]
    public async Task AnAlreadyExistsErrorIsToleratedAndTheMigrationIsStillRecorded()
    {
        await containers.RequireAsync(Ct);
        await containers.ExecuteAsync("CREATE TABLE IF NOT EXISTS standin_dupe_test (id TEXT)", Ct);
        WriteMigration("0001_dupe.sql", "CREATE TABLE standin_dupe_test (id TEXT);");

        await using var standIn = StandInProcess.Start(containers.HostEnvironment(), "--migrations", scratch);
        await standIn.WaitUntilReadyAsync(Ct);

        (await containers.LedgerAsync(Ct)).Keys.Should().Equal("0001_dupe.sql");
        standIn.StandardOutput.Should().Contain("migration 0001_dupe.sql: tolerated error (42P07: relation \"standin_dupe_test\" already exists).");
    }

    [Fact]
    public async Task AMigrationFailingForAnyOtherReasonStopsTheBootNamingTheFile()
    {
        await containers.RequireAsync(Ct);
        WriteMigration("0001_fine.sql", "SELECT 1;");
        WriteMigration("0002_broken.sql", "INSERT INTO standin_no_such_table VALUES (1);");
        WriteMigration("0003_never.sql", "SELECT 1;");
        var environment = containers.HostEnvironment();
        environment["STANDIN_MIGRATIONS_DIR"] = scratch;

        await using var standIn = StandInProcess.Start(environment);
        var exitCode = await standIn.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);

        exitCode.Should().Be(1, standIn.Describe());
        standIn.StandardError.Should().Contain($"boot failed: Migration '0002_broken.sql' ({Path.Combine(scratch, "0002_broken.sql")}) failed: 42P01: relation \"standin_no_such_table\" does not exist.");
        (await containers.LedgerAsync(Ct)).Keys.Should().Equal(["0001_fine.sql"], "migrations before the failing one are recorded, later ones are not");
    }

    [Fact]
    public async Task NeverReadyAnswers503WithTheDbCheckFailing()
    {
        await containers.RequireAsync(Ct);
        var environment = containers.HostEnvironment();
        environment["STANDIN_NEVER_READY"] = "true";

        await using var standIn = StandInProcess.Start(environment);
        var first = await standIn.WaitUntilListeningAsync(Ct);
        await Task.Delay(500, Ct);
        var later = await standIn.WaitUntilListeningAsync(Ct);

        foreach (var answer in new[] { first, later })
        {
            answer.Status.Should().Be(HttpStatusCode.ServiceUnavailable);
            ReadyBody.ShouldBe(answer.Body, ok: false, ("db", false), ("migrations", true), ("redis", true));
        }

        standIn.StandardOutput.Should().Contain("MISBEHAVIOUR STANDIN_NEVER_READY: /ready will always answer 503 with the 'db' check false.");
    }

    [Fact]
    public async Task ExitDuringBootDiesWithTheGivenCodeAfterAFewLogLinesWithoutTouchingTheDatabase()
    {
        await containers.RequireAsync(Ct);
        var environment = containers.HostEnvironment();
        environment["STANDIN_EXIT_DURING_BOOT"] = "7";

        await using var standIn = StandInProcess.Start(environment);
        var exitCode = await standIn.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);

        exitCode.Should().Be(7, standIn.Describe());
        standIn.StandardOutput.Should().Contain("loopover-standin: a stand-in for the LoopOver server").And.Contain("MISBEHAVIOUR STANDIN_EXIT_DURING_BOOT");
        standIn.StandardError.Should().Contain("MISBEHAVIOUR STANDIN_EXIT_DURING_BOOT: exiting with code 7 during boot.");
        (await containers.LedgerAsync(Ct)).Should().BeEmpty();
    }

    [Fact]
    public async Task ReapplyMigrationRewritesTheAppliedRowWithANewAppliedAt()
    {
        await containers.RequireAsync(Ct);
        const string old = "2026-07-04T09:09:39.123Z";
        await SeedLedgerAsync([.. StandInMigrations.Select(n => (n, old))]);
        var environment = containers.HostEnvironment();
        environment["STANDIN_REAPPLY_MIGRATION"] = "0002_standin_notes.sql";

        await using var standIn = StandInProcess.Start(environment);
        await standIn.WaitUntilReadyAsync(Ct);

        var ledger = await containers.LedgerAsync(Ct);
        ledger.Keys.Should().BeEquivalentTo(StandInMigrations, "the name is the primary key: a re-applied migration shows as a rewritten row, not a second one");
        ledger["0002_standin_notes.sql"].Should().MatchRegex(IsoStamp).And.NotBe(old);
        ledger["0001_standin_settings.sql"].Should().Be(old);
        ledger["0003_standin_notes_author.sql"].Should().Be(old);
        standIn.StandardOutput.Should().Contain(
            $"MISBEHAVIOUR STANDIN_REAPPLY_MIGRATION: re-applied '0002_standin_notes.sql'; its ledger row was deleted and inserted again, applied_at {old} -> {ledger["0002_standin_notes.sql"]}.");
    }

    [Fact]
    public async Task ReapplyingAMigrationTheLedgerDoesNotHoldStopsTheBoot()
    {
        await containers.RequireAsync(Ct);
        var environment = containers.HostEnvironment();
        environment["STANDIN_REAPPLY_MIGRATION"] = "0999_not_applied.sql";

        await using var standIn = StandInProcess.Start(environment);
        var exitCode = await standIn.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);

        exitCode.Should().Be(1, standIn.Describe());
        standIn.StandardError.Should().Contain(
            "boot failed: STANDIN_REAPPLY_MIGRATION names '0999_not_applied.sql', but _selfhost_migrations has no row for it. Name a migration that is already applied (one of the ledger's 3 names).");
    }

    [Fact]
    public async Task AnUnreachableRedisMakesReadyAnswer503WithTheRedisCheckFalse()
    {
        await containers.RequireAsync(Ct);
        var environment = containers.HostEnvironment();
        environment["REDIS_URL"] = $"redis://127.0.0.1:{StandInProcess.FreeLoopbackPort()}";

        await using var standIn = StandInProcess.Start(environment);
        var answer = await standIn.WaitUntilListeningAsync(Ct);

        answer.Status.Should().Be(HttpStatusCode.ServiceUnavailable);
        ReadyBody.ShouldBe(answer.Body, ok: false, ("db", true), ("migrations", true), ("redis", false));
    }

    [Fact]
    public async Task IgnoreFailedCheckReportsAnUnreachableRedisAsPassingAndReadyAs200()
    {
        await containers.RequireAsync(Ct);
        var environment = containers.HostEnvironment();
        environment["REDIS_URL"] = $"redis://127.0.0.1:{StandInProcess.FreeLoopbackPort()}";
        environment["STANDIN_IGNORE_FAILED_CHECK"] = "redis";

        await using var standIn = StandInProcess.Start(environment);
        var answer = await standIn.WaitUntilListeningAsync(Ct);

        answer.Status.Should().Be(HttpStatusCode.OK);
        ReadyBody.ShouldBe(answer.Body, ok: true, ("db", true), ("migrations", true), ("redis", true));
        standIn.StandardOutput.Should().Contain("MISBEHAVIOUR STANDIN_IGNORE_FAILED_CHECK: /ready will report redis true even when failing.");
    }

    [Fact]
    public async Task WithQdrantItCreatesAMissingCollectionAndChecksReadyz()
    {
        await containers.RequireAsync(Ct);
        await using var qdrant = FakeQdrant.Start();
        var environment = containers.HostEnvironment();
        environment["QDRANT_URL"] = qdrant.Url;
        environment["QDRANT_DIM"] = "8";

        await using var standIn = StandInProcess.Start(environment);
        var ready = await standIn.WaitUntilReadyAsync(Ct);

        ReadyBody.ShouldBe(ready.Body, ok: true, ("db", true), ("migrations", true), ("redis", true), ("qdrant", true));
        qdrant.Requests.Should().StartWith(
        [
            "GET /collections/loopover",
            """PUT /collections/loopover {"vectors":{"size":8,"distance":"Cosine"}}""",
        ]).And.Contain("GET /readyz");
    }

    [Fact]
    public async Task AQdrantCollectionOfAnotherDimensionIsFatal()
    {
        await containers.RequireAsync(Ct);
        await using var qdrant = FakeQdrant.Start(("loopover", 768));
        var environment = containers.HostEnvironment();
        environment["QDRANT_URL"] = qdrant.Url;

        await using var standIn = StandInProcess.Start(environment);
        var exitCode = await standIn.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);

        exitCode.Should().Be(1, standIn.Describe());
        standIn.StandardError.Should().Contain(
            $"boot failed: Qdrant collection 'loopover' at {qdrant.Url}/ has vectors of size 768, but QDRANT_DIM is 1024. A dimension mismatch is fatal, as in LoopOver: set QDRANT_DIM=768 or restore the matching collection.");
        qdrant.Requests.Should().Equal("GET /collections/loopover");
    }

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    private void WriteMigration(string name, string sql) => File.WriteAllText(Path.Combine(scratch, name), sql);

    private async Task SeedLedgerAsync(params (string Name, string AppliedAt)[] rows)
    {
        await containers.ExecuteAsync("CREATE TABLE IF NOT EXISTS _selfhost_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)", Ct);
        foreach (var (name, at) in rows)
        {
            await containers.ExecuteAsync($"INSERT INTO _selfhost_migrations VALUES ('{name}', '{at}')", Ct);
        }
    }

    private async Task<string?> ScalarAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(containers.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync(Ct))?.ToString();
    }
}
