using FluentAssertions;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Boot;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Profiles;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Sandbox;
using Gittensory.Drills.Tests.AppStandIn;
using Gittensory.Drills.Tests.Stores.Postgres;
using Xunit;

namespace Gittensory.Drills.Tests.Boot;

/// <summary>
/// The drill with the application booted, end to end against real containers and the app stand-in (its image on an internal
/// network, or its dll as a host command): the sample set drills green in both forms, and each broken release or restored
/// database is caught with its message. The stand-in misbehaves through the operator's env file, as a broken release would.
/// </summary>
public sealed partial class BootAppDrillTests(SourceDatabaseFixture source) : IClassFixture<SourceDatabaseFixture>, IDisposable
{
    private const string BootedOnPostgresNote = "Booted on the restored postgres database (postgres/loopover-20260704T090939Z.dump).";

    private const string WithoutQdrantNote = "Booted without Qdrant: Qdrant is not among the stores this drill drills, so the application was given no QDRANT_URL.";
    private static readonly string[] StandInMigrations = ["0001_standin_settings.sql", "0002_standin_notes.sql", "0003_standin_notes_author.sql"];
    private readonly List<string> roots = [];
    private readonly string scratch = Directory.CreateTempSubdirectory("gdrill-test-boot-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string StandInMigrationsFolder => Path.Combine(RepoPaths.Root, "fixtures", "Gittensory.Drills.AppStandIn", "migrations");

    private static string[] HostCommand => [Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet", StandInProcess.Dll];

    public void Dispose()
    {
        foreach (var root in roots)
        {
            Directory.Delete(root, recursive: true);
        }

        Directory.Delete(scratch, recursive: true);
    }

    [Fact]
    public async Task TheSampleSetDrillsGreenWithTheImageBootedOnAnInternalNetworkApplyingExactlyTheReleasesPendingMigrations()
    {
        await RequireStandInImageAsync();

        var (report, leg, app) = await DrillAsync(new AppBootOptions { Image = AppStandInImageTests.Image, ReleaseMigrations = StandInMigrationsFolder });

        report.Verdict.Should().Be(DrillVerdict.Passed, report.Problem);
        leg.Checks.Should().OnlyContain(c => c.Verdict == CheckVerdict.Passed || c.Verdict == CheckVerdict.NotApplicable);
        leg.Check(AppIsolationCheck.Name)!.Found.Should().Be(
            $"container gdrill-{report.RunId}-app is attached only to internal networks: gdrill-{report.RunId}-internal (Internal=true); " +
            "read from the engine's own description, no packet was sent anywhere to test it");
        app.Networks.Should().ContainSingle().Which.Should().Match<AppNetwork>(n => n.Internal && n.Name == $"gdrill-{report.RunId}-internal");
        app.Prober.Should().StartWith($"{DrillImages.FromEnvironment().Redis} via ");
        leg.Check(AppReadyCheck.Name)!.Found.Should().MatchRegex(@"^/ready answered 200 after \d+\.\d s \(\d+ requests\): ok=true, db=true, migrations=true, redis=true$");
        leg.Check(AppHealthCheck.Name)!.Found.Should().Be("""/health answered 200 {"status":"ok"}""");
        leg.Check(AppMigrationsCheck.Name)!.Found.Should().Be(
            "3 applied at boot, each once, no earlier row changed: 0001_standin_settings.sql, 0002_standin_notes.sql, 0003_standin_notes_author.sql; exactly the 3 the release had pending");
        app.PendingBeforeBoot.Should().Equal(StandInMigrations);
        app.AppliedAtBoot.Should().Equal(StandInMigrations);
        app.LedgerBefore.Should().HaveCount(178);
        app.LedgerAfter.Should().HaveCount(181).And.Contain(app.LedgerBefore!, "no row from before the boot changed");
        leg.Tables.Single(t => t.Name == "public._selfhost_migrations").RestoredRows.Should().Be(178, "every count is measured before the boot");
        app.TablesChangedByBoot.Should().ContainEquivalentOf(new TableChange("public._selfhost_migrations", 178, 181));
        app.Environment.Select(v => v.Name).Should().Equal("DATABASE_URL", "REDIS_URL", "SELFHOST_SETUP_TOKEN", "PUBLIC_API_ORIGIN", "SELFHOST_DEPLOYMENT_MODE", "ORB_AIR_GAP");
        app.NotExercised.Should().HaveCount(4);
        leg.Phases.Select(p => p.Name).Should().Equal("preflight-header", "preflight", "sandbox", "restore", "verify", "boot-services", "boot", "after-boot");
        app.SecondsToReady.Should().BePositive().And.BeLessThan(app.ReadyTimeoutSeconds);
        report.RecoveryTimeSeconds.Should().BeGreaterThan(app.SecondsToReady!.Value);
        leg.Sandbox!.Containers.Should().Equal($"gdrill-{report.RunId}-postgres", $"gdrill-{report.RunId}-redis", $"gdrill-{report.RunId}-prober", $"gdrill-{report.RunId}-app");
        var (json, markdown) = await ReadReportAsync(report);
        json.Should().NotMatchRegex("redis://:[^*]").And.NotMatchRegex("postgres://drill:[^*]").And.NotMatchRegex("Password=[^*]");
        markdown.Should().Contain($"- Full recovery time: {report.RecoveryTimeSeconds:0.0} s from the drill's start to the booted application's first 200 from /ready.")
            .And.Contain("| boot | ").And.Contain("### Application boot");
        Measure("image on an internal network", report, leg, app);
    }

    [Fact]
    public async Task TheSampleSetDrillsGreenWithTheStandInAsAHostCommandOnThisHostsNetworkWhoseIsolationIsAWarning()
    {
        await EngineGate.RequireEngineAsync(Ct);
        var secret = Secrets.NewSecret();
        var envFile = EnvFile("STANDIN_BIND_ADDRESS=127.0.0.1", $"DRILL_TEST_SECRET_TOKEN={secret}");

        var (report, leg, app) = await DrillAsync(new AppBootOptions { Command = HostCommand, WorkingDirectory = RepoPaths.Root, EnvFile = envFile, IsolateHostCommand = false });

        report.Verdict.Should().Be(DrillVerdict.Passed, report.Problem);
        leg.Checks.Should().OnlyContain(c => c.Verdict != CheckVerdict.Failed);
        var isolation = leg.Check(AppIsolationCheck.Name)!;
        isolation.Verdict.Should().Be(CheckVerdict.Warning);
        isolation.Found.Should().StartWith($"not isolated: the application ran as a host command ({string.Join(' ', HostCommand)}) on this host's own network, because ");
        leg.Check(AppReadyCheck.Name)!.Verdict.Should().Be(CheckVerdict.Passed);
        leg.Check(AppMigrationsCheck.Name)!.Found.Should().Be(
            "3 applied at boot, each once, no earlier row changed: 0001_standin_settings.sql, 0002_standin_notes.sql, 0003_standin_notes_author.sql (3 not in profile 'loopover': a newer release's)");
        app.Form.Should().Be("host");
        app.Networks.Should().BeEmpty();
        app.Environment.Select(v => v.Name).Should().Contain(["PORT", "STANDIN_BIND_ADDRESS", "DRILL_TEST_SECRET_TOKEN"]).And.NotContain(["CI", "DRILL_REQUIRE_ENGINE", "DOCKER_API_VERSION"]);
        leg.Sandbox!.Containers.Should().Equal($"gdrill-{report.RunId}-postgres", $"gdrill-{report.RunId}-redis");
        app.Notes.Should().Equal(BootedOnPostgresNote, WithoutQdrantNote);
        app.NotExercised.Should().Contain(n => n.StartsWith("Qdrant: not exercised (QDRANT_URL unset)", StringComparison.Ordinal));
        var (json, markdown) = await ReadReportAsync(report);
        json.Should().Contain("DRILL_TEST_SECRET_TOKEN").And.NotContain(secret, "the report names variables, never their values");
        markdown.Should().Contain("(not isolated: a host process on this host's network)");
        Measure("host command", report, leg, app);
    }

    [Fact]
    public async Task ABootOnABackupOfTheReleaseUnderTestAppliesNoMigrationAndChangesNoRow()
    {
        await EngineGate.RequireEngineAsync(Ct);
        var names = Path.Combine(scratch, "loopover-names.txt");
        await File.WriteAllLinesAsync(names, ["# the release under test: LoopOver's 178 migrations", .. DrillProfile.LoopOver.Migrations], Ct);
        var envFile = EnvFile("STANDIN_BIND_ADDRESS=127.0.0.1", $"STANDIN_MIGRATION_NAMES_FILE={names}");

        var (report, leg, app) = await DrillAsync(new AppBootOptions { Command = HostCommand, EnvFile = envFile, ReleaseMigrations = names });

        report.Verdict.Should().Be(DrillVerdict.Passed, report.Problem);
        leg.Check(AppMigrationsCheck.Name)!.Found.Should().Be(
            "none applied: the ledger after boot equals the one before (178 rows, no applied_at changed): the backup is from the release under test");
        app.PendingBeforeBoot.Should().BeEmpty();
        app.PendingSource.Should().Be($"the release's migrations '{names}' (178)");
        app.TablesChangedByBoot.Should().BeEmpty();
    }

    [Fact]
    public async Task AnApplicationThatNeverBecomesReadyFailsAtTheTimeoutWithItsLastAnswer()
    {
        await RequireStandInImageAsync();

        var (report, leg, app) = await DrillAsync(new AppBootOptions
        {
            Image = AppStandInImageTests.Image,
            EnvFile = EnvFile("STANDIN_NEVER_READY=true"),
            ReadyTimeout = TimeSpan.FromSeconds(20),
        });

        report.Verdict.Should().Be(DrillVerdict.Failed);
        var ready = leg.Check(AppReadyCheck.Name)!;
        ready.Verdict.Should().Be(CheckVerdict.Failed);
        ready.Found.Should().MatchRegex(
            """^/ready did not answer 200 within 20 s, and the application is still running; last answer: 503 \{"ok":false,"checks":\{"db":false,"migrations":true,"redis":true\},"durationsMs":\{[^}]+\}\} at \d+\.\d s$""");
        ready.Details.Should().Contain(l => l.Contains("MISBEHAVIOUR", StringComparison.Ordinal));
        app.Answers[^1].Should().Match<AppAnswer>(a => a.Status == 503 && a.Ok == false && a.Checks!["db"] == false && a.AtSeconds >= 20 - 3);
        app.Exited.Should().BeFalse();
        app.SecondsToReady.Should().BeNull();
        report.RecoveryTimeSeconds.Should().BeNull();
        leg.Check(AppHealthCheck.Name)!.Verdict.Should().Be(CheckVerdict.Passed, "/health says the process serves, not that it is ready");
        leg.Phases.Single(p => p.Name == "boot").Seconds.Should().BeGreaterThanOrEqualTo(20);
    }

    [Fact]
    public async Task AnApplicationThatExitsDuringBootFailsWithItsExitCodeAndLastLogLines()
    {
        await RequireStandInImageAsync();

        var (report, leg, app) = await DrillAsync(new AppBootOptions { Image = AppStandInImageTests.Image, EnvFile = EnvFile("STANDIN_EXIT_DURING_BOOT=3") });

        report.Verdict.Should().Be(DrillVerdict.Failed);
        var ready = leg.Check(AppReadyCheck.Name)!;
        ready.Found.Should().MatchRegex(@"^the application exited with code 3 \d+\.\d s after it started, before /ready answered 200; last answer: (none \(it was never asked\)|no answer \(.+\) at \d+\.\d s)$");
        ready.Details.Should().Contain(l => l.StartsWith("log: ", StringComparison.Ordinal)
            && l.EndsWith("[loopover-standin] MISBEHAVIOUR STANDIN_EXIT_DURING_BOOT: exiting with code 3 during boot.", StringComparison.Ordinal));
        app.Exited.Should().BeTrue();
        app.ExitCode.Should().Be(3);
        app.LogTail.Should().Contain(l => l.Contains("STANDIN_EXIT_DURING_BOOT", StringComparison.Ordinal));
        leg.Check(AppHealthCheck.Name)!.Found.Should().Be("the application had exited (code 3) before /health could be asked; see app.ready");
        leg.Check(AppMigrationsCheck.Name)!.Verdict.Should().Be(CheckVerdict.NotApplicable, "a boot that never finished proves nothing about migrations");
        var (_, markdown) = await ReadReportAsync(report);
        markdown.Should().Contain("- **Not ready**: exited with code 3; last answer: ").And.Contain("log lines (secrets redacted)");
    }

    [Fact]
    public async Task AnApplicationThatReappliesAMigrationFailsNamingTheRewrittenAppliedAt()
    {
        await EngineGate.RequireEngineAsync(Ct);
        var envFile = EnvFile("STANDIN_BIND_ADDRESS=127.0.0.1", "STANDIN_REAPPLY_MIGRATION=0001_initial.sql");

        var (report, leg, app) = await DrillAsync(new AppBootOptions { Command = HostCommand, EnvFile = envFile });

        report.Verdict.Should().Be(DrillVerdict.Failed);
        leg.Check(AppReadyCheck.Name)!.Verdict.Should().Be(CheckVerdict.Passed, "the release still boots: only the ledger tells");
        var migrations = leg.Check(AppMigrationsCheck.Name)!;
        migrations.Verdict.Should().Be(CheckVerdict.Failed);
        migrations.Found.Should().MatchRegex(
            @"^181 ledger rows after boot, 178 before; 0001_initial\.sql: applied_at rewritten at boot \(2025-04-14 21:09:39 -> \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\): the application applied it again$");
        app.LedgerBefore!.Single(r => r.Name == "0001_initial.sql").AppliedAt.Should().Be("2025-04-14 21:09:39");
    }

    [Theory]
    [InlineData("--exclude-table=public._selfhost_migrations",
        "not booted: the restored database has no migration ledger (_selfhost_migrations does not exist): the application would re-run every migration, and some of them drop or rewrite data. " +
        "Restore a backup made with the ledger's table and its rows (no --exclude-table or --exclude-table-data for it)")]
    [InlineData("--exclude-table-data=public._selfhost_migrations",
        "not booted: the restored database's migration ledger _selfhost_migrations is empty: the application would re-run every migration, and some of them drop or rewrite data. " +
        "Restore a backup made with the ledger's table and its rows (no --exclude-table or --exclude-table-data for it)")]
    public async Task ARestoredDatabaseWithoutItsLedgerIsNeverBooted(string pgDumpOption, string found)
    {
        await EngineGate.RequireEngineAsync(Ct);
        await source.ReloadAsync();
        var root = Track(BrokenBackups.RootWithDump(await source.DumpAsync("-Fc", pgDumpOption)));

        var (report, leg, app) = await DrillAsync(new AppBootOptions { Image = AppStandInImageTests.Image }, root);

        report.Verdict.Should().Be(DrillVerdict.Failed);
        leg.Check(LedgerCheck.Name)!.Verdict.Should().Be(CheckVerdict.Failed);
        leg.Check(AppMigrationsCheck.Name)!.Should().Match<CheckResult>(c => c.Verdict == CheckVerdict.Failed && c.Found == found);
        leg.Check(AppReadyCheck.Name)!.Should().Match<CheckResult>(c =>
            c.Verdict == CheckVerdict.NotApplicable && c.Found == "not booted: the restored database has no usable migration ledger (see app.migrations)");
        app.Started.Should().BeFalse();
        app.NotStartedReason.Should().Be(found);
        leg.Phases.Select(p => p.Name).Should().NotContain(["boot-services", "boot"]);
        leg.Sandbox!.Containers.Should().Equal($"gdrill-{report.RunId}-postgres");
    }

    [Fact]
    public async Task AnApplicationAlsoAttachedToANetworkThatIsNotInternalFailsIsolationAndIsNeverStarted()
    {
        await RequireStandInImageAsync();
        var runId = Secrets.NewSecret(4);

        // The seam another leg uses to add its scratch network, here given the drill's own (not internal) network.
        var (report, leg, app) = await DrillAsync(new AppBootOptions { Image = AppStandInImageTests.Image, ExtraNetworks = [$"gdrill-{runId}"] }, runId: runId);

        report.Verdict.Should().Be(DrillVerdict.Failed);
        leg.Check(AppIsolationCheck.Name)!.Found.Should().Be(
            $"container gdrill-{runId}-app is attached to 1 network the engine does not mark internal: gdrill-{runId} (Internal=false, driver bridge); " +
            "it could reach beyond the scratch services, so it was not started");
        app.Networks.Select(n => (n.Name, n.Internal)).Should().BeEquivalentTo([($"gdrill-{runId}-internal", true), ($"gdrill-{runId}", false)]);
        app.Started.Should().BeFalse();
        app.Answers.Should().BeEmpty();
        leg.Check(AppReadyCheck.Name)!.Found.Should().Be("not started: its container is attached to a network that is not internal (see app.isolation)");
    }

    [Fact]
    public async Task AKeptSandboxKeepsTheApplicationRunningOnItsInternalNetworkForInspection()
    {
        await RequireStandInImageAsync();
        var options = Options(new AppBootOptions { Image = AppStandInImageTests.Image }) with { KeepSandbox = true };

        var outcome = await DrillPipeline.RunAsync(options, Ct);
        try
        {
            outcome.Report.Verdict.Should().Be(DrillVerdict.Passed, outcome.Report.Problem);
            (await ContainerEngine.CountRunResourcesAsync(options.RunId, Ct)).Should().Be((4, 2), "postgres, redis, prober and app; the drill's network and the internal one");
            (await EngineApi.InspectContainerAsync($"gdrill-{options.RunId}-app", Ct)).Running.Should().BeTrue();
            outcome.Report.Leg("postgres")!.App!.Notes.Should().Equal(
                BootedOnPostgresNote, WithoutQdrantNote, $"The application container gdrill-{options.RunId}-app was kept running for inspection (-KeepSandbox).");
        }
        finally
        {
            using var process = System.Diagnostics.Process.Start("bash", ["-c",
                $"docker rm -f $(docker ps -aq --filter label={DrillSandbox.RunLabel}={options.RunId}) >/dev/null; docker network rm $(docker network ls -q --filter label={DrillSandbox.RunLabel}={options.RunId}) >/dev/null"]);
            await process!.WaitForExitAsync(CancellationToken.None);
        }

        (await ContainerEngine.CountRunResourcesAsync(options.RunId, Ct)).Should().Be((0, 0));
    }

    [Fact]
    public async Task AnEnvFilePointingTheApplicationAtAnotherDatabaseIsRefusedBeforeAnythingIsCreated()
    {
        var envFile = EnvFile("AI_PROVIDER=openai", "DATABASE_URL=postgres://loopover:secret@db.example:5432/loopover");

        var outcome = await DrillPipeline.RunAsync(Options(new AppBootOptions { EnvFile = envFile }), Ct);

        outcome.Report.Verdict.Should().Be(DrillVerdict.Error);
        outcome.Report.Problem.Should().Be(
            $"Env file '{envFile}' line 2 sets DATABASE_URL, which the drill sets itself to the scratch Postgres holding the restored copy; remove it (the application boots against the restored copy, never anything else).");
        outcome.Report.Legs.Should().BeEmpty("the options are refused before the backup set is even scanned");
    }

    [Fact]
    public async Task AnApplicationImageTheEngineDoesNotHaveStopsTheDrillSayingHowToGetIt()
    {
        await EngineGate.RequireEngineAsync(Ct);
        const string image = "gittensory-drills/no-such-image:never";

        var report = (await DrillPipeline.RunAsync(Options(new AppBootOptions { Image = image }), Ct)).Report;

        // Checked with the other images before anything is restored (Pipeline/ImagePreflight).
        report.Verdict.Should().Be(DrillVerdict.Error);
        report.Problem.Should().StartWith($"The application image '{image}' is not on this container engine, and the drill does not pull images.");
        report.Legs.Should().NotContain(l => l.Ran, "nothing is restored for an application that cannot boot");
        (await ContainerEngine.CountRunResourcesAsync(report.RunId, Ct)).Should().Be((0, 0));
    }

    private static Task RequireStandInImageAsync() => AppStandInImageTests.RequireImageAsync(Ct);

    private static void Measure(string form, DrillReport report, LegReport leg, AppReport app) =>
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{form}: boot to ready {app.SecondsToReady:0.00} s ({app.Answers.Count} requests), boot phase {leg.Phases.Single(p => p.Name == "boot").Seconds:0.00} s, " +
            $"boot-services {leg.Phases.Single(p => p.Name == "boot-services").Seconds:0.00} s, full recovery {report.RecoveryTimeSeconds:0.00} s, whole drill {(report.FinishedAt - report.StartedAt).TotalSeconds:0.00} s");

    private DrillOptions Options(AppBootOptions boot, string? root = null, string? runId = null) => new()
    {
        BackupRoot = root ?? RepoPaths.SampleBackups,
        BundledSample = true,
        Stores = new HashSet<BackupStore> { BackupStore.Postgres },
        ReportsRoot = Path.Combine(scratch, "reports"),
        BootApp = boot,
        RunId = runId ?? Secrets.NewSecret(4),
    };

    private async Task<(DrillReport Report, LegReport Leg, AppReport App)> DrillAsync(AppBootOptions boot, string? root = null, string? runId = null)
    {
        var outcome = await DrillPipeline.RunAsync(Options(boot, root, runId), Ct);
        (await ContainerEngine.CountRunResourcesAsync(outcome.Report.RunId, Ct)).Should().Be((0, 0), "everything the drill created is removed, the application and its networks too");
        var leg = outcome.Report.Leg("postgres")!;
        leg.App.Should().NotBeNull($"the drill should have reached the boot; it stopped with: {leg.Problem}");
        return (outcome.Report, leg, leg.App!);
    }

    private async Task<(string Json, string Markdown)> ReadReportAsync(DrillReport report)
    {
        var folder = Directory.GetDirectories(Path.Combine(scratch, "reports")).Single(d => d.EndsWith(report.RunId, StringComparison.Ordinal));
        return (await File.ReadAllTextAsync(Path.Combine(folder, "report.json"), Ct), await File.ReadAllTextAsync(Path.Combine(folder, "report.md"), Ct));
    }

    private string EnvFile(params string[] lines)
    {
        var path = Path.Combine(scratch, $"app-{Guid.NewGuid():N}.env");
        File.WriteAllLines(path, lines);
        return path;
    }

    private string Track(string root)
    {
        roots.Add(root);
        return root;
    }
}
