using FluentAssertions;
using Gittensory.Drills.Stores.Postgres;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Boot;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Sandbox;
using Xunit;

namespace Gittensory.Drills.Tests.RealDumps;

/// <summary>
/// The Postgres leg on dumps written by real pg_dump 17 (archive 1.16) and with pgvector, in the images ensure-engine.sh built,
/// with the image chosen by the harness itself (no DRILL_POSTGRES_IMAGE); and the refusals that stop a drill before any restore.
/// </summary>
public sealed class RealDumpDrillTests(RealDumpsFixture dumps) : IClassFixture<RealDumpsFixture>, IDisposable
{
    private readonly string reports = Directory.CreateTempSubdirectory("gdrill-test-reports-").FullName;

    public void Dispose() => Directory.Delete(reports, recursive: true);

    [Fact]
    public async Task APgDump17ArchiveRestoresIntoTheLocal17ImageTheHarnessChoseAndEveryCheckPasses()
    {
        var ct = TestContext.Current.CancellationToken;
        await RequireEngineAndNoPinnedImageAsync(ct);
        var set = await dumps.Pg17Async(ct);

        var (report, leg) = await DrillAsync(set.Root, DrillImages.FromEnvironment());

        report.Verdict.Should().Be(DrillVerdict.Passed, report.Problem);
        EveryCheckShouldPass(leg);
        leg.Archive!.ArchiveVersion.Should().StartWith("1.16");
        leg.Archive.DumpedBy.Should().StartWith("17.");
        leg.Images["postgres"].Should().Be(RealDumpsFixture.Image17);
        leg.Notes.Should().Contain($"Postgres image '{RealDumpsFixture.Image17}': the local image of major 17.");
        ShouldHoldExactlyTheGeneratedRows(leg, set, 95);
        leg.Check(ExtensionCheck.Name)!.Found.Should().Be("the archive creates no extension");
    }

    [Fact]
    public async Task APgvectorDumpRestoresWithItsVectorsAnd96TablesAndEveryCheckPasses()
    {
        var ct = TestContext.Current.CancellationToken;
        await RequireEngineAndNoPinnedImageAsync(ct);
        var set = await dumps.PgvectorAsync(ct);

        var (report, leg) = await DrillAsync(set.Root, DrillImages.FromEnvironment());

        report.Verdict.Should().Be(DrillVerdict.Passed, report.Problem);
        EveryCheckShouldPass(leg);
        leg.Images["postgres"].Should().Be(RealDumpsFixture.Image17);
        leg.Check(ExtensionCheck.Name)!.Found.Should().MatchRegex($@"^'{System.Text.RegularExpressions.Regex.Escape(RealDumpsFixture.Image17)}' offers vector \d+\.\d+\.\d+$");
        ShouldHoldExactlyTheGeneratedRows(leg, set, 96);
        leg.Tables.Single(t => t.Name == "public._selfhost_vectors").RestoredRows.Should().Be(16);
    }

    [Fact]
    public async Task ADumpThatCreatesAnExtensionTheImageLacksStopsBeforeTheRestoreWithOneMessage()
    {
        var ct = TestContext.Current.CancellationToken;
        await EngineGate.RequireEngineAsync(ct);
        var root = await dumps.VectorExtensionOn15Async(ct);
        var image15 = RealDumpsFixture.Image15;

        var (report, leg) = await DrillAsync(root, new DrillImages { Postgres = image15 });

        report.ExitCode.Should().Be(2);
        leg.Problem.Should().Be(
            $"Backup 'postgres/{RealDumpsFixture.DumpName}' creates the PostgreSQL extension 'vector' (CREATE EXTENSION in its table of contents), but the restore image " +
            $"'{image15}' does not offer it (pg_available_extensions; vector comes with pgvector), so pg_restore would fail there and every check after it would be " +
            $"about that failure, not the backup. Use {PostgresImageChoice.NewestBuiltLocally}, which has pgvector (fixtures/engine/ensure-engine.sh builds it), " +
            "or another image with the extension (set DRILL_POSTGRES_IMAGE, e.g. pgvector/pgvector:pg{major}).");
        leg.Checks.Where(c => c.Verdict == CheckVerdict.Failed).Select(c => c.Name).Should().Equal(ExtensionCheck.Name);
        leg.Check(PostgresCheckNames.Image)!.Verdict.Should().Be(CheckVerdict.Passed, "the image reads the archive; only the extension is missing");
        leg.Phases.Select(p => p.Name).Should().NotContain("restore").And.NotContain("verify");
        (await ContainerEngine.CountRunResourcesAsync(report.RunId, ct)).Should().Be((0, 0), "the scratch server is removed after the refusal");
    }

    [Fact]
    public async Task APgDump17ArchiveWithOnlyThe15ImageListedExitsTwoNamingTheImageToBuild()
    {
        var ct = TestContext.Current.CancellationToken;
        await EngineGate.RequireEngineAsync(ct);
        var set = await dumps.Pg17Async(ct);
        var image15 = RealDumpsFixture.Image15;

        var (report, leg) = await DrillAsync(set.Root, new DrillImages { LocalPostgres = [image15] });

        report.ExitCode.Should().Be(2);
        leg.Problem.Should().Be(
            $"Backup '{set.Run.PostgresFile}' needs a PostgreSQL 17 or newer server to restore into. No local Postgres image of major 17 or newer: the images file " +
            $"lists {image15} (DRILL_POSTGRES_IMAGES). Run fixtures/engine/ensure-engine.sh, which builds gittensory-drills/postgres:17, or set DRILL_POSTGRES_IMAGE " +
            "to an image of major 17 or newer.");
        leg.Checks.Where(c => c.Verdict == CheckVerdict.Failed).Select(c => c.Name).Should().Equal(PostgresCheckNames.Image);
        leg.Phases.Select(p => p.Name).Should().Equal("preflight-header");
    }

    [Fact]
    public async Task BootingTheAppWithA15ImageIsRefusedBeforeTheRestoreSayingTheServerNeeds16()
    {
        var ct = TestContext.Current.CancellationToken;
        await EngineGate.RequireEngineAsync(ct);
        var image15 = RealDumpsFixture.Image15;

        var (report, leg) = await DrillAsync(RepoPaths.SampleBackups, DrillImages.FromEnvironment() with { Postgres = image15, LocalPostgres = [] }, new AppBootOptions { Image = "gittensory-drills/loopover-standin:latest" });

        report.ExitCode.Should().Be(2);
        leg.Problem.Should().Be(
            "-BootApp needs PostgreSQL 16 or newer: LoopOver self-hosted server does not boot on an older server (its migrations target PostgreSQL 16 and newer: " +
            "migration 0083 uses a subquery in FROM without an alias, which PostgreSQL 15 rejects, so the boot dies there). " +
            $"The restore image '{image15}' is PostgreSQL 15, so the boot would fail for that reason, not because of the backup. Use an image of major 16 or newer " +
            "(gittensory-drills/postgres:17, which fixtures/engine/ensure-engine.sh builds, or set DRILL_POSTGRES_IMAGE), or drill without -BootApp.");
        leg.Check(AppServerVersionCheck.Name)!.Verdict.Should().Be(CheckVerdict.Failed);
        leg.Phases.Select(p => p.Name).Should().Equal("preflight-header", "preflight", "sandbox");
    }

    [Fact]
    public async Task WhatIfShowsThe15DumpWouldRestoreIntoThe17ImageWhenTheAppIsBooted()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = Options(RepoPaths.SampleBackups, new DrillImages { LocalPostgres = ["gittensory-drills/postgres:15", "gittensory-drills/postgres:17"] }) with
        {
            BootApp = new AppBootOptions { Image = "gittensory-drills/loopover-standin:latest" },
        };

        var lines = await DrillPlan.DescribeAsync(options, ct);
        var plain = await DrillPlan.DescribeAsync(options with { BootApp = null }, ct);

        lines.Should().Contain("Postgres image: 'gittensory-drills/postgres:17' (no local image of major 16 (-BootApp: the application needs PostgreSQL 16 or newer); " +
                               "using gittensory-drills/postgres:17, the smallest newer one), for a dump from PostgreSQL 15.18 (Debian 15.18-0+deb12u1) by pg_dump 15.18 (Debian 15.18-0+deb12u1), archive 1.14.0.");
        plain.Should().ContainMatch("Postgres image: 'gittensory-drills/postgres:15' (the local image of major 15), for a dump from PostgreSQL 15.*");
    }

    private static async Task RequireEngineAndNoPinnedImageAsync(CancellationToken ct)
    {
        await EngineGate.RequireEngineAsync(ct);
        Environment.GetEnvironmentVariable("DRILL_POSTGRES_IMAGE").Should().BeNullOrEmpty("these tests prove the harness picks the image by itself");
        DrillImages.FromEnvironment().LocalPostgres.Should().Contain(RealDumpsFixture.Image17, "ensure-engine.sh lists the 17 image in the images file");
    }

    private static void EveryCheckShouldPass(LegReport leg)
    {
        var because = string.Join("; ", leg.Checks.Select(c => $"{c.Name} {c.Verdict}: {c.Found}"));
        leg.Checks.Where(c => c.Verdict != CheckVerdict.Passed).Select(c => c.Name).Should().Equal([LiveComparisonCheck.Name], "only the live comparison does not apply (no live database): " + because);
        leg.Checks.Should().HaveCountGreaterThan(15);
    }

    private static void ShouldHoldExactlyTheGeneratedRows(LegReport leg, GeneratedSet set, int tables)
    {
        leg.Tables.Should().HaveCount(tables).And.OnlyContain(t => t.ArchivedRows == t.RestoredRows);
        leg.Tables.ToDictionary(t => t.Name["public.".Length..], t => t.RestoredRows!.Value).Should().Equal(set.Run.RowCounts);
    }

    private DrillOptions Options(string root, DrillImages images) => new()
    {
        BackupRoot = root,
        BundledSample = root == RepoPaths.SampleBackups,
        Stores = new HashSet<BackupStore> { BackupStore.Postgres },
        ReportsRoot = reports,
        Images = images,
    };

    private async Task<(DrillReport Report, LegReport Leg)> DrillAsync(string root, DrillImages images, AppBootOptions? boot = null)
    {
        var outcome = await DrillPipeline.RunAsync(Options(root, images) with { BootApp = boot }, TestContext.Current.CancellationToken);
        File.Exists(Path.Combine(outcome.ReportFolder, "report.json")).Should().BeTrue("a report is written whatever the verdict");
        return (outcome.Report, outcome.Report.Leg("postgres")!);
    }
}
