using System.Net;
using System.Text.Json;
using FluentAssertions;
using Gittensory.Drills.Fixtures;
using Xunit;

namespace Gittensory.Drills.Tests.AppStandIn;

/// <summary>
/// The app stand-in as a host process in LoopOver's SQLite mode (no <c>DATABASE_URL</c>, <c>DATABASE_PATH</c> to a restored copy of the
/// sample set's SQLite backup), with the shared scratch Redis: boot, ledger in the file, readiness and the misbehaviour switches.
/// </summary>
[Collection(StandInCollection.Name)]
public sealed class AppStandInSqliteHostTests(StandInContainersFixture containers) : IDisposable
{
    private const string IsoStamp = @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$";
    private readonly RestoredSqliteBackup restored = RestoredSqliteBackup.Create();
    private readonly string scratch = Directory.CreateTempSubdirectory("gittensory-drills-standin-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ItBecomesReadyOnARestoredSqliteBackupOpeningItReadWriteAndApplyingNothingWhenTheReleaseMatchesTheLedger()
    {
        await containers.RequireAsync(Ct);
        var before = await restored.LedgerAsync(Ct);
        var environment = SqliteEnvironment(await LoopOverNamesFileAsync());

        await using var standIn = StandInProcess.Start(environment);
        var ready = await standIn.WaitUntilReadyAsync(Ct);

        ReadyBody.ShouldBe(ready.Body, ok: true, ("db", true), ("migrations", true), ("redis", true));
        File.Exists(restored.Path + "-wal").Should().BeTrue("the server opens the file read-write in WAL mode, which creates -wal beside it");
        File.Exists(restored.Path + "-shm").Should().BeTrue("the server opens the file read-write in WAL mode, which creates -shm beside it");
        standIn.StandardOutput.Should().Contain($"database sqlite:{restored.Path}, redis ")
            .And.Contain($"SQLite sqlite:{restored.Path} opened read-write (")
            .And.Contain("journal mode wal")
            .And.Contain("migrations: 0 applied (0 without .sql, as no-ops; 0 with a tolerated error), 178 already applied");
        before.Should().HaveCount(178, "the sample set's SQLite backup holds LoopOver's 178 migrations in its ledger");
        (await restored.LedgerAsync(Ct)).Should().Equal(before, "a release whose names match the ledger applies nothing");
        TestContext.Current.TestOutputHelper?.WriteLine($"host process, SQLite: boot to ready in {ready.At.TotalMilliseconds:0} ms on the restored sample backup");
    }

    [Fact]
    public async Task ItAppliesAMissingMigrationIntoTheLedgerInsideTheSqliteFile()
    {
        await containers.RequireAsync(Ct);
        var before = await restored.LedgerAsync(Ct);
        var namesFile = await LoopOverNamesFileAsync("0175_standin_drill.sql");
        File.WriteAllText(Path.Combine(scratch, "0175_standin_drill.sql"), "CREATE TABLE standin_drill (id TEXT PRIMARY KEY); INSERT INTO standin_drill VALUES ('booted');");
        var environment = SqliteEnvironment(namesFile);
        environment["STANDIN_MIGRATIONS_DIR"] = scratch;

        await using (var standIn = StandInProcess.Start(environment))
        {
            await standIn.WaitUntilReadyAsync(Ct);
            standIn.StandardOutput.Should().Contain("migrations: 1 applied (0 without .sql, as no-ops; 0 with a tolerated error), 178 already applied");
        }

        var after = await restored.LedgerAsync(Ct);
        after.Should().HaveCount(179);
        after.Where(row => row.Key != "0175_standin_drill.sql").Should().BeEquivalentTo(before, "rows of applied migrations are never rewritten");
        after["0175_standin_drill.sql"].Should().MatchRegex(IsoStamp);
        (await restored.ScalarAsync("SELECT id FROM standin_drill", Ct)).Should().Be("booted", "the migration's SQL ran in the SQLite file");
    }

    [Fact]
    public async Task OnAFileThatDoesNotExistYetItCreatesTheDatabaseAndItsLedgerAndAppliesEveryMigration()
    {
        await containers.RequireAsync(Ct);
        var fresh = Path.Combine(scratch, "fresh.sqlite");
        var environment = SqliteEnvironment();
        environment["DATABASE_PATH"] = fresh;

        await using var standIn = StandInProcess.Start(environment);
        await standIn.WaitUntilReadyAsync(Ct);

        standIn.StandardOutput.Should().Contain($"SQLite sqlite:{fresh} did not exist: created an empty database (journal mode wal), as a fresh install does.")
            .And.Contain("migrations: 3 applied (0 without .sql, as no-ops; 0 with a tolerated error), 0 already applied");
        File.Exists(fresh).Should().BeTrue();
    }

    [Fact]
    public async Task AFolderThatDoesNotExistStopsTheBootNamingIt()
    {
        await containers.RequireAsync(Ct);
        var missing = Path.Combine(scratch, "no-such-folder", "loopover.sqlite");
        var environment = SqliteEnvironment();
        environment["DATABASE_PATH"] = missing;

        await using var standIn = StandInProcess.Start(environment);
        var exitCode = await standIn.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);

        exitCode.Should().Be(1, standIn.Describe());
        standIn.StandardError.Should().Contain(
            $"boot failed: SQLite database sqlite:{missing}: its folder '{Path.GetDirectoryName(missing)}' does not exist. Mount a writable folder there (the image's is /data) or fix DATABASE_PATH; the server exits.");
    }

    [Fact]
    public async Task AMigrationFailingOnSqliteStopsTheBootNamingTheFileAndSqlitesError()
    {
        await containers.RequireAsync(Ct);
        File.WriteAllText(Path.Combine(scratch, "0001_fine.sql"), "CREATE TABLE IF NOT EXISTS standin_fine (id TEXT);");
        File.WriteAllText(Path.Combine(scratch, "0002_dupe.sql"), "ALTER TABLE standin_fine ADD COLUMN id TEXT;");
        File.WriteAllText(Path.Combine(scratch, "0003_broken.sql"), "INSERT INTO standin_no_such_table VALUES (1);");
        var environment = SqliteEnvironment();
        environment["STANDIN_MIGRATIONS_DIR"] = scratch;

        await using var standIn = StandInProcess.Start(environment);
        var exitCode = await standIn.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);

        exitCode.Should().Be(1, standIn.Describe());
        standIn.StandardOutput.Should().Contain("migration 0002_dupe.sql: tolerated error (SQLite error 1: duplicate column name: id).");
        standIn.StandardError.Should().Contain(
            $"boot failed: Migration '0003_broken.sql' ({Path.Combine(scratch, "0003_broken.sql")}) failed: SQLite error 1: no such table: standin_no_such_table.");
        var ledger = await restored.LedgerAsync(Ct);
        ledger.Keys.Should().Contain(["0001_fine.sql", "0002_dupe.sql"]).And.NotContain("0003_broken.sql", "migrations before the failing one are recorded, later ones are not");
    }

    [Fact]
    public async Task ExitDuringBootDiesWithTheGivenCodeWithoutOpeningTheSqliteFile()
    {
        await containers.RequireAsync(Ct);
        var hash = restored.Sha256();
        var environment = SqliteEnvironment();
        environment["STANDIN_EXIT_DURING_BOOT"] = "7";

        await using var standIn = StandInProcess.Start(environment);
        var exitCode = await standIn.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);

        exitCode.Should().Be(7, standIn.Describe());
        standIn.StandardError.Should().Contain("MISBEHAVIOUR STANDIN_EXIT_DURING_BOOT: exiting with code 7 during boot.");
        restored.HasWalFiles.Should().BeFalse("the stand-in died before opening the database");
        restored.Sha256().Should().Be(hash, "the database is not touched");
    }

    [Fact]
    public async Task NeverReadyAnswers503WithTheDbCheckFailingOnSqlite()
    {
        await containers.RequireAsync(Ct);
        var environment = SqliteEnvironment(await LoopOverNamesFileAsync());
        environment["STANDIN_NEVER_READY"] = "true";

        await using var standIn = StandInProcess.Start(environment);
        var answer = await standIn.WaitUntilListeningAsync(Ct);

        answer.Status.Should().Be(HttpStatusCode.ServiceUnavailable);
        ReadyBody.ShouldBe(answer.Body, ok: false, ("db", false), ("migrations", true), ("redis", true));
    }

    [Fact]
    public async Task TheMigrationsCheckReadsTheLedgerInTheSqliteFileAndFailsOnceItIsEmptied()
    {
        await containers.RequireAsync(Ct);
        var environment = SqliteEnvironment(await LoopOverNamesFileAsync());

        await using var standIn = StandInProcess.Start(environment);
        await standIn.WaitUntilReadyAsync(Ct);
        await restored.ScalarAsync("DELETE FROM _selfhost_migrations", Ct);
        var answer = await standIn.PollReadyAsync(a => a.Status != HttpStatusCode.OK, TimeSpan.FromSeconds(10), Ct);

        ReadyBody.ShouldBe(answer.Body, ok: false, ("db", true), ("migrations", false), ("redis", true));
    }

    [Fact]
    public async Task ReapplyMigrationRewritesTheRestoredLedgerRowInTheSqliteFile()
    {
        await containers.RequireAsync(Ct);
        var before = await restored.LedgerAsync(Ct);
        var environment = SqliteEnvironment(await LoopOverNamesFileAsync());
        environment["STANDIN_REAPPLY_MIGRATION"] = "0001_initial.sql";

        await using (var standIn = StandInProcess.Start(environment))
        {
            await standIn.WaitUntilReadyAsync(Ct);
        }

        var after = await restored.LedgerAsync(Ct);
        after.Keys.Should().BeEquivalentTo(before.Keys, "the name is the primary key: a re-applied migration shows as a rewritten row, not a second one");
        after["0001_initial.sql"].Should().MatchRegex(IsoStamp).And.NotBe(before["0001_initial.sql"]);
        after.Where(row => row.Key != "0001_initial.sql").Should().BeEquivalentTo(before.Where(row => row.Key != "0001_initial.sql"));
    }

    public void Dispose()
    {
        restored.Dispose();
        Directory.Delete(scratch, recursive: true);
    }

    // The fixture's host environment in SQLite mode: no DATABASE_URL, DATABASE_PATH to the restored copy.
    private Dictionary<string, string> SqliteEnvironment(string? namesFile = null)
    {
        var environment = containers.HostEnvironment();
        environment.Remove("DATABASE_URL");
        environment["DATABASE_PATH"] = restored.Path;
        if (namesFile is not null)
        {
            environment["STANDIN_MIGRATION_NAMES_FILE"] = namesFile;
        }

        return environment;
    }

    // LoopOver's 178 migration names (the profile's list, which the sample backup's ledger holds), plus any extra names.
    private async Task<string> LoopOverNamesFileAsync(params string[] extra)
    {
        var profile = Path.Combine(RepoPaths.Root, "drills", "Gittensory.Drills", "Profiles", "loopover.json");
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(profile, Ct));
        var names = json.RootElement.GetProperty("migrations").EnumerateArray().Select(n => n.GetString()!).Concat(extra).ToArray();
        var namesFile = Path.Combine(scratch, "names.txt");
        await File.WriteAllLinesAsync(namesFile, names, Ct);
        return namesFile;
    }
}
