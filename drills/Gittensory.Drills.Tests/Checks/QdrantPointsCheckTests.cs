using FluentAssertions;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Profiles;
using Gittensory.Drills.Restore;
using Xunit;

namespace Gittensory.Drills.Tests.Checks;

public sealed class QdrantPointsCheckTests
{
    private static readonly QdrantProfile Profile = new() { Collections = ["loopover"], MinPoints = 10 };

    private static QdrantCollectionInfo Collection(long? points) => new("loopover", "green", points, 1, null, new Dictionary<string, Gittensory.Drills.Preflight.QdrantVectorParams>());

    [Fact]
    public void ACollectionWithAtLeastTheMinimumOfPointsPasses()
    {
        QdrantChecks.PointsCheck(Profile, Collection(10)).Verdict.Should().Be(CheckVerdict.Passed);
    }

    [Fact]
    public void ACollectionWithFewerPointsThanTheMinimumFailsSayingTheVectorsWereLost()
    {
        var result = QdrantChecks.PointsCheck(Profile, Collection(3));

        result.Verdict.Should().Be(CheckVerdict.Failed);
        result.Found.Should().Be("collection 'loopover' holds 3 points, fewer than the profile's minimum of 10: the vectors were lost or never written.");
    }

    [Fact]
    public void ACollectionThatReportsNoPointsCountFails()
    {
        QdrantChecks.PointsCheck(Profile, Collection(null)).Found.Should().Be("collection 'loopover' did not report points_count");
    }

    [Fact]
    public void WithoutAMinimumInTheProfileTheCheckDoesNotApply()
    {
        QdrantChecks.PointsCheck(Profile with { MinPoints = null }, Collection(3)).Verdict.Should().Be(CheckVerdict.NotApplicable);
    }
}
