using FluentAssertions;
using Gittensory.Drills.Checks;
using Xunit;

namespace Gittensory.Drills.Tests.Checks;

public sealed class TimeChecksTests
{
    private static readonly DateTimeOffset Taken = new(2026, 7, 4, 9, 9, 39, TimeSpan.Zero);

    [Theory]
    [InlineData("2026-07-04T09:09:39.123Z")]
    [InlineData("2026-07-04 09:09:39")]
    public void BothTimeStampShapesParseAsUtc(string text)
    {
        ActivityTimestamp.TryParse(text, out var value).Should().BeTrue();
        value.Should().BeCloseTo(Taken, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void TheRecoveryPointIsTheLagOfTheNewestActivity()
    {
        var activity = new[]
        {
            new ActivityFact("webhook_events", "received_at", Taken.AddMinutes(-7), 0),
            new ActivityFact("review_audit", "created_at", Taken.AddMinutes(-30), 0),
        };

        var result = RecencyCheck.Evaluate(Facts.Profile(), activity, Taken);

        result.Verdict.Should().Be(CheckVerdict.Passed);
        result.Found.Should().Be("recovery point 7 minutes: newest activity 2026-07-04 09:02:39Z in webhook_events.received_at");
    }

    [Fact]
    public void ActivityOlderThanTheProfilesLimitFails()
    {
        var result = RecencyCheck.Evaluate(Facts.Profile(), [new ActivityFact("webhook_events", "received_at", Taken.AddHours(-30), 0)], Taken);

        result.Verdict.Should().Be(CheckVerdict.Failed);
        result.Found.Should().EndWith(", more than 26 h: the application had stopped writing, or the backup holds old data");
    }

    [Fact]
    public void ActivityAfterTheBackupsTimeStampFails()
    {
        var result = RecencyCheck.Evaluate(Facts.Profile(), [new ActivityFact("webhook_events", "received_at", Taken.AddHours(2), 0)], Taken);

        result.Verdict.Should().Be(CheckVerdict.Failed);
        result.Found.Should().Contain("is 120 minutes AFTER the backup's time stamp");
    }

    [Fact]
    public void NoActivityAtAllFails()
    {
        var result = RecencyCheck.Evaluate(Facts.Profile(), [new ActivityFact("webhook_events", "received_at", null, 0)], Taken);

        result.Verdict.Should().Be(CheckVerdict.Failed);
        result.Found.Should().Be("no activity time stamp at all in webhook_events.received_at: is the data there?");
    }

    [Fact]
    public void ABackupOlderThanTheMaximumAgeFails()
    {
        var result = BackupAgeCheck.Evaluate(Taken, Taken.AddHours(30), TimeSpan.FromHours(26));

        result.Verdict.Should().Be(CheckVerdict.Failed);
        result.Found.Should().Be("taken 2026-07-04 09:09:39Z, 30 h ago: older than 26 h. Is the backup job running? (LoopOver alerts at 26 h)");
    }

    [Fact]
    public void ABackupWithinTheMaximumAgePasses()
    {
        BackupAgeCheck.Evaluate(Taken, Taken.AddHours(2), TimeSpan.FromHours(26)).Verdict.Should().Be(CheckVerdict.Passed);
    }

    [Fact]
    public void TheBundledSamplesAgeIsNotAppliedAndSaysWhy()
    {
        var result = BackupAgeCheck.Evaluate(Taken, Taken.AddDays(100), TimeSpan.FromHours(26), "the bundled sample set is old by construction");

        result.Verdict.Should().Be(CheckVerdict.NotApplicable);
        result.Found.Should().Be("the bundled sample set is old by construction");
    }

    [Fact]
    public void LiveComparisonFailsWhereAGrowOnlyTableHasMoreRowsRestoredThanLive()
    {
        var restored = Facts.Of(("webhook_events", 10), ("audit_events", 5)).Tables;
        var live = Facts.Of(("webhook_events", 8), ("audit_events", 2)).Tables;

        var result = LiveComparisonCheck.Evaluate(Facts.Profile(), restored, live);

        result.Verdict.Should().Be(CheckVerdict.Failed);
        result.Found.Should().Be("public.webhook_events only grows, yet the restored copy has 10 rows and live has 8: rows were lost live, or the backup is not of this database");
    }

    [Fact]
    public void LiveComparisonPassesWhenLiveHasGrown()
    {
        var restored = Facts.Of(("webhook_events", 10)).Tables;
        var live = Facts.Of(("webhook_events", 12)).Tables;

        var result = LiveComparisonCheck.Evaluate(Facts.Profile(), restored, live);

        result.Verdict.Should().Be(CheckVerdict.Passed);
        result.Details.Should().Equal("public.webhook_events: 10 restored, 12 live (+2)");
    }
}
