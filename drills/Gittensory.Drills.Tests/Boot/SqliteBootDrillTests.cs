using System.Security.Cryptography;
using FluentAssertions;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Boot;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Sandbox;
using Gittensory.Drills.Tests.AppStandIn;
using Gittensory.Drills.Tests.Stores.Sqlite;
using Xunit;

namespace Gittensory.Drills.Tests.Boot;

/// <summary>
/// -BootApp on LoopOver's default install, SQLite: the application (the app stand-in in its SQLite mode, as an image on an internal
/// network with the copy's folder mounted at /data, or as a host command) boots on a writable copy of the restored database, never
/// on the backup or on the copy that was measured; the same app.* checks judge it.
/// </summary>
public sealed class SqliteBootDrillTests : IDisposable
{
    private static readonly string[] StandInMigrations = ["0001_standin_settings.sql", "0002_standin_notes.sql", "0003_standin_notes_author.sql"];
    private readonly SampleSetCopy set = new(withPostgres: false);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string[] HostCommand => [Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet", StandInProcess.Dll];

    public void Dispose() => set.Dispose();

    [Fact]
    public async Task ASqliteSetBootsTheImageOnAWritableCopyMountedAtDataAndAppliesExactlyTheReleasesPendingMigrations()
    {
        // Given the sample set's SQLite backups only (LoopOver's default install) and the stand-in's image
        await RequireStandInImageAsync();
        var backupBefore = Sha256(set.PathOf(SampleSetCopy.NewestSqlite));

        // When the drill boots the application on it
        var (report, leg, app) = await DrillAsync(new AppBootOptions
        {
            Image = AppStandInImageTests.Image,
            ReleaseMigrations = Path.Combine(RepoPaths.Root, "fixtures", "Gittensory.Drills.AppStandIn", "migrations"),
        });

        // Then it became ready on a writable copy, the ledger in that copy grew by exactly the release's pending migrations,
        // and neither the backup nor the measured copy changed
        report.Verdict.Should().Be(DrillVerdict.Passed, report.Problem);
        leg.Checks.Should().OnlyContain(c => c.Verdict == CheckVerdict.Passed || c.Verdict == CheckVerdict.NotApplicable, string.Join("\n", leg.Checks.Select(c => $"{c.Name}: {c.Found}")));
        leg.Check(AppIsolationCheck.Name)!.Found.Should().StartWith($"container gdrill-{report.RunId}-app is attached only to internal networks: gdrill-{report.RunId}-internal (Internal=true)");
        leg.Check(AppReadyCheck.Name)!.Found.Should().MatchRegex(@"^/ready answered 200 after \d+\.\d s \(\d+ requests\): ok=true, db=true, migrations=true, redis=true$");
        leg.Check(AppMigrationsCheck.Name)!.Found.Should().Be(
            "3 applied at boot, each once, no earlier row changed: 0001_standin_settings.sql, 0002_standin_notes.sql, 0003_standin_notes_author.sql; exactly the 3 the release had pending");
        app.AppliedAtBoot.Should().Equal(StandInMigrations);
        app.LedgerBefore.Should().HaveCount(178);
        app.LedgerAfter.Should().HaveCount(181);
        app.Environment.Select(v => v.Name).Should().Equal("DATABASE_PATH", "REDIS_URL", "SELFHOST_SETUP_TOKEN", "PUBLIC_API_ORIGIN", "SELFHOST_DEPLOYMENT_MODE", "ORB_AIR_GAP");
        app.Environment.Single(v => v.Name == "DATABASE_PATH").Source.Should().Contain("mounted at /data").And.Contain("never the backup or the measured copy");
        app.Notes.Should().StartWith("Booted on the restored sqlite database (sqlite/loopover-20260704T090939Z.sqlite.gz).");
        leg.Tables.Single(t => t.Name == "_selfhost_migrations").RestoredRows.Should().Be(178, "every count is measured before the boot");
        leg.Phases.Select(p => p.Name).Should().Equal("expand", "verify", "boot-services", "boot", "after-boot");
        leg.Sandbox!.Containers.Should().Equal($"gdrill-{report.RunId}-redis", $"gdrill-{report.RunId}-prober", $"gdrill-{report.RunId}-app");
        report.RecoveryTimeSeconds.Should().BeGreaterThanOrEqualTo(app.SecondsToReady!.Value, "the set's copy runs on a fixed clock, so only the time to ready adds up");
        Sha256(set.PathOf(SampleSetCopy.NewestSqlite)).Should().Be(backupBefore, "the drill never changes a backup");
        Directory.GetFileSystemEntries(set.TempRoot).Should().BeEmpty("the measured copy and the application's copy are both removed");
    }

    [Fact]
    public async Task ASqliteSetBootsTheHostCommandOnItsOwnCopyAndTheMeasuredCopyStaysByteForByteTheBackupsContent()
    {
        // Given the SQLite set, and the sandbox kept so the copies can be looked at afterwards
        await EngineGate.RequireEngineAsync(Ct);
        var expanded = Sha256(await set.ExpandNewestAsync(Ct));
        var backupBefore = Sha256(set.PathOf(SampleSetCopy.NewestSqlite));
        var runId = Secrets.NewSecret(4);
        try
        {
            // When the host command boots on it
            var (report, leg, app) = await DrillAsync(new AppBootOptions { Command = HostCommand, EnvFile = EnvFile("STANDIN_BIND_ADDRESS=127.0.0.1") }, keep: true, runId: runId);

            // Then it was ready on the copy named in DATABASE_PATH, which the application changed; the measured copy did not change
            report.Verdict.Should().Be(DrillVerdict.Passed, report.Problem);
            leg.Check(AppIsolationCheck.Name)!.Verdict.Should().Be(CheckVerdict.Passed, "it ran in the network namespace of the prober on the internal network");
            leg.Check(AppReadyCheck.Name)!.Verdict.Should().Be(CheckVerdict.Passed);
            app.Form.Should().Be("host");
            app.LedgerAfter.Should().HaveCount(181, "the stand-in applied its 3 migrations to the application's copy");
            var measured = Path.Combine(set.TempRoot, $"gdrill-{runId}-sqlite", "loopover-20260704T090939Z.sqlite");
            var booted = Path.Combine(set.TempRoot, $"gdrill-{runId}-sqlite-boot", "data", "loopover-20260704T090939Z.sqlite");
            Sha256(measured).Should().Be(expanded, "the copy that was measured is never booted on");
            File.Exists(booted).Should().BeTrue();
            app.Environment.Single(v => v.Name == "DATABASE_PATH").Source.Should().Contain(booted);
            Sha256(set.PathOf(SampleSetCopy.NewestSqlite)).Should().Be(backupBefore);
            leg.Notes.Should().Contain(n => n.Contains("application's writable copy was kept", StringComparison.Ordinal));
        }
        finally
        {
            using var process = System.Diagnostics.Process.Start("bash", ["-c",
                $"docker rm -f $(docker ps -aq --filter label={DrillSandbox.RunLabel}={runId}) >/dev/null 2>&1; docker network rm $(docker network ls -q --filter label={DrillSandbox.RunLabel}={runId}) >/dev/null 2>&1"]);
            await process!.WaitForExitAsync(Ct);
        }
    }

    [Fact]
    public async Task ASqliteBackupWithoutItsLedgerIsNeverBootedAndTheDrillSaysWhy()
    {
        await EngineGate.RequireEngineAsync(Ct);
        await set.EditNewestDatabaseAsync("DROP TABLE _selfhost_migrations", Ct);

        var (report, leg, app) = await DrillAsync(new AppBootOptions { Image = AppStandInImageTests.Image });

        report.Verdict.Should().Be(DrillVerdict.Failed);
        const string found = "not booted: the restored database has no migration ledger (_selfhost_migrations does not exist): the application would re-run every migration, " +
                             "and some of them drop or rewrite data. Restore a backup made with the ledger's table and its rows (no --exclude-table or --exclude-table-data for it)";
        leg.Check(AppMigrationsCheck.Name)!.Should().Match<CheckResult>(c => c.Verdict == CheckVerdict.Failed && c.Found == found);
        leg.Check(AppReadyCheck.Name)!.Found.Should().Be("not booted: the restored database has no usable migration ledger (see app.migrations)");
        app.Started.Should().BeFalse();
        app.NotStartedReason.Should().Be(found);
        leg.Phases.Select(p => p.Name).Should().NotContain(["boot-services", "boot"]);
    }

    [Fact]
    public async Task AnApplicationThatExitsDuringBootOnSqliteFailsWithItsExitCode()
    {
        await RequireStandInImageAsync();

        var (report, leg, app) = await DrillAsync(new AppBootOptions { Image = AppStandInImageTests.Image, EnvFile = EnvFile("STANDIN_EXIT_DURING_BOOT=3") });

        report.Verdict.Should().Be(DrillVerdict.Failed);
        leg.Check(AppReadyCheck.Name)!.Found.Should().MatchRegex(@"^the application exited with code 3 \d+\.\d s after it started, before /ready answered 200");
        app.ExitCode.Should().Be(3);
        leg.Check(AppMigrationsCheck.Name)!.Verdict.Should().Be(CheckVerdict.NotApplicable);
    }

    [Fact]
    public async Task AnApplicationThatReappliesAMigrationOnSqliteFailsNamingTheRewrittenAppliedAt()
    {
        await EngineGate.RequireEngineAsync(Ct);

        var (report, leg, _) = await DrillAsync(new AppBootOptions
        {
            Command = HostCommand,
            EnvFile = EnvFile("STANDIN_BIND_ADDRESS=127.0.0.1", "STANDIN_REAPPLY_MIGRATION=0001_initial.sql"),
        });

        report.Verdict.Should().Be(DrillVerdict.Failed);
        leg.Check(AppReadyCheck.Name)!.Verdict.Should().Be(CheckVerdict.Passed, "the release still boots: only the ledger tells");
        leg.Check(AppMigrationsCheck.Name)!.Found.Should().MatchRegex(@"^181 ledger rows after boot, 178 before; 0001_initial\.sql: applied_at rewritten at boot \(.+ -> .+\): the application applied it again$");
    }

    [Fact]
    public async Task BootStorePostgresOnASetWithoutAPostgresDumpStopsTheDrillSayingWhy()
    {
        var outcome = await DrillPipeline.RunAsync(set.Options() with { BootApp = new AppBootOptions { Image = AppStandInImageTests.Image }, BootStore = BackupStore.Postgres }, Ct);

        outcome.Report.Verdict.Should().Be(DrillVerdict.Error);
        outcome.Report.ExitCode.Should().Be(2);
        outcome.Report.Problem.Should().Be(
            "-BootStore Postgres was asked for, but this drill restores no Postgres backup (it drills: Sqlite). Drill that store too, or leave -BootStore out.");
    }

    private async Task<(DrillReport Report, LegReport Leg, AppReport App)> DrillAsync(AppBootOptions boot, bool keep = false, string? runId = null)
    {
        var options = set.Options() with { BootApp = boot, KeepSandbox = keep, RunId = runId ?? Secrets.NewSecret(4) };
        var outcome = await DrillPipeline.RunAsync(options, Ct);
        if (!keep)
        {
            (await ContainerEngine.CountRunResourcesAsync(outcome.Report.RunId, Ct)).Should().Be((0, 0), "everything the drill created is removed");
        }

        var leg = outcome.Report.Leg("sqlite")!;
        leg.App.Should().NotBeNull($"the drill should have reached the boot; it stopped with: {outcome.Report.Problem}");
        return (outcome.Report, leg, leg.App!);
    }

    private string EnvFile(params string[] lines)
    {
        var path = Path.Combine(set.Reports, "..", $"app-{Guid.NewGuid():N}.env");
        File.WriteAllLines(path, lines);
        return Path.GetFullPath(path);
    }

    private static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private static Task RequireStandInImageAsync() => AppStandInImageTests.RequireImageAsync(Ct);
}
