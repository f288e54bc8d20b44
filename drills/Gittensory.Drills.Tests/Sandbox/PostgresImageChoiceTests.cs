using FluentAssertions;
using Gittensory.Drills.Sandbox;
using Xunit;

namespace Gittensory.Drills.Tests.Sandbox;

/// <summary>Which Postgres image a dump gets: the operator's pin, the local image of its major, the smallest newer one, or a refusal naming what to build.</summary>
public sealed class PostgresImageChoiceTests
{
    private static readonly DrillImages Local = new() { LocalPostgres = ["gittensory-drills/postgres:17", "gittensory-drills/postgres:15"] };

    [Fact]
    public void ADumpOfALocalMajorGetsThatImage()
    {
        var choice = PostgresImageChoice.For(Local, 15);

        choice.Should().Be(new PostgresImageChoice("gittensory-drills/postgres:15", 15, "the local image of major 15"));
    }

    [Fact]
    public void ADumpOfAMajorWithNoLocalImageGetsTheSmallestNewerOneAndSaysSo()
    {
        var choice = PostgresImageChoice.For(Local with { LocalPostgres = ["postgres:18", .. Local.LocalPostgres] }, 16);

        choice.Image.Should().Be("gittensory-drills/postgres:17");
        choice.Reason.Should().Be("no local image of major 16; using gittensory-drills/postgres:17, the smallest newer one");
    }

    [Fact]
    public void NoLocalImageNewEnoughGivesNoImageAndNamesTheOneToBuild()
    {
        var choice = PostgresImageChoice.For(new DrillImages { LocalPostgres = ["gittensory-drills/postgres:15"] }, 16, "-BootApp: the application needs PostgreSQL 16 or newer");

        choice.Image.Should().BeNull();
        choice.Reason.Should().Be("No local Postgres image of major 16 (-BootApp: the application needs PostgreSQL 16 or newer) or newer: the images file lists " +
                                  "gittensory-drills/postgres:15 (DRILL_POSTGRES_IMAGES). Run fixtures/engine/ensure-engine.sh, which builds gittensory-drills/postgres:17, " +
                                  "or set DRILL_POSTGRES_IMAGE to an image of major 16 or newer.");
    }

    [Fact]
    public void ADumpNewerThanAnythingEnsureEngineBuildsSaysToBringAnImage()
    {
        var choice = PostgresImageChoice.For(Local, 18);

        choice.Image.Should().BeNull();
        choice.Reason.Should().EndWith("Bring an image of major 18 or newer (e.g. docker load a saved pgvector/pgvector:pg18) and set DRILL_POSTGRES_IMAGE.");
    }

    [Fact]
    public void TheOperatorsImageWinsOverTheLocalOnesWithItsMajorFilledIn()
    {
        var choice = PostgresImageChoice.For(Local with { Postgres = "registry.local:5000/pgvector/pgvector:pg{major}" }, 16);

        choice.Should().Be(new PostgresImageChoice("registry.local:5000/pgvector/pgvector:pg16", 16,
            "set by DRILL_POSTGRES_IMAGE ('registry.local:5000/pgvector/pgvector:pg{major}', {major} = 16)"));
        PostgresImageChoice.For(Local with { Postgres = "gittensory-drills/postgres:15" }, 17).Image.Should().Be("gittensory-drills/postgres:15", "a pinned image is used as given; the image check judges it");
    }

    [Fact]
    public void WithNeitherAPinNorLocalImagesTheOfficialImageOfTheMajorIsUsed()
    {
        var choice = PostgresImageChoice.For(new DrillImages(), 17);

        choice.Image.Should().Be("pgvector/pgvector:pg17");
        choice.Reason.Should().Be("the official image for major 17: neither DRILL_POSTGRES_IMAGE nor a list of local images (DRILL_POSTGRES_IMAGES) is set");
    }

    [Theory]
    [InlineData("gittensory-drills/postgres:17", 17)]
    [InlineData("pgvector/pgvector:pg16", 16)]
    [InlineData("postgres:16.4-bookworm", 16)]
    [InlineData("registry.local:5000/postgres:15", 15)]
    [InlineData("registry.local:5000/postgres", null)]
    [InlineData("postgres:latest", null)]
    [InlineData("postgres", null)]
    public void AnImagesMajorIsTheNumberItsTagBeginsWith(string image, int? major)
    {
        PostgresImageChoice.MajorOf(image).Should().Be(major);
    }

    [Fact]
    public void PostgresForThrowsTheRefusalWhenNoImageIsNewEnough()
    {
        var act = () => new DrillImages { LocalPostgres = ["gittensory-drills/postgres:15"] }.PostgresFor(17);

        act.Should().Throw<InvalidOperationException>().WithMessage("No local Postgres image of major 17 or newer:*");
    }
}
