using System.Diagnostics;
using System.Text;
using FluentAssertions;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Sandbox;
using Gittensory.Drills.Stores.Postgres;
using Xunit;

namespace Gittensory.Drills.Tests.Stores.Postgres;

/// <summary>
/// How the scratch Postgres is run: the restore starts beside the offline row count (a rejection found after it started still
/// decides), and the restored copy lives in memory unless asked otherwise, checked from the engine's own description of the container.
/// </summary>
public sealed class PostgresScratchTests : IDisposable
{
    private readonly string reports = Directory.CreateTempSubdirectory("gdrill-test-reports-").FullName;
    private readonly List<string> roots = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        foreach (var root in roots)
        {
            Directory.Delete(root, recursive: true);
        }

        Directory.Delete(reports, recursive: true);
    }

    [Fact]
    public async Task CorruptDataFoundByTheOfflineCountAfterTheRestoreStartedFailsTheArchiveCheckAndLeavesNothing()
    {
        await EngineGate.RequireEngineAsync(Ct);
        var bytes = await File.ReadAllBytesAsync(BrokenBackups.SampleDump, Ct);
        var archive = await Gittensory.Drills.Preflight.PgArchiveReader.ReadHeaderAndTocAsync(BrokenBackups.SampleDump, ct: Ct);
        var target = archive.Entries.Where(e => e.Desc == "TABLE DATA" && e.DataOffset is not null).OrderBy(e => e.DataOffset).Last();
        var middle = (int)((target.DataOffset!.Value + bytes.Length) / 2);
        for (var i = middle; i < middle + 8; i++)
        {
            bytes[i] ^= 0x5A;
        }

        var root = BrokenBackups.RootWithDump(bytes);
        roots.Add(root);
        var restoring = new TaskCompletionSource();
        var log = new LineWatcher(line => line.StartsWith("Restoring postgres/", StringComparison.Ordinal), restoring);

        // The count is held back until the restore has started, so the rejection arrives while pg_restore runs (a drill that waited
        // for the count before restoring would never start it: the hold then times out).
        var outcome = await DrillPipeline.RunAsync(Options(root, log), new DrillServices(null) { BeforeArchiveCount = token => restoring.Task.WaitAsync(TimeSpan.FromMinutes(3), token) }, Ct);

        var leg = outcome.Report.Leg("postgres")!;
        leg.Phases.Select(p => p.Name).Should().Contain("restore", "the restore had started when the count found the damage");
        outcome.Report.Verdict.Should().Be(DrillVerdict.Failed);
        var check = leg.Check(PostgresCheckNames.Archive)!;
        check.Verdict.Should().Be(CheckVerdict.Failed);
        check.Found.Should().StartWith($"Backup 'postgres/{BrokenBackups.DumpName}' has corrupt data for ").And.Contain(target.Tag);
        leg.Problem.Should().Be(check.Found, "the archive's rejection is the reason, not what the cut-short restore left");
        leg.Check(RestoreCheck.Name).Should().BeNull("a restore stopped by the rejection proves nothing either way");
        (await ContainerEngine.CountRunResourcesAsync(outcome.Report.RunId, Ct)).Should().Be((0, 0), "the stopped restore's container is removed");
    }

    [Theory]
    [InlineData(ScratchStorageMode.Auto, "{\"/var/lib/postgresql/data\":\"rw,size=")]
    [InlineData(ScratchStorageMode.Disk, "null")]
    public async Task TheRestoredCopyIsKeptInATmpfsOnTheDataFolderUnlessDiskIsAsked(ScratchStorageMode mode, string tmpfs)
    {
        await EngineGate.RequireEngineAsync(Ct);
        var outcome = await DrillPipeline.RunAsync(Options(RepoPaths.SampleBackups, TextWriter.Null) with { KeepSandbox = true, ScratchStorage = mode }, Ct);
        try
        {
            outcome.Report.Verdict.Should().Be(DrillVerdict.Passed, outcome.Report.Problem);
            var leg = outcome.Report.Leg("postgres")!;
            var container = leg.Sandbox!.Containers.Single();
            (await DockerAsync("inspect", "--format", "{{json .HostConfig.Tmpfs}}", container)).Should().StartWith(tmpfs);
            leg.Notes.Should().Contain(n => n.StartsWith(mode == ScratchStorageMode.Disk ? "Scratch Postgres data: on disk" : "Scratch Postgres data: in memory", StringComparison.Ordinal));
        }
        finally
        {
            await DockerAsync("rm", "-f", outcome.Report.Leg("postgres")!.Sandbox!.Containers.Single());
            await DockerAsync("network", "rm", outcome.Report.Leg("postgres")!.Sandbox!.Network);
        }
    }

    private DrillOptions Options(string root, TextWriter log) => new()
    {
        BackupRoot = root,
        BundledSample = true,
        Stores = new HashSet<BackupStore> { BackupStore.Postgres },
        ReportsRoot = reports,
        Log = log,
    };

    private static async Task<string> DockerAsync(params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo("docker", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return output.Trim();
    }

    private sealed class LineWatcher(Func<string, bool> match, TaskCompletionSource seen) : TextWriter
    {
        private readonly StringBuilder line = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value)
        {
            lock (line)
            {
                if (value != '\n')
                {
                    line.Append(value);
                    return;
                }

                if (match(line.ToString()))
                {
                    seen.TrySetResult();
                }

                line.Clear();
            }
        }
    }
}
