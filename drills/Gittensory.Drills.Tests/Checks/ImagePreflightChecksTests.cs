using FluentAssertions;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Profiles;
using Xunit;

namespace Gittensory.Drills.Tests.Checks;

/// <summary>The two checks on the restore image that run before any restore: the archive's extensions, and the server major -BootApp needs.</summary>
public sealed class ImagePreflightChecksTests
{
    private static readonly Dictionary<string, string?> Available = new() { ["plpgsql"] = "1.0", ["vector"] = "0.8.0" };

    [Fact]
    public void EveryExtensionOfferedPassesNamingTheVersions()
    {
        var check = ExtensionCheck.Evaluate("postgres/x.dump", "img:17", ["vector"], Available);

        check.Verdict.Should().Be(CheckVerdict.Passed);
        check.Found.Should().Be("'img:17' offers vector 0.8.0");
    }

    [Fact]
    public void ExtensionsOtherThanPgvectorThatAreMissingAreNamedWithTheGeneralFix()
    {
        var check = ExtensionCheck.Evaluate("postgres/x.dump", "img:17", ["vector", "postgis", "pg_trgm"], Available);

        check.Verdict.Should().Be(CheckVerdict.Failed);
        check.Found.Should().Be("Backup 'postgres/x.dump' creates the PostgreSQL extensions 'postgis', 'pg_trgm' (CREATE EXTENSION in its table of contents), but the " +
                                "restore image 'img:17' does not offer them (pg_available_extensions), so pg_restore would fail there and every check after it would be " +
                                "about that failure, not the backup. Use an image that has the extension (set DRILL_POSTGRES_IMAGE).");
    }

    [Fact]
    public void TheServerVersionCheckPassesFrom16AndIsAbsentWithoutAMinimumInTheProfile()
    {
        AppServerVersionCheck.Evaluate(DrillProfile.LoopOver, "img:16", 16)!.Found.Should().Be("'img:16' is PostgreSQL 16");
        AppServerVersionCheck.Evaluate(DrillProfile.LoopOver, "img:15", 15)!.Verdict.Should().Be(CheckVerdict.Failed);
        AppServerVersionCheck.Evaluate(DrillProfile.LoopOver with { AppMinimumPostgresMajor = null }, "img:15", 15).Should().BeNull();
    }
}
