using FluentAssertions;
using Gittensory.Drills.Checks;
using Xunit;

namespace Gittensory.Drills.Scenarios;

/// <summary>The application boots on the newest restored Postgres backup and answers ready: each check of the boot is one test.</summary>
public sealed class BootAppDrill(BootAppDrillScenario scenario) : IClassFixture<BootAppDrillScenario>
{
    [Fact]
    public async Task TheApplicationCanReachOnlyTheScratchServices() => (await scenario.LegAsync()).ShouldHavePassed(AppIsolationCheck.Name);

    [Fact]
    public async Task TheApplicationBootsOnTheRestoredCopyAndReadyAnswers200() => (await scenario.LegAsync()).ShouldHavePassed(AppReadyCheck.Name);

    [Fact]
    public async Task TheApplicationsHealthAnswersOk() => (await scenario.LegAsync()).ShouldHavePassed(AppHealthCheck.Name);

    [Fact]
    public async Task BootingAppliesEachPendingMigrationOnceAndReappliesNone() => (await scenario.LegAsync()).ShouldHavePassed(AppMigrationsCheck.Name);

    [Fact]
    public async Task TheReportShowsTimeToReadyAsItsOwnPhaseAndTheFullRecoveryTime()
    {
        var leg = await scenario.LegAsync();

        leg.Phases.Should().Contain(p => p.Name == "boot" && p.Completed, $"the boot phase should have run; the leg stopped with: {leg.Problem}");
        leg.App!.SecondsToReady.Should().NotBeNull($"the application should have become ready: {leg.Check(AppReadyCheck.Name)?.Found}");
        scenario.Report!.RecoveryTimeSeconds.Should().BeGreaterThan(leg.App.SecondsToReady!.Value);
        TestContext.Current.SendDiagnosticMessage($"boot to ready {leg.App.SecondsToReady:0.00} s; full recovery {scenario.Report.RecoveryTimeSeconds:0.00} s");
    }
}
