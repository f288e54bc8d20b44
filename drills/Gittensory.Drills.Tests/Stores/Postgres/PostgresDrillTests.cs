using System.IO.Compression;
using FluentAssertions;
using Gittensory.Drills.Stores.Postgres;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Restore;
using Gittensory.Drills.Safety;
using Gittensory.Drills.Sandbox;
using Xunit;

namespace Gittensory.Drills.Tests.Stores.Postgres;

/// <summary>The Postgres leg end to end against real containers: the sample set drills green, and each broken backup is caught with its message.</summary>
public sealed class PostgresDrillTests(SourceDatabaseFixture source) : IClassFixture<SourceDatabaseFixture>, IDisposable
{
    private readonly List<string> roots = [];
    private readonly string reports = Directory.CreateTempSubdirectory("gdrill-test-reports-").FullName;

    public void Dispose()
    {
        foreach (var root in roots)
        {
            Directory.Delete(root, recursive: true);
        }

        Directory.Delete(reports, recursive: true);
    }

    [Fact]
    public async Task TheCommittedSampleSetRestoresEveryTableWithItsArchivedRowCount()
    {
        await EngineGate.RequireEngineAsync(TestContext.Current.CancellationToken);
        var before = BrokenBackups.Sha256(BrokenBackups.SampleDump);

        var (report, leg) = await DrillAsync(RepoPaths.SampleBackups);

        report.Verdict.Should().Be(DrillVerdict.Passed, report.Problem);
        leg.Checks.Should().OnlyContain(c => c.Verdict == CheckVerdict.Passed || c.Verdict == CheckVerdict.NotApplicable);
        leg.Check(RowCountCheck.Name)!.Verdict.Should().Be(CheckVerdict.Passed);
        leg.Tables.Should().HaveCount(95).And.OnlyContain(t => t.ArchivedRows == t.RestoredRows);
        leg.Tables.Sum(t => t.RestoredRows).Should().BeGreaterThan(0);
        leg.Check(BackupAgeCheck.Name)!.Found.Should().StartWith("the bundled sample set is old by construction");
        leg.Phases.Select(p => p.Name).Should().Equal("preflight-header", "preflight", "sandbox", "restore", "verify");
        leg.Notes.Should().Contain(n => n.EndsWith("tables were counted beside the restore, each once pg_restore had committed its data.", StringComparison.Ordinal))
            .And.Contain(RemovedOnceMeasuredNote, "no later stage of a Postgres-only drill queries the scratch server");
        leg.Restore!.Command.Should().Contain("--verbose");
        leg.Restore.StderrTail.Should().BeEmpty("pg_restore's progress lines are not kept, and it said nothing else");
        leg.Backup!.Sha256.Should().Be(before);
        BrokenBackups.Sha256(BrokenBackups.SampleDump).Should().Be(before);
        File.Exists(Path.Combine(reports, Directory.GetDirectories(reports).Single(d => Path.GetFileName(d) != LatestReport.Folder), "report.md")).Should().BeTrue();
        (await ContainerEngine.CountRunResourcesAsync(report.RunId, TestContext.Current.CancellationToken)).Should().Be((0, 0), "the sandbox is removed at the end");
    }

    [Fact]
    public async Task ARestoreThatFailsMakesEveryCheckOfTheRestoredDatabaseNotApplicableInsteadOfACascadeOfFalseFailures()
    {
        // Given a dump of the public schema alone (pg_dump --schema=public): it carries CREATE SCHEMA public, which fails on a
        // database that has that schema, so pg_restore stops with an error although the archive is whole and passes its preflight
        var ct = TestContext.Current.CancellationToken;
        await EngineGate.RequireEngineAsync(ct);
        await source.ReloadAsync();
        var dump = await source.DumpAsync("-Fc", "--schema=public");

        // When it is drilled
        var (report, leg) = await DrillAsync(Track(BrokenBackups.RootWithDump(dump)));

        // Then the restore fails with pg_restore's own words, and every check of the restored database says it does not apply
        report.Verdict.Should().Be(DrillVerdict.Failed);
        leg.Check(RestoreCheck.Name)!.Verdict.Should().Be(CheckVerdict.Failed);
        leg.Check(RestoreCheck.Name)!.Found.Should().StartWith("exit code 1: pg_restore: error: could not execute query: ERROR:  schema \"public\" already exists");
        leg.Checks.Where(c => c.Verdict == CheckVerdict.Failed).Select(c => c.Name).Should().Equal([RestoreCheck.Name], "nothing else is claimed of a restore that failed");
        foreach (var name in new[] { TableSetCheck.Name, RowCountCheck.Name, ProfileChecks.ExpectedTables, LedgerCheck.Name, SequenceCheck.Name, RecencyCheck.Name })
        {
            leg.Check(name)!.Should().Match<CheckResult>(c => c.Verdict == CheckVerdict.NotApplicable && c.Found.StartsWith("not applicable: the restore failed", StringComparison.Ordinal), name);
        }

        leg.Problem.Should().StartWith("pg_restore");
        leg.Phases.Select(p => p.Name).Should().NotContain("verify");
        leg.Restore!.StderrTail.Should().Contain(l => l.StartsWith("pg_restore: error: could not execute query", StringComparison.Ordinal))
            .And.NotContain(l => PgRestoreLog.IsProgress(l), "the report keeps pg_restore's error and its context, not its progress");
    }

    [Fact]
    public async Task AKeptSandboxStaysForInspectionWithItsPasswordNowhereInTheReport()
    {
        var ct = TestContext.Current.CancellationToken;
        await EngineGate.RequireEngineAsync(ct);
        var outcome = await DrillPipeline.RunAsync(new DrillOptions
        {
            BackupRoot = RepoPaths.SampleBackups,
            BundledSample = true,
            Stores = new HashSet<BackupStore> { BackupStore.Postgres },
            ReportsRoot = reports,
            KeepSandbox = true,
        }, ct);
        try
        {
            (await ContainerEngine.CountRunResourcesAsync(outcome.Report.RunId, ct)).Should().Be((1, 1), "a kept sandbox keeps its scratch server, even one no later stage needs");
            outcome.Report.Leg("postgres")!.Notes.Should().NotContain(RemovedOnceMeasuredNote);
            var sandbox = outcome.Report.Leg("postgres")!.Sandbox!;
            sandbox.Kept.Should().BeTrue();
            sandbox.ScratchConnection.Should().Contain("Password=***");
            var json = await File.ReadAllTextAsync(Path.Combine(outcome.ReportFolder, "report.json"), ct);
            var markdown = await File.ReadAllTextAsync(Path.Combine(outcome.ReportFolder, "report.md"), ct);
            json.Should().Contain("Password=***").And.NotMatchRegex("Password=[^*]");
            markdown.Should().Contain("kept for inspection");
        }
        finally
        {
            await RemoveRunAsync(outcome.Report.RunId);
        }
    }

    private const string RemovedOnceMeasuredNote = "The scratch Postgres was removed once measured, while the offline count finished: no later stage of this drill queries it.";

    private static async Task RemoveRunAsync(string runId)
    {
        using var process = System.Diagnostics.Process.Start("bash", ["-c", $"docker rm -f $(docker ps -aq --filter label={DrillSandbox.RunLabel}={runId}) >/dev/null; docker network rm $(docker network ls -q --filter label={DrillSandbox.RunLabel}={runId}) >/dev/null"]);
        await process!.WaitForExitAsync();
    }

    [Fact]
    public async Task ATruncatedDumpFailsPreflightSayingWhereItEnds()
    {
        var sample = await File.ReadAllBytesAsync(BrokenBackups.SampleDump, TestContext.Current.CancellationToken);

        var (report, check) = await DrillBrokenAsync(sample[..(sample.Length * 6 / 10)], PostgresCheckNames.Archive);

        report.Verdict.Should().Be(DrillVerdict.Failed);
        check.Found.Should().StartWith($"Backup 'postgres/{BrokenBackups.DumpName}' is {sample.Length * 6 / 10} bytes, but its table of contents places the data of table public.")
            .And.EndWith("The file was cut short (disk full while writing, a copy that stopped early, or a file taken while pg_dump was still writing): use an older backup.");
    }

    [Fact]
    public async Task ADumpWithBytesFlippedInsideATablesDataFailsNamingTheTable()
    {
        var ct = TestContext.Current.CancellationToken;
        var bytes = await File.ReadAllBytesAsync(BrokenBackups.SampleDump, ct);
        var archive = await Gittensory.Drills.Preflight.PgArchiveReader.ReadHeaderAndTocAsync(BrokenBackups.SampleDump, ct: ct);
        var target = archive.Entries.Where(e => e.Desc == "TABLE DATA" && e.DataOffset is not null).OrderBy(e => e.DataOffset).Skip(archive.TablesWithData.Count / 2).First();
        var next = archive.Entries.Where(e => e.DataOffset > target.DataOffset).Min(e => e.DataOffset) ?? bytes.Length;
        var middle = (int)((target.DataOffset!.Value + next) / 2);
        for (var i = middle; i < middle + 8; i++)
        {
            bytes[i] ^= 0x5A;
        }

        var (report, check) = await DrillBrokenAsync(bytes, PostgresCheckNames.Archive);

        report.Verdict.Should().Be(DrillVerdict.Failed);
        check.Found.Should().StartWith($"Backup 'postgres/{BrokenBackups.DumpName}' has corrupt data for ").And.Contain(target.Tag);
    }

    [Fact]
    public async Task ADumpMadeWithOneTablesDataExcludedFailsAgainstTheProfile()
    {
        await EngineGate.RequireEngineAsync(TestContext.Current.CancellationToken);
        await source.ReloadAsync();
        var dump = await source.DumpAsync("-Fc", "--exclude-table-data=public.global_moderation_config");

        var (report, leg) = await DrillAsync(Track(BrokenBackups.RootWithDump(dump)));

        report.Verdict.Should().Be(DrillVerdict.Failed);
        leg.Check(TableDataCheck.Name)!.Found.Should().Be("1 tables have no data in the archive (dumped with --exclude-table-data?): public.global_moderation_config");
        leg.Check(ProfileChecks.SingletonRows)!.Found.Should().Be("global_moderation_config holds 0 rows");
        leg.Check(RowCountCheck.Name)!.Verdict.Should().Be(CheckVerdict.Passed, "the archive itself holds no rows for that table");
    }

    [Fact]
    public async Task AnEmptyFileFailsPreflight()
    {
        var (_, check) = await DrillBrokenAsync([], PostgresCheckNames.Archive);

        check.Found.Should().Be($"Backup 'postgres/{BrokenBackups.DumpName}' is empty (0 bytes): pg_dump wrote nothing. Check the backup job's log (a failed connection or a full disk) and use an older backup.");
    }

    [Fact]
    public async Task RandomBytesFailPreflight()
    {
        var random = new byte[4096];
        new Random(7).NextBytes(random);

        var (_, check) = await DrillBrokenAsync(random, PostgresCheckNames.Archive);

        check.Found.Should().StartWith($"Backup 'postgres/{BrokenBackups.DumpName}' is not a pg_dump custom-format archive (it does not start with 'PGDMP'): ");
    }

    [Fact]
    public async Task APlainSqlDumpFailsPreflightSayingWhatItIs()
    {
        await EngineGate.RequireEngineAsync(TestContext.Current.CancellationToken);
        var plain = await source.DumpAsync("-Fp", "--schema-only");

        var (_, check) = await DrillBrokenAsync(plain, PostgresCheckNames.Archive);

        check.Found.Should().StartWith($"Backup 'postgres/{BrokenBackups.DumpName}' is not a pg_dump custom-format archive (it does not start with 'PGDMP'): ")
            .And.Contain("it is a plain-SQL pg_dump script").And.EndWith("make the backup with pg_dump -Fc.");
    }

    [Fact]
    public async Task AGzipFileNamedDumpFailsPreflightSayingItIsGzip()
    {
        using var gz = new MemoryStream();
        await using (var zip = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
        {
            await zip.WriteAsync(await File.ReadAllBytesAsync(BrokenBackups.SampleDump, TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);
        }

        var (_, check) = await DrillBrokenAsync(gz.ToArray(), PostgresCheckNames.Archive);

        check.Found.Should().StartWith($"Backup 'postgres/{BrokenBackups.DumpName}' is not a pg_dump custom-format archive (it does not start with 'PGDMP'): ")
            .And.Contain("gzip");
    }

    [Fact]
    public async Task AManifestWhoseByteCountDisagreesFailsAndTheDrillSaysSo()
    {
        await EngineGate.RequireEngineAsync(TestContext.Current.CancellationToken);
        var root = Track(BrokenBackups.CopyOfSampleSet());
        var manifest = Path.Combine(root, "manifest.json");
        var bytes = new FileInfo(Path.Combine(root, "postgres", BrokenBackups.DumpName)).Length;
        await File.WriteAllTextAsync(manifest, (await File.ReadAllTextAsync(manifest, TestContext.Current.CancellationToken)).Replace($"\"bytes\":{bytes}", $"\"bytes\":{bytes + 1}"), TestContext.Current.CancellationToken);

        var (report, leg) = await DrillAsync(root);

        report.Verdict.Should().Be(DrillVerdict.Failed);
        leg.Check(BackupFinder.ManifestCheckName)!.Found.Should().Be(
            $"manifest.json says 'postgres/{BrokenBackups.DumpName}' has {bytes + 1} bytes, but it has {bytes} on disk: truncated or replaced after the run. The newest backup by name is drilled instead.");
        leg.Checks.Where(c => c.Name != BackupFinder.ManifestCheckName).Should().OnlyContain(c => c.Verdict != CheckVerdict.Failed);
    }

    [Fact]
    public async Task AManifestNamingAFileOutsideTheRootFailsAndIsNeverFollowed()
    {
        await EngineGate.RequireEngineAsync(TestContext.Current.CancellationToken);
        var root = Track(BrokenBackups.CopyOfSampleSet());
        var manifest = Path.Combine(root, "manifest.json");
        await File.WriteAllTextAsync(manifest,
            (await File.ReadAllTextAsync(manifest, TestContext.Current.CancellationToken)).Replace($"\"postgres/{BrokenBackups.DumpName}\"", "\"../../etc/passwd\""),
            TestContext.Current.CancellationToken);

        var (report, leg) = await DrillAsync(root);

        report.Verdict.Should().Be(DrillVerdict.Failed);
        leg.Check(BackupFinder.ManifestCheckName)!.Found.Should().StartWith("manifest.json names '../../etc/passwd', which lies outside the backups root");
        leg.Backup!.File.Should().Be($"postgres/{BrokenBackups.DumpName}");
    }

    [Fact]
    public async Task ADumpNewerThanTheRestoreImageIsRefusedBeforeAnyRestore()
    {
        await EngineGate.RequireEngineAsync(TestContext.Current.CancellationToken);

        // Forced to the 15 image: left to itself the harness would pick a local image of 16 or newer for this dump.
        var image15 = DrillImages.FromEnvironment().PostgresFor(15);
        var (report, check) = await DrillBrokenAsync(BrokenBackups.DumpClaimingPostgres16(), PostgresCheckNames.Image, new DrillImages { Postgres = image15 });

        report.Verdict.Should().Be(DrillVerdict.Error);
        check.Found.Should().MatchRegex(
            $@"^Backup 'postgres/{BrokenBackups.DumpName}' was dumped from PostgreSQL 16\.\S+ .* but the restore image '.+' has pg_restore 15\. Use an image of major version 16 or newer \(set DRILL_POSTGRES_IMAGE");
        report.Legs[0].Phases.Select(p => p.Name).Should().NotContain("restore");
    }

    [Fact]
    public async Task TheLiveDatabaseIsComparedReadOnlyAndPassesWhenItHoldsTheSameRows()
    {
        await EngineGate.RequireEngineAsync(TestContext.Current.CancellationToken);
        await source.ReloadAsync();

        var (report, leg) = await DrillAsync(RepoPaths.SampleBackups, source.Url);

        report.Verdict.Should().Be(DrillVerdict.Passed, report.Problem);
        leg.Check(PostgresCheckNames.LiveSafety)!.Verdict.Should().Be(CheckVerdict.Passed);
        leg.Check(LiveComparisonCheck.Name)!.Found.Should().Be("95 tables compared, 0 differ (live grew since the backup)");
    }

    [Fact]
    public async Task ALiveDatabaseThatLostRowsOfATableThatOnlyGrowsFailsTheComparison()
    {
        await EngineGate.RequireEngineAsync(TestContext.Current.CancellationToken);
        await source.EmptyAsync();

        var (report, leg) = await DrillAsync(RepoPaths.SampleBackups, source.Url);

        report.Verdict.Should().Be(DrillVerdict.Failed);
        leg.Check(LiveComparisonCheck.Name)!.Found.Should().MatchRegex(@"^public\.\S+ only grows, yet the restored copy has \d+ rows and live has 0: rows were lost live, or the backup is not of this database$");
    }

    [Fact]
    public async Task ALiveUrlThatCannotBeFingerprintedIsRefused()
    {
        await EngineGate.RequireEngineAsync(TestContext.Current.CancellationToken);

        var (report, leg) = await DrillAsync(RepoPaths.SampleBackups, "postgres://nobody:nothing@127.0.0.1:1/loopover");

        report.Verdict.Should().Be(DrillVerdict.Error);
        leg.Check(PostgresCheckNames.LiveSafety)!.Found.Should().StartWith("Refused: cannot fingerprint the live database (Host=127.0.0.1;Port=1;");
        leg.Phases.Select(p => p.Name).Should().NotContain("restore");
    }

    [Fact]
    public async Task ALiveUrlPointingAtTheRestoreTargetItselfIsRefused()
    {
        await EngineGate.RequireEngineAsync(TestContext.Current.CancellationToken);

        var open = () => LiveDatabase.OpenAsync(source.Url, source.ConnectionString, TestContext.Current.CancellationToken);

        (await open.Should().ThrowAsync<LiveDatabaseRefusedException>()).Which.Message.Should().MatchRegex(
            @"^Refused: the live database URL points at the scratch restore target itself \(both are 'loopover@\d+'\)\. Give the URL of the live database, or leave -LiveDatabaseUrl out\.$");
    }

    private string Track(string root)
    {
        roots.Add(root);
        return root;
    }

    private async Task<(DrillReport Report, LegReport Leg)> DrillAsync(string root, string? liveUrl = null, DrillImages? images = null)
    {
        var outcome = await DrillPipeline.RunAsync(new DrillOptions
        {
            BackupRoot = root,
            BundledSample = true,
            Stores = new HashSet<BackupStore> { BackupStore.Postgres },
            ReportsRoot = reports,
            LiveDatabaseUrl = liveUrl,
            Images = images ?? DrillImages.FromEnvironment(),
        }, TestContext.Current.CancellationToken);
        File.Exists(Path.Combine(outcome.ReportFolder, "report.json")).Should().BeTrue("a report is written whatever the verdict");
        return (outcome.Report, outcome.Report.Leg("postgres")!);
    }

    private async Task<(DrillReport Report, CheckResult Check)> DrillBrokenAsync(byte[] content, string checkName, DrillImages? images = null)
    {
        var root = Track(BrokenBackups.RootWithDump(content));
        var path = Path.Combine(root, "postgres", BrokenBackups.DumpName);
        var before = BrokenBackups.Sha256(path);

        var (report, leg) = await DrillAsync(root, images: images);

        BrokenBackups.Sha256(path).Should().Be(before, "the drill never changes a backup");
        report.ExitCode.Should().NotBe(0);
        var check = leg.Check(checkName);
        check.Should().NotBeNull($"the {checkName} check should say why; the leg's problem was: {leg.Problem}");
        check!.Verdict.Should().Be(CheckVerdict.Failed);
        leg.Problem.Should().Be(check.Found);
        return (report, check);
    }
}
