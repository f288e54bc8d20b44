using FluentAssertions;
using Gittensory.Drills.Checks;
using Xunit;

namespace Gittensory.Drills.Tests.Checks;

public sealed class LedgerCheckTests
{
    private static readonly string[] Migrations = ["0001_a.sql", "0002_b.sql", "0003_c.sql", "0004_d.sql"];

    private static LedgerRow[] Rows(params string[] names) => [.. names.Select(n => new LedgerRow(n, "2026-07-01 00:00:00"))];

    [Fact]
    public void ACompleteLedgerPasses()
    {
        LedgerCheck.Evaluate(Facts.Profile(Migrations), Rows(Migrations)).Verdict.Should().Be(CheckVerdict.Passed);
    }

    [Fact]
    public void AMissingMiddleMigrationIsAGapAndFails()
    {
        var result = LedgerCheck.Evaluate(Facts.Profile(Migrations), Rows("0001_a.sql", "0003_c.sql", "0004_d.sql"));

        result.Verdict.Should().Be(CheckVerdict.Failed);
        result.Found.Should().Be("3 rows; gap: 0002_b.sql is missing while later migrations are present (the ledger was damaged)");
    }

    [Fact]
    public void AnUnknownMigrationFails()
    {
        var result = LedgerCheck.Evaluate(Facts.Profile(Migrations), Rows([.. Migrations, "9999_from_the_future.sql"]));

        result.Verdict.Should().Be(CheckVerdict.Failed);
        result.Found.Should().Be("5 rows; unknown migration (not in profile 'test'): 9999_from_the_future.sql");
    }

    [Fact]
    public void AMissingTailIsReportedAsPredatingMigrationsWithoutFailing()
    {
        var result = LedgerCheck.Evaluate(Facts.Profile(Migrations), Rows("0001_a.sql", "0002_b.sql"));

        result.Verdict.Should().Be(CheckVerdict.Warning);
        result.Found.Should().StartWith("2 of 4 migrations, up to 0002_b.sql: backup predates 2 migrations (from 0003_c.sql)");
    }

    [Fact]
    public void AMissingTailFailsWhenTheProfileRequiresTheNewestRelease()
    {
        var profile = Facts.Profile(Migrations) with { RequireNewestRelease = true };

        var result = LedgerCheck.Evaluate(profile, Rows("0001_a.sql", "0002_b.sql"));

        result.Verdict.Should().Be(CheckVerdict.Failed);
        result.Found.Should().EndWith("; the profile requires the newest release");
    }

    [Fact]
    public void AMissingLedgerTableFailsBecauseBootWouldRerunEveryMigration()
    {
        var result = LedgerCheck.Evaluate(Facts.Profile(Migrations), null);

        result.Verdict.Should().Be(CheckVerdict.Failed);
        result.Found.Should().Be("the ledger table _selfhost_migrations does not exist: booting the application would re-run every migration, and some of them drop or rewrite data");
    }
}
