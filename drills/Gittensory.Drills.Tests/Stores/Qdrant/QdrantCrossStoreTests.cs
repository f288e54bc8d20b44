using FluentAssertions;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Tests.Stores.Postgres;
using Npgsql;
using Xunit;

namespace Gittensory.Drills.Tests.Stores.Qdrant;

/// <summary>Both stores in one drill: the real Postgres store restores the sample dump, and the cross-store stage asks that restored database for the sampled points' rows (Qdrant: stand-in).</summary>
public sealed class QdrantCrossStoreTests(SourceDatabaseFixture source) : IClassFixture<SourceDatabaseFixture>, IDisposable
{
    private readonly string root = BrokenBackups.CopyOfSampleSet();
    private readonly string reports = Directory.CreateTempSubdirectory("gdrill-test-reports-").FullName;

    public void Dispose()
    {
        Directory.Delete(root, recursive: true);
        Directory.Delete(reports, recursive: true);
    }

    [Fact]
    public async Task TheCrossStoreChecksFindEveryPointsRowInTheRestoredPostgresDatabase()
    {
        // Given the committed sample set, plus (built here, never committed) a snapshot taken 2.4 minutes after its newest dump,
        // whose points are exactly the dump's repo_chunks rows
        var ct = TestContext.Current.CancellationToken;
        await EngineGate.RequireEngineAsync(ct);
        await source.ReloadAsync();
        var ids = await ChunkIdsAsync(ct);
        var taken = new DateTimeOffset(2026, 7, 4, 9, 12, 5, TimeSpan.Zero);
        Directory.CreateDirectory(Path.Combine(root, "qdrant"));
        await File.WriteAllBytesAsync(Path.Combine(root, "qdrant", QdrantLayout.FullName(taken)), QdrantLayout.Full(new TestCollection { Taken = taken }), ct);

        // When both stores are drilled in one drill
        var outcome = await DrillPipeline.RunAsync(new DrillOptions
        {
            BackupRoot = root,
            BundledSample = true,
            Stores = new HashSet<BackupStore> { BackupStore.Postgres, BackupStore.Qdrant },
            ReportsRoot = reports,
        }, new DrillServices(StandInHost.Serving(StandInHost.PointsFor("loopover", ids))), ct);

        // Then the Qdrant store's points were compared with the rows of the restored Postgres database
        outcome.Report.Verdict.Should().Be(DrillVerdict.Passed, outcome.Report.Problem);
        var qdrant = outcome.Report.Leg("qdrant")!;
        ids.Should().HaveCount(160);
        qdrant.Check(QdrantChecks.PointsVsChunks)!.Found.Should().Be("160 points, 160 rows: drift 0");
        qdrant.Check(QdrantChecks.Orphans)!.Found.Should().Be("0 of 160 sampled points (0.0%) have a _orig_id with no row in public.repo_chunks");
        qdrant.Check(QdrantChecks.Skew)!.Found.Should().StartWith("taken 2.4 minutes after the dump 'postgres/loopover-20260704T090939Z.dump'");
        outcome.Report.Legs.Where(l => l.Ran).Select(l => l.Store).Should().Equal("postgres", "qdrant");
    }

    private async Task<List<string>> ChunkIdsAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(source.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT id::text FROM public.repo_chunks", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var ids = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }
}
