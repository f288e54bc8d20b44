using FluentAssertions;
using Gittensory.Drills.Boot;
using Xunit;

namespace Gittensory.Drills.Tests.Boot;

/// <summary>The booted application's environment: LoopOver's smallest boot environment, the operator's env file, what it may not set, and redaction.</summary>
public sealed class AppEnvironmentTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("gdrill-test-env-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void TheApplicationGetsLoopOversSmallestBootEnvironmentWithFreshSecretsAndTheDrillsSafetySwitches()
    {
        var environment = Build(envFile: null);

        environment.Variables.Keys.Should().Equal("DATABASE_URL", "REDIS_URL", "SELFHOST_SETUP_TOKEN", "PUBLIC_API_ORIGIN", "SELFHOST_DEPLOYMENT_MODE", "ORB_AIR_GAP");
        environment.Variables["SELFHOST_SETUP_TOKEN"].Should().MatchRegex("^[0-9a-f]{48}$").And.NotBe(Build(null).Variables["SELFHOST_SETUP_TOKEN"]);
        environment.Variables["PUBLIC_API_ORIGIN"].Should().Be("https://loopover-drill.invalid");
        environment.Variables["SELFHOST_DEPLOYMENT_MODE"].Should().Be("disabled");
        environment.Variables["ORB_AIR_GAP"].Should().Be("true");
        environment.Variables.Values.Where(v => v.Length >= 20).Should().OnlyHaveUniqueItems("no secret is reused across variables");
        environment.ExpectedReadyChecks().Should().Equal("db", "migrations", "redis");
        environment.NotExercised().Should().HaveCount(4).And.Contain(
            "AI provider: not exercised (AI_PROVIDER unset): no model is called, so reviews that need one are not exercised; /ready has no ai_provider check");
    }

    [Fact]
    public void AnEnvFileAddsVariablesTheReportNamesButNeverShowsAndItsSecretsAreRedacted()
    {
        var file = WriteNamed("app.env", "# operator's additions", "", "export AI_PROVIDER=openai", "OPENAI_API_KEY='sk-drill-0123456789'", "NODE_OPTIONS=\"--max-old-space-size=512\"");

        var environment = Build(file);

        environment.Variables["AI_PROVIDER"].Should().Be("openai");
        environment.Variables["OPENAI_API_KEY"].Should().Be("sk-drill-0123456789");
        environment.Variables["NODE_OPTIONS"].Should().Be("--max-old-space-size=512");
        environment.Described.Should().ContainEquivalentOf(new Gittensory.Drills.Reporting.AppVariable("OPENAI_API_KEY", "env file app.env"));
        environment.ExpectedReadyChecks().Should().Equal("db", "migrations", "redis", "ai_provider");
        environment.NotExercised().Should().NotContain(g => g.StartsWith("AI provider", StringComparison.Ordinal));
        environment.Redact($"key sk-drill-0123456789 db {environment.Variables["DATABASE_URL"]} token {environment.Variables["SELFHOST_SETUP_TOKEN"]}")
            .Should().Be("key *** db postgres://drill:***@postgres:5432/drill_restore token ***");
    }

    [Theory]
    [InlineData("DATABASE_URL=postgres://loopover:live@db.internal:5432/loopover", "DATABASE_URL, which the drill sets itself to the scratch Postgres holding the restored copy")]
    [InlineData("REDIS_URL=redis://cache.internal:6379", "REDIS_URL, which the drill sets itself to a scratch Redis")]
    [InlineData("SELFHOST_DEPLOYMENT_MODE=production", "SELFHOST_DEPLOYMENT_MODE, which a drill pins to 'disabled' so that the application writes nothing to GitHub")]
    [InlineData("ORB_AIR_GAP=false", "ORB_AIR_GAP, which a drill pins to 'true' so that the application calls no outside service")]
    [InlineData("QDRANT_URL=http://qdrant.internal:6333", "QDRANT_URL, which the drill sets itself to a scratch Qdrant restored from the snapshot (or leaves unset), so that the application never reaches the live Qdrant")]
    public void AnEnvFileMayNotPointTheApplicationAwayFromTheScratchServicesNorLiftTheSafetySwitches(string line, string why)
    {
        var file = Write("AI_PROVIDER=openai", line);

        FluentActions.Invoking(() => AppEnvironment.ReadEnvFile(file)).Should().Throw<AppBootRefusedException>()
            .WithMessage($"Env file '{file}' line 2 sets {why}; remove it (the application boots against the restored copy, never anything else).");
    }

    [Fact]
    public void AMalformedLineAndANameGivenTwiceAreRefusedWithTheLine()
    {
        var malformed = Write("AI_PROVIDER=openai", "this is not an assignment");
        var twice = Write("AI_PROVIDER=openai", "# again", "AI_PROVIDER=anthropic");

        FluentActions.Invoking(() => AppEnvironment.ReadEnvFile(malformed)).Should().Throw<AppBootRefusedException>()
            .WithMessage($"Env file '{malformed}' line 2 is not KEY=VALUE (a name of letters, digits and _, then =); fix or remove it.");
        FluentActions.Invoking(() => AppEnvironment.ReadEnvFile(twice)).Should().Throw<AppBootRefusedException>()
            .WithMessage($"Env file '{twice}' sets AI_PROVIDER twice (lines 1 and 3); keep one.");
    }

    [Fact]
    public void AHostCommandGetsItsLoopbackPortAndOnlyTheVariablesNeededToRunAProgram()
    {
        var environment = AppEnvironment.Build(Db("postgres://drill:pw-0123456789@127.0.0.1:5999/drill_restore", "pw-0123456789"), "redis://:rd-0123456789@127.0.0.1:6999",
            "rd-0123456789", 41234, BootInputs.None, new Dictionary<string, string>(), new Dictionary<string, string> { ["PATH"] = "/usr/bin", ["HOME"] = "/root" });

        environment.Variables["PORT"].Should().Be("41234");
        environment.Described.Where(v => v.Source.StartsWith("host:", StringComparison.Ordinal)).Select(v => v.Name).Should().Equal("PATH", "HOME");
        AppEnvironment.InheritedByHostCommand.Should().NotContain(["DATABASE_URL", "REDIS_URL"]);
    }

    [Fact]
    public void AnotherLegsQdrantIsExpectedOnReadyAndMayNotRepeatAnEnvFileVariable()
    {
        var extra = new Dictionary<string, string> { ["QDRANT_URL"] = "http://qdrant:6333", ["QDRANT_DIM"] = "1024" };
        var environment = AppEnvironment.Build(Db("postgres://drill:pw-0123456789@postgres:5432/drill_restore", "pw-0123456789"), "redis://:rd-0123456789@redis:6379",
            "rd-0123456789", null, BootInputs.None, extra, null);

        environment.ExpectedReadyChecks().Should().Equal("db", "migrations", "redis", "qdrant");
        environment.Described.Should().ContainEquivalentOf(new Gittensory.Drills.Reporting.AppVariable("QDRANT_URL", "drill: a scratch service this drill started for it (e.g. a Qdrant restored from the snapshot)"));
        FluentActions.Invoking(() => AppEnvironment.Build(Db("postgres://drill:pw-0123456789@postgres:5432/drill_restore", "pw-0123456789"), "redis://:rd-0123456789@redis:6379",
                "rd-0123456789", null, Inputs(Write("QDRANT_DIM=768")), extra, null))
            .Should().Throw<AppBootRefusedException>().WithMessage("QDRANT_DIM is set both by the env file (or the drill) and by another leg of the drill; leave it out of the env file.");
    }

    private AppEnvironment Build(string? envFile) =>
        AppEnvironment.Build(Db("postgres://drill:pw-0123456789abcdef@postgres:5432/drill_restore", "pw-0123456789abcdef"), "redis://:rd-0123456789abcdef@redis:6379",
            "rd-0123456789abcdef", null, Inputs(envFile), new Dictionary<string, string>(), null);

    private static BootInputs Inputs(string? envFile) => AppBoot.Validate(new AppBootOptions { EnvFile = envFile });

    private static Gittensory.Drills.Pipeline.AppDatabase Db(string url, string password) =>
        new(new Dictionary<string, string> { ["DATABASE_URL"] = url }, [password], "drill: the scratch Postgres holding the restored copy", null, null, []);

    private string Write(params string[] lines) => WriteNamed($"app-{Guid.NewGuid():N}.env", lines);

    private string WriteNamed(string name, params string[] lines)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllLines(path, lines);
        return path;
    }
}
