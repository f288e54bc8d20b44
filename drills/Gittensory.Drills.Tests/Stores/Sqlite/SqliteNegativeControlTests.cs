using System.Buffers.Binary;
using FluentAssertions;
using Gittensory.Drills.Stores.Sqlite;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.Reporting;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Gittensory.Drills.Tests.Stores.Sqlite;

/// <summary>
/// Negative controls: a copy of the sample set broken one way at a time must not pass, with the failure named exactly;
/// and the broken backup itself is never changed by the drill, nothing is written beside it, nothing is left in the temporary folder.
/// </summary>
public sealed class SqliteNegativeControlTests : IDisposable
{
    private const string Newest = SampleSetCopy.NewestSqlite;
    private readonly SampleSetCopy set = new();

    public void Dispose() => set.Dispose();

    [Fact]
    public async Task GivenAGzipTruncatedInTheMiddle_WhenDrilled_ThenTheGzipCheckFailsSayingItIsTruncated()
    {
        // Given
        var whole = await File.ReadAllBytesAsync(set.PathOf(Newest), TestContext.Current.CancellationToken);
        set.ReplaceNewestSqlite(whole[..(whole.Length / 2)]);

        // When it is drilled by name (left to itself, the scan skips a newest backup cut short for the newest complete one)
        var leg = await DrillSqliteAsync(DrillVerdict.Failed, o => o with { Backup = Newest });

        // Then
        OnlyFailure(leg, SqliteCheckNames.Gzip).Should().Be(
            $"Backup '{Newest}' is truncated: its 70,636 bytes end before its compressed data does. " +
            "The file was cut short after gzip wrote it (a full disk, an interrupted copy); drill an older backup with -Backup.");
    }

    [Fact]
    public async Task GivenAGzipWithAWrongCrc_WhenDrilled_ThenTheGzipCheckFailsNamingTheRecordedAndTheActualCrc()
    {
        // Given
        var bytes = await File.ReadAllBytesAsync(set.PathOf(Newest), TestContext.Current.CancellationToken);
        var actual = GzipBytes.TrailerCrc(bytes);
        var recorded = actual ^ 0x00010000;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 8), recorded);
        set.ReplaceNewestSqlite(bytes);

        // When
        var leg = await DrillSqliteAsync(DrillVerdict.Failed);

        // Then
        OnlyFailure(leg, SqliteCheckNames.Gzip).Should().Be(
            $"Backup '{Newest}' is corrupt: its gzip trailer records CRC-32 {recorded:x8} and length 1,372,160, but its data expanded to CRC-32 {actual:x8} " +
            "and length 1,372,160. The file was damaged or cut short after gzip wrote it; drill an older backup with -Backup.");
    }

    [Theory]
    [InlineData(250, 1, 100)]
    [InlineData(250, 8, 0)]
    public async Task GivenAValidGzipOfADatabaseWithOverwrittenPages_WhenDrilled_ThenTheIntegrityCheckFailsWithSqlitesOwnProblems(int firstPage, int pages, int keepHeaderBytes)
    {
        // Given pages of repo_chunks' data (page 250 is one of its leaves in the committed set) overwritten, then gzipped soundly:
        // the cells of one page zeroed behind its header, or eight whole pages of garbage
        var ct = TestContext.Current.CancellationToken;
        var database = await set.ExpandNewestAsync(ct);
        var bytes = await File.ReadAllBytesAsync(database, ct);
        bytes.AsSpan(((firstPage - 1) * 4096) + keepHeaderBytes, (pages * 4096) - keepHeaderBytes).Fill(keepHeaderBytes > 0 ? (byte)0 : (byte)0xa5);
        await File.WriteAllBytesAsync(database, bytes, ct);
        set.ReplaceNewestSqlite(SampleSetCopy.Gzip(bytes));
        var (problems, stoppedBy) = await IntegrityRowsAsync(database, ct);
        problems.Should().NotBeEmpty().And.NotEqual(["ok"], "the overwritten pages must break the file for this control to mean anything");

        // When
        var leg = await DrillSqliteAsync(DrillVerdict.Failed);

        // Then
        List<string> expected = [.. problems, .. stoppedBy is null ? [] : new[] { $"integrity_check stopped before its end: {stoppedBy}" }];
        leg.Check(SqliteCheckNames.Gzip)!.Verdict.Should().Be(CheckVerdict.Passed);
        OnlyFailure(leg, SqliteCheckNames.Integrity).Should().Be($"PRAGMA integrity_check found {expected.Count} problems; the first: {problems[0]}");
        leg.Check(SqliteCheckNames.Integrity)!.Details.Should().Equal(expected);
    }

    [Fact]
    public async Task GivenAValidGzipOfATextFile_WhenDrilled_ThenTheIntegrityCheckFailsSayingItIsNotASqliteDatabase()
    {
        set.ReplaceNewestSqlite(SampleSetCopy.Gzip("this is not a database\n"u8.ToArray()));

        var leg = await DrillSqliteAsync(DrillVerdict.Failed);

        OnlyFailure(leg, SqliteCheckNames.Integrity).Should().Be(
            $"'{Newest}' expanded to 23 bytes that are not a SQLite database: they begin with " +
            "'this is not a da' (74 68 69 73 20 69 73 20 6e 6f 74 20 61 20 64 61) instead of 'SQLite format 3'.");
    }

    [Fact]
    public async Task GivenABombThatExpandsPastTheRatio_WhenDrilled_ThenTheDrillCannotRunAndSaysWhichLimitAndHowToRaiseIt()
    {
        // Given 20 MB of zeros in a gzip of about 20 KB
        var bomb = SampleSetCopy.Gzip(new byte[20 << 20]);
        set.ReplaceNewestSqlite(bomb);

        // When
        var leg = await DrillSqliteAsync(DrillVerdict.Error);

        // Then
        OnlyFailure(leg, SqliteCheckNames.Gzip).Should().Be(
            $"Backup '{Newest}' expands to more than 200 times its {bomb.Length:N0} compressed bytes ({bomb.Length * 200L:N0} bytes), " +
            "so the drill stopped expanding it: a guard against a decompression bomb. If the database really compresses that well, " +
            "raise the limit with -MaxExpansionRatio (--max-expansion-ratio).");
    }

    [Fact]
    public async Task GivenTheSameBombAndAHigherRatio_WhenDrilled_ThenItExpandsAndIsFoundNotToBeADatabase()
    {
        set.ReplaceNewestSqlite(SampleSetCopy.Gzip(new byte[20 << 20]));

        var leg = await DrillSqliteAsync(DrillVerdict.Failed, o => o with { MaxExpansionRatio = 5000 });

        leg.Check(SqliteCheckNames.Gzip)!.Verdict.Should().Be(CheckVerdict.Passed);
        OnlyFailure(leg, SqliteCheckNames.Integrity).Should().Be(
            $"'{Newest}' expanded to 20,971,520 bytes that are not a SQLite database: they begin with 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 instead of 'SQLite format 3'.");
    }

    [Theory]
    [InlineData("DELETE FROM global_agent_controls", ProfileChecks.SingletonRows, "global_agent_controls holds 0 rows")]
    [InlineData("DELETE FROM _selfhost_migrations", LedgerCheck.Name,
        "_selfhost_migrations is empty: booting the application would re-run every migration, and some of them drop or rewrite data")]
    public async Task GivenADatabaseWithATablesRowsDeleted_WhenDrilled_ThenTheProfileCatchesIt(string sql, string check, string found)
    {
        // Given a sound file whose data the profile knows to be wrong
        await set.EditNewestDatabaseAsync(sql, TestContext.Current.CancellationToken);

        // When
        var leg = await DrillSqliteAsync(DrillVerdict.Failed);

        // Then
        leg.Check(SqliteCheckNames.Integrity)!.Verdict.Should().Be(CheckVerdict.Passed);
        var failed = leg.Check(check)!;
        failed.Verdict.Should().Be(CheckVerdict.Failed);
        failed.Found.Should().Be(found);
        leg.Check(ProfileChecks.NonEmptyTables)!.Found.Should().Be(sql.Contains("global", StringComparison.Ordinal)
            ? "global_agent_controls is empty"
            : "_selfhost_migrations is empty");
    }

    [Fact]
    public async Task GivenARowReferringToAMissingParent_WhenDrilled_ThenTheForeignKeyCheckWarnsNamingTheRowAndTheDrillStillPasses()
    {
        // Given a sound file with a declared foreign key and an orphan row (SQLite did not enforce it: foreign_keys was off)
        await set.EditNewestDatabaseAsync(
            "PRAGMA foreign_keys = OFF; CREATE TABLE _selfhost_fk_parent (id INTEGER PRIMARY KEY); " +
            "CREATE TABLE _selfhost_fk_child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES _selfhost_fk_parent(id)); " +
            "INSERT INTO _selfhost_fk_child VALUES (7, 42);",
            TestContext.Current.CancellationToken);

        // When
        var leg = await DrillSqliteAsync(DrillVerdict.Passed);

        // Then
        var check = leg.Check(SqliteCheckNames.ForeignKeys)!;
        check.Verdict.Should().Be(CheckVerdict.Warning);
        check.Found.Should().Be(
            "1 rows refer to missing parent rows; the first: _selfhost_fk_child row 7 refers to a missing row of _selfhost_fk_parent. " +
            "SQLite enforces foreign keys only on connections that turn them on, so the live database may hold the same rows.");
        leg.Check(ProfileChecks.ExpectedTables)!.Verdict.Should().Be(CheckVerdict.Warning, "the two tables are not in the profile; named _selfhost_* so the application table count stays 91");
    }

    [Fact]
    public async Task GivenASetWhoseNewestBackupIsOlderThanTheMaximumAge_WhenDrilled_ThenTheLegAndTheSetBothFailOnAge()
    {
        // Given the sample set judged 30 hours after its newest run
        var late = new FixedClock(SampleSetCopy.NewestRun.AddHours(30));

        // When
        var (report, leg) = await DrillAsync(DrillVerdict.Failed, o => o with { Clock = late });

        // Then
        const string stale = "taken 2026-07-04 09:09:39Z, 30 h ago: older than 26 h. Is the backup job running? (LoopOver alerts at 26 h)";
        OnlyFailure(leg, BackupAgeCheck.Name).Should().Be(stale);
        report.SetChecks.Where(c => c.Verdict == CheckVerdict.Failed).Select(c => (c.Name, c.Found)).Should().Equal(
            ("set.age.postgres", "postgres/loopover-20260704T090939Z.dump, " + stale),
            ("set.age.sqlite", $"{Newest}, " + stale));
        report.Problem.Should().Be("The backup is recent enough: " + stale);
    }

    [Fact]
    public async Task GivenAManifestThatDisagreesWithTheDisk_WhenDrilled_ThenTheSetAndTheLegFailAndTheNewestByNameIsDrilled()
    {
        // Given
        set.EditManifest(m => m["sqlite"]!["bytes"] = 141_271);

        // When
        var (report, leg) = await DrillAsync(DrillVerdict.Failed);

        // Then
        const string disagrees = $"manifest.json says '{Newest}' has 141271 bytes, but it has 141272 on disk: " +
                                 "truncated or replaced after the run. The newest backup by name is drilled instead.";
        report.SetChecks.Where(c => c.Verdict == CheckVerdict.Failed).Select(c => (c.Name, c.Found)).Should().Equal((BackupSetHealth.ManifestCheck, disagrees));
        OnlyFailure(leg, BackupFinder.ManifestCheckName).Should().Be(disagrees);
        leg.Reason.Should().Be($"{Newest}, chosen by file name");
        leg.Check(SqliteCheckNames.Integrity)!.Verdict.Should().Be(CheckVerdict.Passed);
    }

    [Fact]
    public async Task GivenAFolderHoldingMoreBackupsThanRetain_WhenDrilled_ThenItIsAWarningNotAFailure()
    {
        // Given seven older SQLite backups beside the three of the set, with retain 7
        foreach (var day in new[] { "0625", "0626", "0627", "0628", "0629", "0630", "0701" })
        {
            File.Copy(set.PathOf("sqlite/loopover-20260702T090939Z.sqlite.gz"), set.PathOf($"sqlite/loopover-2026{day}T090939Z.sqlite.gz"));
        }

        // When
        var (report, _) = await DrillAsync(DrillVerdict.Passed);

        // Then
        var retention = report.SetCheck(BackupSetHealth.RetentionCheck(BackupStore.Sqlite))!;
        retention.Verdict.Should().Be(CheckVerdict.Warning);
        retention.Found.Should().Be("10 backups, oldest 2026-06-25 09:09:39Z, newest 2026-07-04 09:09:39Z: 3 more than retain 7, " +
                                    "so old backups are not being pruned (LoopOver skips the SQLite prune for a run whose SQLite backup failed)");
        retention.Details.Should().HaveCount(10);
    }

    private async Task<LegReport> DrillSqliteAsync(DrillVerdict expected, Func<DrillOptions, DrillOptions>? change = null) =>
        (await DrillAsync(expected, change)).Leg;

    /// <summary>Drills the copy and checks the verdict, that the backups are byte for byte as before, and that nothing is left in the temporary folder.</summary>
    private async Task<(DrillReport Report, LegReport Leg)> DrillAsync(DrillVerdict expected, Func<DrillOptions, DrillOptions>? change = null)
    {
        var before = set.Fingerprint();
        var options = (change ?? (o => o))(set.Options());

        var outcome = await DrillPipeline.RunAsync(options, TestContext.Current.CancellationToken);

        outcome.Report.Verdict.Should().Be(expected, outcome.Report.Problem);
        set.Fingerprint().Should().Equal(before, "the drill never changes a backup, and writes no -wal or -shm beside one");
        Directory.EnumerateFileSystemEntries(set.TempRoot).Should().BeEmpty("the scratch folder is removed, also when the drill fails");
        return (outcome.Report, outcome.Report.Leg("sqlite")!);
    }

    /// <summary>The found text of <paramref name="check"/>, after asserting it is the leg's only failed check.</summary>
    private static string OnlyFailure(LegReport leg, string check)
    {
        leg.Checks.Where(c => c.Verdict == CheckVerdict.Failed).Select(c => c.Name).Should().Equal([check], leg.Problem);
        return leg.Check(check)!.Found;
    }

    /// <summary>PRAGMA integrity_check's rows read independently of the drill (SQLite names the database before its first problem), and the error it stopped with, if any.</summary>
    private static async Task<(List<string> Rows, string? StoppedBy)> IntegrityRowsAsync(string database, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        var rows = new List<string>();
        try
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(reader.GetString(0).Replace("*** in database main ***\n", "", StringComparison.Ordinal));
            }
        }
        catch (SqliteException e)
        {
            return (rows, e.Message);
        }

        return (rows, null);
    }
}
