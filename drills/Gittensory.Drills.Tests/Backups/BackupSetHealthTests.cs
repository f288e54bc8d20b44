using FluentAssertions;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Xunit;

namespace Gittensory.Drills.Tests.Backups;

public sealed class BackupSetHealthTests : IDisposable
{
    private static readonly string[] Prefixes = ["loopover", "gittensory"];
    private static readonly DateTimeOffset Newest = new(2026, 7, 4, 9, 9, 39, TimeSpan.Zero);
    private static readonly TimeSpan MaxAge = TimeSpan.FromHours(26);
    private readonly TempBackupRoot root = new();

    public void Dispose() => root.Dispose();

    [Fact]
    public async Task GivenAHealthySetOfThreeRuns_WhenJudgedAnHourLater_ThenEveryCheckPassesAndQdrantsDoNotApply()
    {
        // Given
        WriteRuns("20260702T090939Z", "20260703T090939Z", "20260704T090939Z");
        WriteManifest("20260704T090939Z");

        // When
        var checks = await EvaluateAsync(Newest.AddHours(1));

        // Then
        checks.Select(c => (c.Name, c.Verdict)).Should().Equal(
            ("set.retention.postgres", CheckVerdict.Passed), ("set.age.postgres", CheckVerdict.Passed), ("set.choice.postgres", CheckVerdict.NotApplicable),
            ("set.retention.sqlite", CheckVerdict.Passed), ("set.age.sqlite", CheckVerdict.Passed), ("set.choice.sqlite", CheckVerdict.NotApplicable),
            ("set.retention.qdrant", CheckVerdict.NotApplicable), ("set.age.qdrant", CheckVerdict.NotApplicable), ("set.choice.qdrant", CheckVerdict.NotApplicable),
            (BackupSetHealth.ManifestCheck, CheckVerdict.Passed), (BackupSetHealth.ManifestNewestCheck, CheckVerdict.Passed),
            (BackupSetHealth.NewestRunCheck, CheckVerdict.Passed), (BackupSetHealth.StrayFilesCheck, CheckVerdict.Passed));
        Check(checks, "set.retention.sqlite").Found.Should().Be("3 backups, oldest 2026-07-02 09:09:39Z, newest 2026-07-04 09:09:39Z");
        Check(checks, "set.age.sqlite").Found.Should().Be("sqlite/loopover-20260704T090939Z.sqlite.gz, taken 2026-07-04 09:09:39Z, 1 h ago");
        Check(checks, "set.retention.qdrant").Found.Should().Be("no qdrant/ folder under the root");
        Check(checks, "set.choice.postgres").Found.Should().Be(
            "postgres/loopover-20260704T090939Z.dump does not start like a pg_dump custom-format archive; the preflight says what it is");
    }

    [Fact]
    public async Task GivenAFolderHoldingMoreBackupsThanRetain_WhenJudged_ThenItIsAWarningCountingTheExtraOnes()
    {
        WriteRuns("20260701T090939Z", "20260702T090939Z", "20260703T090939Z", "20260704T090939Z");
        WriteManifest("20260704T090939Z", retain: 2);

        var checks = await EvaluateAsync(Newest.AddHours(1));

        var postgres = Check(checks, "set.retention.postgres");
        postgres.Verdict.Should().Be(CheckVerdict.Warning);
        postgres.Expected.Should().Be("at most 2 backups (retain 2 in manifest.json)");
        postgres.Found.Should().Be("4 backups, oldest 2026-07-01 09:09:39Z, newest 2026-07-04 09:09:39Z: 2 more than retain 2, so old backups are not being pruned");
        postgres.Details.Should().Equal(
            "postgres/loopover-20260704T090939Z.dump, 16 bytes", "postgres/loopover-20260703T090939Z.dump, 16 bytes",
            "postgres/loopover-20260702T090939Z.dump, 16 bytes", "postgres/loopover-20260701T090939Z.dump, 16 bytes");
    }

    [Fact]
    public async Task GivenRetainZero_WhenJudged_ThenItMeansOneAsItDoesForLoopOver()
    {
        WriteRuns("20260703T090939Z", "20260704T090939Z");
        WriteManifest("20260704T090939Z", retain: 0);

        var checks = await EvaluateAsync(Newest.AddHours(1));

        var sqlite = Check(checks, "set.retention.sqlite");
        sqlite.Verdict.Should().Be(CheckVerdict.Warning);
        sqlite.Expected.Should().Be("at most 1 backups (retain 0 in manifest.json, which LoopOver treats as 1)");
        sqlite.Found.Should().EndWith(": 1 more than retain 1, so old backups are not being pruned (LoopOver skips the SQLite prune for a run whose SQLite backup failed)");
    }

    [Fact]
    public async Task GivenAManifestWhoseFileIsMissing_WhenJudged_ThenTheManifestCheckFailsNamingIt()
    {
        WriteRuns("20260703T090939Z");
        WriteManifest("20260704T090939Z");

        var checks = await EvaluateAsync(Newest.AddHours(1));

        var manifest = Check(checks, BackupSetHealth.ManifestCheck);
        manifest.Verdict.Should().Be(CheckVerdict.Failed);
        manifest.Found.Should().Be("manifest.json names 'postgres/loopover-20260704T090939Z.dump', which does not exist. Was it pruned or moved? " +
                                   "The newest backup by name is drilled instead. (and 1 more)");
        manifest.Details.Should().HaveCount(2);
    }

    [Fact]
    public async Task GivenAManifestWhoseByteCountDisagrees_WhenJudged_ThenTheManifestCheckFailsWithBothCounts()
    {
        WriteRuns("20260704T090939Z");
        root.WriteManifest("""
            {"ts":"20260704T090939Z","postgres":{"file":"postgres/loopover-20260704T090939Z.dump","bytes":16},
             "sqlite":{"file":"sqlite/loopover-20260704T090939Z.sqlite.gz","bytes":17},"qdrant":{"file":null},"retain":7}
            """);

        var checks = await EvaluateAsync(Newest.AddHours(1));

        Check(checks, BackupSetHealth.ManifestCheck).Found.Should().Be(
            "manifest.json says 'sqlite/loopover-20260704T090939Z.sqlite.gz' has 17 bytes, but it has 16 on disk: truncated or replaced after the run. " +
            "The newest backup by name is drilled instead.");
    }

    [Fact]
    public async Task GivenAFolderWhoseNewestFileIsNewerThanTheManifest_WhenJudged_ThenARunThatDidNotFinishIsReported()
    {
        // Given a run of 07-05 that wrote its dump, then failed before the SQLite backup and the manifest
        WriteRuns("20260703T090939Z", "20260704T090939Z");
        root.Write("postgres/loopover-20260705T090939Z.dump");
        WriteManifest("20260704T090939Z");

        // When
        var checks = await EvaluateAsync(Newest.AddHours(25));

        // Then
        var newest = Check(checks, BackupSetHealth.ManifestNewestCheck);
        newest.Verdict.Should().Be(CheckVerdict.Warning);
        newest.Found.Should().Be("postgres/loopover-20260705T090939Z.dump is newer than the manifest's run 20260704T090939Z: " +
                                 "a backup run that did not finish (LoopOver rewrites the manifest only when a run finishes)");
        var run = Check(checks, BackupSetHealth.NewestRunCheck);
        run.Verdict.Should().Be(CheckVerdict.Failed);
        run.Expected.Should().Be("a backup of the newest run (20260705T090939Z) in each of postgres/ and sqlite/");
        run.Found.Should().Be("the newest run 20260705T090939Z has a backup in postgres/ but none in sqlite/ (its newest there: sqlite/loopover-20260704T090939Z.sqlite.gz): " +
                              "that run wrote no Sqlite backup, or it was removed since. The backup job's log for that run says why.");
    }

    [Fact]
    public async Task GivenFilesThatAreNotBackups_WhenJudged_ThenEachIsListedWithItsSizeAndNothingIsGuessed()
    {
        WriteRuns("20260704T090939Z");
        WriteManifest("20260704T090939Z");
        root.Write("manifest.json.tmp", bytes: 3);
        root.Write("sqlite/.loopover-20260705T090939Z.sqlite.gz.partial", bytes: 1234);
        root.Write("postgres/loopover-latest.dump", bytes: 5);
        Directory.CreateDirectory(Path.Combine(root.Path, "sqlite", "old"));

        var checks = await EvaluateAsync(Newest.AddHours(1));

        var stray = Check(checks, BackupSetHealth.StrayFilesCheck);
        stray.Verdict.Should().Be(CheckVerdict.Warning);
        stray.Details.Should().Equal(
            "manifest.json.tmp (3 bytes)", "postgres/loopover-latest.dump (5 bytes)", "sqlite/.loopover-20260705T090939Z.sqlite.gz.partial (1,234 bytes)", "sqlite/old/ (a folder)");
        stray.Found.Should().StartWith("4 entries that are not backups: manifest.json.tmp (3 bytes); ");
    }

    [Fact]
    public async Task GivenASetWhoseNewestBackupsAreStale_WhenJudged_ThenEachFoldersAgeFails()
    {
        WriteRuns("20260704T090939Z");
        WriteManifest("20260704T090939Z");

        var checks = await EvaluateAsync(Newest.AddHours(30));

        Check(checks, "set.age.postgres").Found.Should().Be(
            "postgres/loopover-20260704T090939Z.dump, taken 2026-07-04 09:09:39Z, 30 h ago: older than 26 h. Is the backup job running? (LoopOver alerts at 26 h)");
        Check(checks, "set.age.sqlite").Verdict.Should().Be(CheckVerdict.Failed);
    }

    [Fact]
    public async Task GivenTheBundledSampleReason_WhenJudged_ThenAgeIsNotJudgedAndTheReasonIsShown()
    {
        WriteRuns("20260704T090939Z");

        var checks = await BackupSetHealth.EvaluateAsync(root.Path, Prefixes, Newest.AddDays(300), MaxAge, "old by construction", TestContext.Current.CancellationToken);

        Check(checks, "set.age.sqlite").Should().Match<CheckResult>(c => c.Verdict == CheckVerdict.NotApplicable && c.Found == "old by construction");
    }

    [Fact]
    public async Task GivenASetFromBeforeManifests_WhenJudged_ThenTheManifestChecksDoNotApplyAndRetentionStillCounts()
    {
        root.Write("postgres/gittensory-20260703T090939Z.dump");
        root.Write("postgres/gittensory-20260704T090939Z.dump");

        var checks = await EvaluateAsync(Newest.AddHours(1));

        Check(checks, "set.retention.postgres").Should().Match<CheckResult>(c => c.Verdict == CheckVerdict.NotApplicable &&
            c.Found == "2 backups, oldest 2026-07-03 09:09:39Z, newest 2026-07-04 09:09:39Z; no manifest.json records retain (BACKUP_RETAIN)");
        checks.Where(c => c.Name.StartsWith("set.manifest", StringComparison.Ordinal) || c.Name == BackupSetHealth.NewestRunCheck)
            .Should().HaveCount(3).And.OnlyContain(c => c.Verdict == CheckVerdict.NotApplicable);
        Check(checks, "set.age.postgres").Verdict.Should().Be(CheckVerdict.Passed);
    }

    [Fact]
    public async Task GivenQdrantSnapshots_WhenJudged_ThenTheirOwnTimeStampsCountAndTheManifestNeedsNoByteCount()
    {
        WriteRuns("20260704T090939Z");
        root.Write("qdrant/full-snapshot-2026-07-04-09-09-39.snapshot", bytes: 40);
        root.Write("qdrant/full-snapshot-2026-07-03-09-09-41.snapshot", bytes: 40);
        root.Write("qdrant/full-snapshot-2026-07-04-09-09-39.snapshot.checksum", bytes: 64);
        root.WriteManifest("""
            {"ts":"20260704T090939Z","postgres":null,"sqlite":{"file":"sqlite/loopover-20260704T090939Z.sqlite.gz","bytes":16},
             "qdrant":{"file":"qdrant/full-snapshot-2026-07-04-09-09-39.snapshot"},"retain":7}
            """);

        var checks = await EvaluateAsync(Newest.AddHours(1));

        Check(checks, "set.retention.qdrant").Should().Match<CheckResult>(c => c.Verdict == CheckVerdict.Passed &&
            c.Found == "2 backups, oldest 2026-07-03 09:09:41Z, newest 2026-07-04 09:09:39Z");
        Check(checks, "set.age.qdrant").Verdict.Should().Be(CheckVerdict.Passed);
        Check(checks, BackupSetHealth.ManifestCheck).Verdict.Should().Be(CheckVerdict.Passed);
        Check(checks, BackupSetHealth.StrayFilesCheck).Verdict.Should().Be(CheckVerdict.Passed);
    }

    private Task<IReadOnlyList<CheckResult>> EvaluateAsync(DateTimeOffset now) =>
        BackupSetHealth.EvaluateAsync(root.Path, Prefixes, now, MaxAge, ct: TestContext.Current.CancellationToken);

    private static CheckResult Check(IReadOnlyList<CheckResult> checks, string name) => checks.Single(c => c.Name == name);

    private void WriteRuns(params string[] timestamps)
    {
        foreach (var ts in timestamps)
        {
            root.Write($"postgres/loopover-{ts}.dump");
            root.Write($"sqlite/loopover-{ts}.sqlite.gz");
        }
    }

    private void WriteManifest(string ts, int retain = 7) => root.WriteManifest(
        $$"""{"ts":"{{ts}}","postgres":{"file":"postgres/loopover-{{ts}}.dump","bytes":16},"sqlite":{"file":"sqlite/loopover-{{ts}}.sqlite.gz","bytes":16},"qdrant":{"file":null},"retain":{{retain}}}""");
}
