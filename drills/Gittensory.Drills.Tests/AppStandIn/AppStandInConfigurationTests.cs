using System.Globalization;
using FluentAssertions;
using Gittensory.Drills.Sandbox;
using Xunit;

namespace Gittensory.Drills.Tests.AppStandIn;

/// <summary>The app stand-in's configuration rules and its Postgres wait, as a host process with no container at all.</summary>
public sealed class AppStandInConfigurationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MissingRequiredVariablesAreAllNamedAndTheExitCodeIsNonZero()
    {
        await using var standIn = StandInProcess.Start(new Dictionary<string, string>());
        var exitCode = await standIn.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);

        exitCode.Should().Be(2);
        standIn.StandardError.Should().Contain("Missing required environment variables: DATABASE_URL (or DATABASE_PATH for SQLite), REDIS_URL, SELFHOST_SETUP_TOKEN, PUBLIC_API_ORIGIN.");
    }

    [Theory]
    [InlineData("changeme", "SELFHOST_SETUP_TOKEN has 8 characters; it must have at least 20 random characters.")]
    [InlineData("changeme-changeme-changeme", "SELFHOST_SETUP_TOKEN is a placeholder; generate a random value (e.g. openssl rand -hex 24).")]
    [InlineData("xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "SELFHOST_SETUP_TOKEN is a placeholder; generate a random value (e.g. openssl rand -hex 24).")]
    public async Task AShortOrPlaceholderSetupTokenIsRefused(string token, string message)
    {
        var environment = ValidEnvironment();
        environment["SELFHOST_SETUP_TOKEN"] = token;

        await using var standIn = StandInProcess.Start(environment);
        var exitCode = await standIn.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);

        exitCode.Should().Be(2);
        standIn.StandardError.Should().Contain(message);
    }

    [Fact]
    public async Task ASecretReusedAcrossVariablesIsRefusedWithoutEverPrintingIt()
    {
        var secret = Secrets.NewSecret();
        var environment = ValidEnvironment();
        environment["SELFHOST_SETUP_TOKEN"] = secret;
        environment["DATABASE_URL"] = $"postgres://loopover:{secret}@127.0.0.1:5432/loopover";

        await using var standIn = StandInProcess.Start(environment);
        var exitCode = await standIn.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);

        exitCode.Should().Be(2);
        standIn.StandardError.Should().Contain("SELFHOST_SETUP_TOKEN and DATABASE_URL's password hold the same secret; each secret must be generated on its own.");
        (standIn.StandardOutput + standIn.StandardError).Should().NotContain(secret);
    }

    [Theory]
    [InlineData("https://loopover.example.com/api")]
    [InlineData("https://loopover.example.com/")]
    [InlineData("http://loopover.example.com")]
    public async Task APublicApiOriginThatIsNotABareHttpsOriginIsRefused(string origin)
    {
        var environment = ValidEnvironment();
        environment["PUBLIC_API_ORIGIN"] = origin;

        await using var standIn = StandInProcess.Start(environment);
        var exitCode = await standIn.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);

        exitCode.Should().Be(2);
        standIn.StandardError.Should().Contain($"PUBLIC_API_ORIGIN is '{origin}'; it must be a bare https origin such as https://loopover.example.com (no path, no trailing slash).");
    }

    [Fact]
    public async Task AMisbehaviourSwitchNamingAnUnconfiguredCheckIsRefused()
    {
        var environment = ValidEnvironment();
        environment["STANDIN_IGNORE_FAILED_CHECK"] = "qdrant";

        await using var standIn = StandInProcess.Start(environment);
        var exitCode = await standIn.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);

        exitCode.Should().Be(2);
        standIn.StandardError.Should().Contain("STANDIN_IGNORE_FAILED_CHECK names 'qdrant', which is not a configured check; use one or more of db, migrations, redis, comma-separated.");
    }

    [Fact]
    public async Task WithoutPostgresItGivesUpAfterTheConfiguredWaitAndExitsNonZero()
    {
        var environment = ValidEnvironment();
        environment["STANDIN_DB_WAIT_SECONDS"] = "2";

        await using var standIn = StandInProcess.Start(environment);
        var exitCode = await standIn.WaitForExitAsync(TimeSpan.FromSeconds(30), Ct);

        exitCode.Should().Be(1, standIn.Describe());
        standIn.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(2)).And.BeLessThan(TimeSpan.FromSeconds(15));
        standIn.StandardError.Should().MatchRegex(
            @"boot failed: Postgres loopover@127\.0\.0\.1:\d+/loopover did not answer within 2 s \(\d+ attempts; last error: .+\)\. Start the database or fix DATABASE_URL; the server exits, as LoopOver does\.");
    }

    [Fact]
    public async Task WithoutPostgresItWaitsThirtySecondsByDefaultLikeLoopOver()
    {
        await using var standIn = StandInProcess.Start(ValidEnvironment());
        var exitCode = await standIn.WaitForExitAsync(TimeSpan.FromSeconds(60), Ct);

        exitCode.Should().Be(1, standIn.Describe());
        standIn.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(29)).And.BeLessThan(TimeSpan.FromSeconds(45));
        standIn.StandardOutput.Should().Contain("waiting up to 30 s for Postgres");
        standIn.StandardError.Should().Contain("did not answer within 30 s");
    }

    // Valid configuration pointing at a loopback port where nothing listens (no container needed).
    private static Dictionary<string, string> ValidEnvironment() => new(StringComparer.Ordinal)
    {
        ["DATABASE_URL"] = $"postgres://loopover:{Secrets.NewSecret()}@127.0.0.1:{StandInProcess.FreeLoopbackPort()}/loopover",
        ["REDIS_URL"] = $"redis://127.0.0.1:{StandInProcess.FreeLoopbackPort()}",
        ["SELFHOST_SETUP_TOKEN"] = Secrets.NewSecret(),
        ["PUBLIC_API_ORIGIN"] = "https://loopover.drill.invalid",
        ["PORT"] = StandInProcess.FreeLoopbackPort().ToString(CultureInfo.InvariantCulture),
        ["STANDIN_BIND_ADDRESS"] = "127.0.0.1",
    };
}
