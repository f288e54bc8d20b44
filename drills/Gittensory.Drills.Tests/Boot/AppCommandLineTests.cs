using FluentAssertions;
using Gittensory.Drills.Boot;
using Xunit;

namespace Gittensory.Drills.Tests.Boot;

public sealed class AppCommandLineTests
{
    [Fact]
    public void AnOperatorsCommandSplitsIntoProgramAndArgumentsAsAShellWould() =>
        AppCommandLine.Split("  node  dist/server.mjs --title 'Loop Over' \"a \\\"quoted\\\" word\" back\\ slash ")
            .Should().Equal("node", "dist/server.mjs", "--title", "Loop Over", "a \"quoted\" word", "back slash");

    [Fact]
    public void AnUnclosedQuoteIsRefused() =>
        FluentActions.Invoking(() => AppCommandLine.Split("node 'dist/server.mjs")).Should().Throw<ArgumentException>().WithMessage("The command line has an unclosed ' at character 6*");

    [Fact]
    public void PollingBacksOffFromAQuarterSecondToAtMostTwoSeconds() =>
        Enumerable.Range(0, 8).Select(i => ReadinessPoller.Delay(i).TotalMilliseconds)
            .Should().Equal(250, 375, 562.5, 843.75, 1265.625, 1898.4375, 2000, 2000);
}
