using System.Globalization;
using FluentAssertions;
using Gittensory.Drills.SampleBackups;
using Npgsql;
using Xunit;

namespace Gittensory.Drills.Tests.SampleBackups;

/// <summary>
/// The sample-backup generator run in-process: its default set restores to LoopOver's 95 tables (container tests, sharing
/// <see cref="GeneratedSampleSetFixture"/>), and its SQLite backups are deterministic, intact and shaped like LoopOver's (no engine needed).
/// </summary>
public sealed class SampleBackupGeneratorTests : IClassFixture<GeneratedSampleSetFixture>, IDisposable
{
    private readonly GeneratedSampleSetFixture generated;
    private readonly string scratch = Directory.CreateTempSubdirectory("gittensory-drills-samples-").FullName;

    public SampleBackupGeneratorTests(GeneratedSampleSetFixture generated) => this.generated = generated;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public async Task GivenTheDefaultOptions_WhenTheNewestDumpIsRestored_ThenPublicHoldsExactlyTheNinetyFiveLoopOverTables()
    {
        // Given
        await generated.RequireAsync(Ct);
        await using var db = await generated.OpenRestoredAsync(Ct);

        // When
        var tables = await ColumnAsync(db, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name");

        // Then
        tables.Should().HaveCount(95).And.BeEquivalentTo(SampleSetFiles.ProfileTables).And.NotContain("_selfhost_vectors");
    }

    [Fact]
    public async Task GivenTheDefaultOptions_WhenTheNewestDumpIsRestored_ThenEveryTableHasTheRowCountTheGeneratorWrote()
    {
        // Given
        await generated.RequireAsync(Ct);
        await using var db = await generated.OpenRestoredAsync(Ct);
        var written = generated.Runs[^1].RowCounts;

        foreach (var table in SampleSetFiles.ProfileTables)
        {
            // When
            var count = await ScalarAsync<long>(db, $"SELECT count(*) FROM public.\"{table}\"");

            // Then
            count.Should().Be(written[table], table);
        }
    }

    [Fact]
    public async Task GivenTheDefaultOptions_WhenTheNewestDumpIsRestored_ThenTheLedgerHoldsEveryMigrationOfTheProfileInOrder()
    {
        // Given
        await generated.RequireAsync(Ct);
        await using var db = await generated.OpenRestoredAsync(Ct);

        // When
        var ledger = await ColumnAsync(db, "SELECT name FROM _selfhost_migrations ORDER BY applied_at, name");

        // Then
        ledger.Should().Equal(SampleSetFiles.ProfileMigrations).And.HaveCount(178);
    }

    [Fact]
    public async Task GivenTheDefaultOptions_WhenTheNewestDumpIsRestored_ThenTheJobSequenceIsTheOnlyOneAndIsPastEveryJobId()
    {
        // Given
        await generated.RequireAsync(Ct);
        await using var db = await generated.OpenRestoredAsync(Ct);

        // When
        var sequences = await ColumnAsync(db, "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = 'public'");
        var lastValue = await ScalarAsync<long>(db, "SELECT last_value FROM _selfhost_jobs_id_seq");
        var maxId = await ScalarAsync<long>(db, "SELECT max(id) FROM _selfhost_jobs");

        // Then
        sequences.Should().Equal("_selfhost_jobs_id_seq");
        lastValue.Should().BeGreaterThanOrEqualTo(maxId);
    }

    [Fact]
    public async Task GivenTheDefaultOptions_WhenTheNewestDumpIsRestored_ThenTheRateLimitTableKeepsItsAutovacuumSettingsAndTheSingletonsTheirRow()
    {
        // Given
        await generated.RequireAsync(Ct);
        await using var db = await generated.OpenRestoredAsync(Ct);

        // When
        var options = await ScalarAsync<string[]>(db, "SELECT reloptions FROM pg_class WHERE relname = 'github_rate_limit_observations'");
        var singletons = await ColumnAsync(db,
            "SELECT id FROM global_agent_controls UNION ALL SELECT id FROM global_contributor_blacklist UNION ALL SELECT id FROM global_moderation_config");

        // Then
        options.Should().Contain(o => o.StartsWith("autovacuum_vacuum_scale_factor=", StringComparison.Ordinal));
        singletons.Should().Equal("global", "global", "global");
    }

    [Fact]
    public async Task GivenTheDefaultOptions_WhenTheSetIsWritten_ThenEachFileIsNamedAndDatedWithItsRunOneDayApart()
    {
        // Given
        await generated.RequireAsync(Ct);

        // When
        var runs = generated.Runs;

        // Then
        runs.Select(r => r.Timestamp).Should().Equal("20260702T090939Z", "20260703T090939Z", "20260704T090939Z");
        foreach (var run in runs)
        {
            run.PostgresFile.Should().Be($"postgres/loopover-{run.Timestamp}.dump");
            run.SqliteFile.Should().Be($"sqlite/loopover-{run.Timestamp}.sqlite.gz");
            File.GetLastWriteTimeUtc(Path.Combine(generated.Folder, run.PostgresFile!)).Should().Be(run.At.UtcDateTime);
            File.GetLastWriteTimeUtc(Path.Combine(generated.Folder, run.SqliteFile!)).Should().Be(run.At.UtcDateTime);
        }

        File.ReadAllText(Path.Combine(generated.Folder, "manifest.json")).Should().Be(
            $"{{\"ts\":\"20260704T090939Z\",\"postgres\":{{\"file\":\"postgres/loopover-20260704T090939Z.dump\",\"bytes\":{Bytes(runs[^1].PostgresFile!)}}},"
            + $"\"sqlite\":{{\"file\":\"sqlite/loopover-20260704T090939Z.sqlite.gz\",\"bytes\":{Bytes(runs[^1].SqliteFile!)}}},\"qdrant\":{{\"file\":null}},\"retain\":7}}");
    }

    [Fact]
    public async Task GivenTheSameSeedTwice_WhenSqliteSetsAreGenerated_ThenEveryTableHasTheSameRowCountsAndTheSameRows()
    {
        // Given
        var options = new SampleBackupOptions { OutputDirectory = Path.Combine(scratch, "a"), Stores = SampleStores.Sqlite };

        // When
        await new SampleBackupGenerator(options).GenerateAsync(Ct);
        await new SampleBackupGenerator(options with { OutputDirectory = Path.Combine(scratch, "b") }).GenerateAsync(Ct);

        // Then
        foreach (var gz in SampleSetFiles.FilesOf(Path.Combine(scratch, "a"), "sqlite", ".sqlite.gz"))
        {
            var twin = Path.Combine(scratch, "b", "sqlite", Path.GetFileName(gz));
            using var first = SampleSetFiles.OpenSqlite(await SampleSetFiles.GunzipAsync(gz, Directory.CreateDirectory(Path.Combine(scratch, "a1")).FullName, Ct));
            using var second = SampleSetFiles.OpenSqlite(await SampleSetFiles.GunzipAsync(twin, Directory.CreateDirectory(Path.Combine(scratch, "b1")).FullName, Ct));
            SampleSetFiles.SqliteRowCounts(second).Should().Equal(SampleSetFiles.SqliteRowCounts(first));
            SampleSetFiles.Column(second, DeliveriesQuery).Should().Equal(SampleSetFiles.Column(first, DeliveriesQuery));
        }
    }

    [Fact]
    public async Task GivenTwoSeeds_WhenSqliteSetsAreGenerated_ThenTheRowsDiffer()
    {
        // Given
        var options = new SampleBackupOptions { OutputDirectory = Path.Combine(scratch, "a"), Stores = SampleStores.Sqlite, Runs = 1 };

        // When
        var a = await new SampleBackupGenerator(options).GenerateAsync(Ct);
        var b = await new SampleBackupGenerator(options with { OutputDirectory = Path.Combine(scratch, "b"), Seed = 7 }).GenerateAsync(Ct);

        // Then
        using var first = SampleSetFiles.OpenSqlite(await SampleSetFiles.GunzipAsync(Path.Combine(scratch, "a", a[0].SqliteFile!), scratch, Ct));
        var secondFolder = Directory.CreateDirectory(Path.Combine(scratch, "b1")).FullName;
        using var second = SampleSetFiles.OpenSqlite(await SampleSetFiles.GunzipAsync(Path.Combine(scratch, "b", b[0].SqliteFile!), secondFolder, Ct));
        SampleSetFiles.Column(second, DeliveriesQuery).Should().NotIntersectWith(SampleSetFiles.Column(first, DeliveriesQuery));
    }

    [Fact]
    public async Task GivenTheDefaultOptions_WhenTheSqliteBackupIsRead_ThenItHasNinetySevenTablesIsInWalModeAndPassesIntegrityCheck()
    {
        // Given
        var runs = await new SampleBackupGenerator(new SampleBackupOptions { OutputDirectory = scratch, Stores = SampleStores.Sqlite, Runs = 1 }).GenerateAsync(Ct);

        // When
        using var db = SampleSetFiles.OpenSqlite(await SampleSetFiles.GunzipAsync(Path.Combine(scratch, runs[0].SqliteFile!), scratch, Ct));

        // Then
        SampleSetFiles.Column(db, "SELECT name FROM sqlite_master WHERE type = 'table'").Should()
            .HaveCount(97).And.Contain(["sqlite_sequence", "_selfhost_vectors"]).And.Contain(SampleSetFiles.ProfileTables);
        SampleSetFiles.Scalar(db, "PRAGMA journal_mode").Should().Be("wal");
        SampleSetFiles.Scalar(db, "PRAGMA integrity_check").Should().Be("ok");
        File.Exists(Path.Combine(scratch, "manifest.json")).Should().BeTrue();
    }

    [Fact]
    public async Task GivenThreeRuns_WhenEachSqliteBackupIsRead_ThenGrowOnlyTablesGrowTheLedgerIsCompleteAndActivityEndsMinutesBeforeTheRun()
    {
        // Given
        var runs = await new SampleBackupGenerator(new SampleBackupOptions { OutputDirectory = scratch, Stores = SampleStores.Sqlite }).GenerateAsync(Ct);
        var previous = new Dictionary<string, long> { ["webhook_events"] = 0, ["review_audit"] = 0 };

        foreach (var run in runs)
        {
            // When
            var folder = Directory.CreateDirectory(Path.Combine(scratch, run.Timestamp)).FullName;
            using var db = SampleSetFiles.OpenSqlite(await SampleSetFiles.GunzipAsync(Path.Combine(scratch, run.SqliteFile!), folder, Ct));
            var counts = SampleSetFiles.SqliteRowCounts(db);

            // Then
            counts["webhook_events"].Should().BeGreaterThan(previous["webhook_events"], run.Timestamp);
            counts["review_audit"].Should().BeGreaterThan(previous["review_audit"], run.Timestamp);
            counts["_selfhost_migrations"].Should().Be(178, run.Timestamp);
            foreach (var (table, column) in new[] { ("webhook_events", "received_at"), ("review_audit", "created_at"), ("review_targets", "updated_at") })
            {
                var newest = DateTimeOffset.Parse(SampleSetFiles.Scalar(db, $"SELECT max({column}) FROM {table}")!, CultureInfo.InvariantCulture);
                newest.Should().BeBefore(run.At).And.BeAfter(run.At.AddMinutes(-10), $"{table}.{column} is the recovery point of {run.Timestamp}");
            }

            SampleSetFiles.Scalar(db, $"SELECT count(*) FROM webhook_events WHERE received_at = '{RowGeneratorSentinel}'").Should().Be("2");
            previous = counts;
        }
    }

    [Theory]
    [InlineData(0, "loopover", "Runs must be between 1 and 7")]
    [InlineData(8, "loopover", "Runs must be between 1 and 7")]
    [InlineData(3, "openreview", "Prefix must be 'loopover' or 'gittensory'")]
    public void GivenBadOptions_WhenTheyAreValidated_ThenTheProblemIsNamed(int runs, string prefix, string problem)
    {
        // Given
        var options = new SampleBackupOptions { OutputDirectory = scratch, Runs = runs, Prefix = prefix };

        // When
        var make = () => new SampleBackupGenerator(options);

        // Then
        make.Should().Throw<ArgumentException>().WithMessage($"{problem}*");
    }

    private const string DeliveriesQuery = "SELECT delivery_id || received_at FROM webhook_events ORDER BY delivery_id";

    private const string RowGeneratorSentinel = "1970-01-01T00:00:00.000Z";

    private long Bytes(string file) => new FileInfo(Path.Combine(generated.Folder, file)).Length;

    private static async Task<List<string>> ColumnAsync(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var values = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection db, string sql)
    {
        await using var command = new NpgsqlCommand(sql, db);
        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }
}
