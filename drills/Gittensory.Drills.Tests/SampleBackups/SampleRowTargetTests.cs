using FluentAssertions;
using Gittensory.Drills.SampleBackups;
using Xunit;

namespace Gittensory.Drills.Tests.SampleBackups;

/// <summary>
/// The generator's row targets (<c>--rows</c>) and the benchmark reference built on them (<see cref="ReferenceSet"/>),
/// on SQLite sets so no engine is needed: named tables get exactly their rows, the rest what the scale gives.
/// </summary>
public sealed class SampleRowTargetTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("gittensory-drills-rows-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public async Task GivenRowTargets_WhenASqliteSetIsGenerated_ThenTheNamedTablesHoldExactlyThoseRowsAndTheOthersWhatTheScaleGives()
    {
        // Given
        var plain = new SampleBackupOptions { OutputDirectory = Path.Combine(scratch, "plain"), Stores = SampleStores.Sqlite, Runs = 1, Scale = 2 };
        var targets = new Dictionary<string, int> { ["webhook_events"] = 123, ["repo_chunks"] = 0, ["review_targets"] = 7 };

        // When
        var expected = (await new SampleBackupGenerator(plain).GenerateAsync(Ct))[0].RowCounts;
        var run = (await new SampleBackupGenerator(plain with { OutputDirectory = Path.Combine(scratch, "rows"), RowTargets = targets }).GenerateAsync(Ct))[0];

        // Then
        using var db = SampleSetFiles.OpenSqlite(await SampleSetFiles.GunzipAsync(Path.Combine(scratch, "rows", run.SqliteFile!), scratch, Ct));
        var counts = SampleSetFiles.SqliteRowCounts(db);
        counts["webhook_events"].Should().Be(123);
        counts["repo_chunks"].Should().Be(0);
        counts["review_targets"].Should().Be(7);
        foreach (var (table, rows) in expected.Where(e => !targets.ContainsKey(e.Key)))
        {
            counts[table].Should().Be(rows, $"{table} has no target, so it keeps what scale 2 gives it");
        }

        SampleSetFiles.Scalar(db, "SELECT count(DISTINCT target_id) <= 7 FROM review_audit").Should().Be("1", "review_audit points at the 7 review targets");
    }

    [Theory]
    [InlineData("no_such_table", 5, "Rows can be set for LoopOver's data tables, not for 'no_such_table' (no such table; see LoopOverSchema.cs).")]
    [InlineData("_selfhost_migrations", 5, "Rows can be set for LoopOver's data tables, not for '_selfhost_migrations' (its rows are fixed by what it holds).")]
    [InlineData("webhook_events", -1, "Rows for 'webhook_events' must be 0 or more, not -1.")]
    public void GivenABadRowTarget_WhenTheOptionsAreValidated_ThenTheProblemIsNamed(string table, int rows, string problem)
    {
        // Given
        var options = new SampleBackupOptions { OutputDirectory = scratch, RowTargets = new Dictionary<string, int> { [table] = rows } };

        // When
        var found = SampleBackupGenerator.Validate(options);

        // Then
        found.Should().Be(problem);
    }

    [Theory]
    [InlineData(1, 1000, 2_500_000, 1_500_000, 900_000)]
    [InlineData(0.25, 250, 625_000, 375_000, 225_000)]
    public void GivenAFraction_WhenTheReferenceOptionsAreMade_ThenEveryTableScalesByItOnOneRunOfPostgres(
        double fraction, int scale, int webhookEvents, int reviewAudit, int repoChunks)
    {
        // Given
        var folder = Path.Combine(scratch, "reference");

        // When
        var options = ReferenceSet.Options(folder, fraction);

        // Then
        options.Should().BeEquivalentTo(new SampleBackupOptions
        {
            OutputDirectory = folder,
            Runs = 1,
            Stores = SampleStores.Postgres,
            Scale = scale,
            RowTargets = new Dictionary<string, int> { ["webhook_events"] = webhookEvents, ["review_audit"] = reviewAudit, ["repo_chunks"] = repoChunks },
        });
        SampleBackupGenerator.Validate(options).Should().BeNull();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1.5)]
    public void GivenAFractionOutsideZeroToOne_WhenTheReferenceOptionsAreMade_ThenItIsRefused(double fraction)
    {
        // Given
        var folder = Path.Combine(scratch, "reference");

        // When
        var make = () => ReferenceSet.Options(folder, fraction);

        // Then
        make.Should().Throw<ArgumentOutOfRangeException>().WithMessage("The reference's fraction must be above 0 and at most 1.*");
    }
}
