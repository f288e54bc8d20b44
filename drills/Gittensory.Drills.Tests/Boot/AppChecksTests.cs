using FluentAssertions;
using Gittensory.Drills.Boot;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Profiles;
using Gittensory.Drills.Reporting;
using Xunit;

namespace Gittensory.Drills.Tests.Boot;

/// <summary>The app checks on their own: each verdict and its exact message, with its negative control.</summary>
public sealed class AppChecksTests
{
    private static readonly DrillProfile Profile = DrillProfile.LoopOver;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private static readonly string[] Expected = ["db", "migrations", "redis"];
    private static readonly string[] StandIn = ["0001_standin_settings.sql", "0002_standin_notes.sql", "0003_standin_notes_author.sql"];

    private static List<LedgerRow> FullLedger => [.. Profile.Migrations.Select((n, i) => new LedgerRow(n, $"2025-04-14 21:{i / 60:00}:{i % 60:00}"))];

    [Fact]
    public void ReadyPassesOnA200SayingEveryCheckIsTrue()
    {
        var check = AppReadyCheck.Evaluate(Outcome(Refused(0.5), Ready(2.24, """{"ok":true,"checks":{"db":true,"migrations":true,"redis":true},"durationsMs":{"db":1.4,"migrations":5.7,"redis":0.6}}""")), Expected, []);

        check.Verdict.Should().Be(CheckVerdict.Passed);
        check.Expected.Should().Be("/ready answers 200 with ok=true and db, migrations, redis all true, within 120 s of the start");
        check.Found.Should().Be("/ready answered 200 after 2.2 s (2 requests): ok=true, db=true, migrations=true, redis=true");
    }

    [Fact]
    public void ReadyFailsOnA200WhoseBodyLacksACheckOrSaysNotOk()
    {
        const string body = """{"ok":false,"checks":{"db":true,"migrations":true},"durationsMs":{"db":1.4,"migrations":5.7}}""";

        var check = AppReadyCheck.Evaluate(Outcome(Ready(3, body)), Expected, []);

        check.Verdict.Should().Be(CheckVerdict.Failed);
        check.Found.Should().Be($"/ready answered 200 after 3.0 s, but its body does not say ready: ok is false; check redis is missing ({body})");
    }

    [Theory]
    [InlineData("""{"ok":true,"checks":{"db":true,"migrations":true,"redis":true},"durationsMs":{}}""", "check qdrant is missing")]
    [InlineData("""{"ok":true,"checks":{"db":true,"migrations":true,"redis":true,"qdrant":false},"durationsMs":{}}""", "check qdrant is false")]
    public void GivenAScratchQdrantReadyRequiresQdrantTrue(string body, string problem)
    {
        var check = AppReadyCheck.Evaluate(Outcome(Ready(2, body)), [.. Expected, "qdrant"], []);

        check.Verdict.Should().Be(CheckVerdict.Failed);
        check.Found.Should().Be($"/ready answered 200 after 2.0 s, but its body does not say ready: {problem} ({body})");
    }

    [Fact]
    public void ReadyFailsAtTheTimeoutWithTheLastAnswerAndTheLogLines()
    {
        var outcome = Outcome(Refused(1), Answer(4.5, 503, """{"ok":false,"checks":{"db":false}}"""));

        var check = AppReadyCheck.Evaluate(outcome, Expected, ["[app] waiting"]);

        check.Verdict.Should().Be(CheckVerdict.Failed);
        check.Found.Should().Be("""/ready did not answer 200 within 120 s, and the application is still running; last answer: 503 {"ok":false,"checks":{"db":false}} at 4.5 s""");
        check.Details.Should().Equal("log: [app] waiting");
    }

    [Fact]
    public void ReadyFailsWhenTheApplicationExitsSayingWithWhichCode()
    {
        var outcome = new ReadinessOutcome([Refused(0.4)], null, 3, 0.9, Timeout);

        var check = AppReadyCheck.Evaluate(outcome, Expected, ["boot failed"]);

        check.Found.Should().Be("the application exited with code 3 0.9 s after it started, before /ready answered 200; last answer: no answer (connect: Connection refused) at 0.4 s");
        check.Details.Should().Equal("log: boot failed");
    }

    [Fact]
    public void IsolationPassesOnlyWhenEveryNetworkIsInternal()
    {
        AppNetwork[] networks = [new("gdrill-ab12cd34-internal", "0123456789abcdef", "bridge", true)];

        var check = AppIsolationCheck.Evaluate("gdrill-ab12cd34-app", networks);

        check.Verdict.Should().Be(CheckVerdict.Passed);
        check.Found.Should().Be("container gdrill-ab12cd34-app is attached only to internal networks: gdrill-ab12cd34-internal (Internal=true); " +
                                "read from the engine's own description, no packet was sent anywhere to test it");
    }

    [Fact]
    public void IsolationFailsNamingEachNetworkThatIsNotInternal()
    {
        AppNetwork[] networks = [new("gdrill-ab12cd34-internal", "0123456789abcdef", "bridge", true), new("bridge", "fedcba9876543210", "bridge", false)];

        var check = AppIsolationCheck.Evaluate("gdrill-ab12cd34-app", networks);

        check.Verdict.Should().Be(CheckVerdict.Failed);
        check.Found.Should().Be("container gdrill-ab12cd34-app is attached to 1 network the engine does not mark internal: bridge (Internal=false, driver bridge); " +
                                "it could reach beyond the scratch services, so it was not started");
        check.Details.Should().Equal("gdrill-ab12cd34-internal (0123456789ab): Internal=true, driver bridge", "bridge (fedcba987654): Internal=false, driver bridge");
    }

    [Fact]
    public void AHostCommandOnThisHostsNetworkIsAWarningThatSaysWhyAndWhatItCouldReachNeverAPass()
    {
        var check = AppIsolationCheck.HostCommand("node dist/server.mjs", "the drill does not run as root, and entering a container's network namespace needs root (CAP_SYS_ADMIN)", ["PATH", "HOME"]);

        check.Verdict.Should().Be(CheckVerdict.Warning);
        check.Found.Should().Be(
            "not isolated: the application ran as a host command (node dist/server.mjs) on this host's own network, because the drill does not run as root, and entering a container's " +
            "network namespace needs root (CAP_SYS_ADMIN). It could reach everything this host can: every service listening on this host (its loopback included), every network this host is on, " +
            "the live database if this host can reach it, and the internet if this host has a route out. ORB_AIR_GAP=true and SELFHOST_DEPLOYMENT_MODE=disabled do not stop outbound " +
            "connections (a real LoopOver server booted this way on a restored backup picked up its pending jobs and connected to api.github.com:443). It was given only the scratch " +
            "services' loopback addresses, and of this host's environment only PATH, HOME. Run the drill as root on Linux with nsenter (the default puts it in the network namespace " +
            "of a container on the internal network), or boot the image form (-AppImage)");
    }

    [Fact]
    public void AHostCommandInTheNamespaceOfAContainerOnAnOpenNetworkFailsAndSaysItWouldNotBeStarted()
    {
        var check = AppIsolationCheck.HostCommandInNamespace("node dist/server.mjs", "gdrill-ab12cd34-prober",
            [new AppNetwork("gdrill-ab12cd34", "fedcba9876543210", "bridge", false)]);

        check.Verdict.Should().Be(CheckVerdict.Failed);
        check.Found.Should().Be(
            "the host command (node dist/server.mjs) would run in the network namespace of container gdrill-ab12cd34-prober (nsenter --net), but container gdrill-ab12cd34-prober is attached " +
            "to 1 network the engine does not mark internal: gdrill-ab12cd34 (Internal=false, driver bridge); it could reach beyond the scratch services, so it was not started");
    }

    [Fact]
    public void MigrationsPassWhenTheBootAppliesNothingOnALedgerOfTheSameRelease()
    {
        var check = AppMigrationsCheck.Evaluate(Profile, FullLedger, FullLedger, null);

        check.Verdict.Should().Be(CheckVerdict.Passed);
        check.Found.Should().Be("none applied: the ledger after boot equals the one before (178 rows, no applied_at changed): the backup is from the release under test");
    }

    [Fact]
    public void MigrationsPassWhenTheBootAppliesExactlyTheReleasesPendingOnes()
    {
        var release = Profile.Migrations.Concat(StandIn).ToList();
        var after = FullLedger.Concat(StandIn.Select(n => new LedgerRow(n, "2026-11-29T11:18:46.373Z"))).ToList();

        var check = AppMigrationsCheck.Evaluate(Profile, FullLedger, after, release);

        check.Verdict.Should().Be(CheckVerdict.Passed);
        check.Found.Should().Be("3 applied at boot, each once, no earlier row changed: 0001_standin_settings.sql, 0002_standin_notes.sql, 0003_standin_notes_author.sql; exactly the 3 the release had pending");
    }

    [Fact]
    public void MigrationsFailWhenAnAppliedAtIsRewritten()
    {
        var after = FullLedger.Select(r => r.Name == "0002_repository_settings.sql" ? r with { AppliedAt = "2026-11-29T11:18:46.373Z" } : r).ToList();

        var check = AppMigrationsCheck.Evaluate(Profile, FullLedger, after, null);

        check.Verdict.Should().Be(CheckVerdict.Failed);
        check.Found.Should().Be("178 ledger rows after boot, 178 before; 0002_repository_settings.sql: applied_at rewritten at boot (2025-04-14 21:00:01 -> 2026-11-29T11:18:46.373Z): the application applied it again");
    }

    [Fact]
    public void MigrationsFailWhenTheBootFillsAGapOrDropsARowOrMissesAPendingOne()
    {
        var before = FullLedger.Where(r => r.Name != Profile.Migrations[10]).ToList();
        var after = FullLedger.Where(r => r.Name != Profile.Migrations[20]).ToList();

        var check = AppMigrationsCheck.Evaluate(Profile, before, after, [.. Profile.Migrations, "0175_next.sql"]);

        check.Verdict.Should().Be(CheckVerdict.Failed);
        check.Details.Should().Equal(
            $"{Profile.Migrations[20]}: its ledger row is gone after boot",
            $"{Profile.Migrations[10]}: applied at boot although the ledger already held later migrations (up to {Profile.Migrations[^1]}): the backup's ledger had a gap, and the migration ran on data that already had its changes",
            "0175_next.sql: pending in the release under test, but not applied at boot");
        check.Found.Should().StartWith($"177 ledger rows after boot, 177 before; {Profile.Migrations[20]}: its ledger row is gone after boot (and 2 more)");
    }

    [Fact]
    public void MigrationsProveNothingYetWhenTheBootDidNotFinishButStillFailARewrite()
    {
        var rewritten = FullLedger.Select(r => r.Name == "0001_initial.sql" ? r with { AppliedAt = "2026-11-29T11:18:46.373Z" } : r).ToList();

        var clean = AppMigrationsCheck.Evaluate(Profile, FullLedger, FullLedger, null, bootFinished: false);
        var damaged = AppMigrationsCheck.Evaluate(Profile, FullLedger, rewritten, null, bootFinished: false);

        clean.Verdict.Should().Be(CheckVerdict.NotApplicable);
        clean.Found.Should().Be("the boot did not finish (see app.ready), so what it applies is unknown; until it stopped: 0 applied, no earlier row changed (178 rows)");
        damaged.Verdict.Should().Be(CheckVerdict.Failed);
    }

    [Fact]
    public void ADatabaseWithoutALedgerOrWithAnEmptyOneIsNotBooted()
    {
        AppMigrationsCheck.RefusalReason(Profile, FullLedger).Should().BeNull();
        AppMigrationsCheck.RefusalReason(Profile, null).Should().Be(
            "the restored database has no migration ledger (_selfhost_migrations does not exist): the application would re-run every migration, and some of them drop or rewrite data. " +
            "Restore a backup made with the ledger's table and its rows (no --exclude-table or --exclude-table-data for it)");
        AppMigrationsCheck.RefusalReason(Profile, []).Should().StartWith("the restored database's migration ledger _selfhost_migrations is empty: the application would re-run every migration");
        AppMigrationsCheck.Refused("x").Should().Match<CheckResult>(c => c.Verdict == CheckVerdict.Failed && c.Found == "not booted: x" && c.Name == "app.migrations");
    }

    [Fact]
    public void HealthPassesOnlyOnStatusOk()
    {
        AppHealthCheck.Evaluate(Answer(3, 200, """{"status":"ok"}""", "/health")).Verdict.Should().Be(CheckVerdict.Passed);
        AppHealthCheck.Evaluate(Answer(3, 200, """{"status":"degraded"}""", "/health")).Found.Should().Be("""/health answered 200 {"status":"degraded"}""");
        AppHealthCheck.Evaluate(Answer(3, 500, "oops", "/health")).Verdict.Should().Be(CheckVerdict.Failed);
    }

    private static ReadinessOutcome Outcome(params AppAnswer[] answers) =>
        new(answers, answers.LastOrDefault(a => a.Status == 200), null, null, Timeout);

    private static AppAnswer Refused(double at) => ReadinessPoller.ToAnswer("/ready", at, HttpAnswer.None("connect: Connection refused"), s => s);

    private static AppAnswer Ready(double at, string body) => Answer(at, 200, body);

    private static AppAnswer Answer(double at, int status, string body, string path = "/ready") => ReadinessPoller.ToAnswer(path, at, new HttpAnswer(status, body, null), s => s);
}
