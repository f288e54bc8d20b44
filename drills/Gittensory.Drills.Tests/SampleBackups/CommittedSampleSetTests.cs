using System.Security.Cryptography;
using System.Text.Json;
using FluentAssertions;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Sandbox;
using Testcontainers.PostgreSql;
using Xunit;

namespace Gittensory.Drills.Tests.SampleBackups;

/// <summary>
/// The committed sets in <c>fixtures/sample-backups</c> (3 runs, with manifest) and <c>fixtures/sample-backups-legacy</c>
/// (2 runs, <c>gittensory-</c> names, no manifest) pass the checks LoopOver's own verify script makes.
/// </summary>
public sealed class CommittedSampleSetTests : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("gittensory-drills-samples-").FullName;

    public static TheoryData<string, string, int> Sets => new()
    {
        { "sample-backups", "loopover", 3 },
        { "sample-backups-legacy", "gittensory", 2 },
    };

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Theory]
    [MemberData(nameof(Sets))]
    public void GivenACommittedSet_WhenItsFoldersAreListed_ThenEachRunHasADumpAndASqliteBackupNamedWithItsPrefix(string set, string prefix, int runs)
    {
        // Given
        var root = Root(set);

        // When
        var dumps = SampleSetFiles.FilesOf(root, "postgres", ".dump").Select(Path.GetFileName);
        var sqlite = SampleSetFiles.FilesOf(root, "sqlite", ".sqlite.gz").Select(Path.GetFileName);

        // Then
        dumps.Should().HaveCount(runs).And.OnlyContain(f => f!.StartsWith(prefix + "-", StringComparison.Ordinal));
        sqlite.Should().HaveCount(runs).And.OnlyContain(f => f!.StartsWith(prefix + "-", StringComparison.Ordinal));
        dumps.Select(f => f![..^".dump".Length]).Should().Equal(sqlite.Select(f => f![..^".sqlite.gz".Length]));
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public async Task GivenACommittedSet_WhenPgRestoreListsEachDump_ThenEachListsTheDataOfTheNinetyFiveTablesAndTheJobSequence(
        string set, string prefix, int runs)
    {
        // Given
        var ct = TestContext.Current.CancellationToken;
        var dumps = SampleSetFiles.FilesOf(Root(set), "postgres", ".dump");
        dumps.Should().HaveCount(runs).And.OnlyContain(d => Path.GetFileName(d).StartsWith(prefix, StringComparison.Ordinal));

        // When
        var listings = await PgRestoreListAsync(dumps, ct);

        // Then
        foreach (var (dump, (exitCode, list, stderr)) in dumps.Zip(listings))
        {
            exitCode.Should().Be(0, $"pg_restore --list must read {dump}; stderr: {stderr}");
            SampleSetFiles.TableDataEntries(list).Should().HaveCount(95, $"{dump} holds the data of LoopOver's 95 tables");
            list.Should().Contain("SEQUENCE public _selfhost_jobs_id_seq").And.NotContain("_selfhost_vectors");
        }
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public async Task GivenACommittedSet_WhenEachSqliteBackupIsDecompressedAndChecked_ThenItIsIntactWithNinetySevenTablesInWalMode(
        string set, string prefix, int runs)
    {
        // Given
        var ct = TestContext.Current.CancellationToken;
        var backups = SampleSetFiles.FilesOf(Root(set), "sqlite", ".sqlite.gz");
        backups.Should().HaveCount(runs).And.OnlyContain(b => Path.GetFileName(b).StartsWith(prefix, StringComparison.Ordinal));

        foreach (var gz in backups)
        {
            // When
            var file = await SampleSetFiles.GunzipAsync(gz, scratch, ct);
            using var db = SampleSetFiles.OpenSqlite(file);

            // Then
            SampleSetFiles.Scalar(db, "PRAGMA integrity_check").Should().Be("ok", gz);
            SampleSetFiles.Scalar(db, "PRAGMA journal_mode").Should().Be("wal", $"{gz} keeps the live database's WAL mode");
            SampleSetFiles.Column(db, "SELECT name FROM sqlite_master WHERE type = 'table'").Should()
                .HaveCount(97).And.Contain(["sqlite_sequence", "_selfhost_vectors"]).And.Contain(SampleSetFiles.ProfileTables);
        }
    }

    [Fact]
    public void GivenTheCommittedSet_WhenItsManifestIsRead_ThenItNamesTheNewestRunsFilesWithTheirExactByteCounts()
    {
        // Given
        var root = RepoPaths.SampleBackups;
        var newestDump = SampleSetFiles.FilesOf(root, "postgres", ".dump")[^1];
        var newestSqlite = SampleSetFiles.FilesOf(root, "sqlite", ".sqlite.gz")[^1];

        // When
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "manifest.json")));
        var m = manifest.RootElement;

        // Then
        m.EnumerateObject().Select(p => p.Name).Should().Equal("ts", "postgres", "sqlite", "qdrant", "retain");
        m.GetProperty("ts").GetString().Should().Be(Path.GetFileName(newestDump)["loopover-".Length..^".dump".Length]);
        foreach (var (store, newest) in new[] { ("postgres", newestDump), ("sqlite", newestSqlite) })
        {
            var file = m.GetProperty(store).GetProperty("file").GetString()!;
            file.Should().Be($"{store}/{Path.GetFileName(newest)}");
            m.GetProperty(store).GetProperty("bytes").GetInt64().Should().Be(new FileInfo(Path.Combine(root, file)).Length, file);
        }

        m.GetProperty("qdrant").GetProperty("file").ValueKind.Should().Be(JsonValueKind.Null);
        m.GetProperty("retain").GetInt32().Should().Be(7);
    }

    [Fact]
    public void GivenTheCommittedLegacySet_WhenItsRootIsListed_ThenItHasNoManifestLikeSetsFromBeforeTheRename()
    {
        // Given
        var root = SampleSetFiles.LegacySampleBackups;

        // When
        var manifest = Path.Combine(root, "manifest.json");

        // Then
        Directory.Exists(root).Should().BeTrue();
        File.Exists(manifest).Should().BeFalse();
    }

    private static string Root(string set) => Path.Combine(RepoPaths.Root, "fixtures", set);

    /// <summary>Lists each dump with the host's pg_restore when installed, else with the one in a Postgres container (which needs an engine).</summary>
    private static async Task<List<(int ExitCode, string Stdout, string Stderr)>> PgRestoreListAsync(IReadOnlyList<string> dumps, CancellationToken ct)
    {
        var results = new List<(int, string, string)>();
        if (File.Exists(SampleSetFiles.HostPgRestore))
        {
            foreach (var dump in dumps)
            {
                results.Add(await SampleSetFiles.HostPgRestoreListAsync(dump, ct));
            }

            return results;
        }

        await EngineGate.RequireEngineAsync(ct);
        await using var container = new PostgreSqlBuilder(DrillImages.FromEnvironment().PostgresFor(15))
            .WithName($"gittensory-drills-samples-list-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}")
            .WithPassword(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)))
            .WithBindMount(Path.GetDirectoryName(Path.GetFullPath(dumps[0]))!, "/backups")
            .Build();
        await container.StartAsync(ct);
        foreach (var dump in dumps)
        {
            var result = await container.ExecAsync(["pg_restore", "--list", $"/backups/{Path.GetFileName(dump)}"], ct);
            results.Add(((int)(result.ExitCode ?? -1), result.Stdout, result.Stderr));
        }

        return results;
    }
}
