using System.Diagnostics;
using FluentAssertions;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Preflight;
using Gittensory.Drills.Tests.Preflight;
using Xunit;

namespace Gittensory.Drills.Tests.Backups;

/// <summary>The one scan of a backups root, on copies of the committed sample set with one thing made wrong.</summary>
public sealed class BackupSetScanTests : IDisposable
{
    private const string Good = "loopover-20260704T090939Z.dump";
    private const string Next = "loopover-20260705T090939Z.dump";
    private static readonly string[] Prefixes = ["loopover", "gittensory"];
    private static readonly DateTimeOffset Now = new(2026, 7, 5, 10, 0, 0, TimeSpan.Zero);
    private readonly string root = CopyOfSampleSet();

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task AnUnfinishedNewestDumpBesideAGoodManifestRunIsSkippedWithAWarningNamingTheTable()
    {
        // Given a copy of the manifest's dump cut short in the middle of a table, named as the next night's run
        var table = await CutShortCopyAsync(Good, Next);

        // When the set is scanned
        var set = await ScanAsync();

        // Then the manifest's dump is drilled, and the unfinished run is reported by name and table
        var selection = set.Require(BackupStore.Postgres);
        selection.Backup.RelativePath.Should().Be($"postgres/{Good}");
        selection.SelectedBy.Should().Be("manifest");
        var warning = $"the newest postgres/ run did not finish: {Next} is cut short inside {table}";
        var choice = set.Check(BackupSetHealth.ChoiceCheck(BackupStore.Postgres))!;
        choice.Verdict.Should().Be(CheckVerdict.Warning);
        choice.Found.Should().StartWith(warning).And.EndWith($"; the drill uses postgres/{Good}, the newest complete backup");
        selection.Notes.Should().ContainSingle().Which.Should().StartWith(char.ToUpperInvariant(warning[0]) + warning[1..]);
        selection.ManifestCheck.Verdict.Should().Be(CheckVerdict.Warning);
        selection.ManifestCheck.Found.Should().StartWith(
            $"the manifest names 'postgres/{Good}', but 'postgres/{Next}' is newer by its name: a backup run that did not finish (it is cut short inside {table}");
        set.Check(BackupSetHealth.AgeCheck(BackupStore.Postgres))!.Found.Should().Be(
            $"postgres/{Good} (the newest complete one; postgres/{Next} did not finish), taken 2026-07-04 09:09:39Z, 24.8 h ago");
        set.Check(BackupSetHealth.ChoiceCheck(BackupStore.Sqlite))!.Verdict.Should().Be(CheckVerdict.Passed);
    }

    [Fact]
    public async Task AnUnfinishedNewestDumpWithNoManifestFallsBackToTheNewestCompleteOne()
    {
        File.Delete(Path.Combine(root, "manifest.json"));
        var table = await CutShortCopyAsync(Good, Next);

        var set = await ScanAsync();

        var selection = set.Require(BackupStore.Postgres);
        selection.Backup.RelativePath.Should().Be($"postgres/{Good}");
        selection.SelectedBy.Should().Be("file name");
        var cutAt = new FileInfo(Path.Combine(root, "postgres", Next)).Length;
        var beyond = (await PgArchiveReader.ReadHeaderAndTocAsync(selection.Backup.FullPath, ct: TestContext.Current.CancellationToken))
            .Entries.Where(e => e.DataOffset >= cutAt).OrderBy(e => e.DataOffset).ToList();
        selection.Notes.Should().Equal(
            $"The newest postgres/ run did not finish: {Next} is cut short inside {table}, at byte {cutAt:N0}: " +
            $"the data of {beyond.Count} more entries ({ArchiveTocReader.Describe(beyond[0])}, ...) lies beyond its end; the drill uses postgres/{Good}, the newest complete backup.");
        set[BackupStore.Postgres].Unfinished.Select(b => b.RelativePath).Should().Equal($"postgres/{Next}");
    }

    [Fact]
    public async Task AnUnfinishedRunDoesNotCountAgainstRetention()
    {
        // Given retain 3 and three whole runs, plus the cut-short fourth
        WriteManifest(retain: 3);
        await CutShortCopyAsync(Good, Next);

        var set = await ScanAsync();

        var retention = set.Check(BackupSetHealth.RetentionCheck(BackupStore.Postgres))!;
        retention.Verdict.Should().Be(CheckVerdict.Passed);
        retention.Found.Should().Be("4 backups, oldest 2026-07-02 09:09:39Z, newest 2026-07-05 09:09:39Z; " +
                                    $"1 of them is not finished (postgres/{Next} did not finish) and not counted");
    }

    [Fact]
    public async Task WhenEveryDumpIsCutShortTheNewestIsStillChosenSoThePreflightSaysWhatIsWrong()
    {
        foreach (var old in Directory.GetFiles(Path.Combine(root, "postgres")))
        {
            File.Delete(old);
        }

        File.Delete(Path.Combine(root, "manifest.json"));
        await CutShortCopyAsync(Good, Next, from: BrokenBackupsDump);

        var set = await ScanAsync();

        set.Require(BackupStore.Postgres).Backup.RelativePath.Should().Be($"postgres/{Next}");
        var choice = set.Check(BackupSetHealth.ChoiceCheck(BackupStore.Postgres))!;
        choice.Verdict.Should().Be(CheckVerdict.Failed);
        choice.Found.Should().StartWith($"no postgres/ backup is complete: postgres/{Next} is cut short inside table ");
    }

    [Fact]
    public async Task ADumpWrittenToAPipeAndKilledIsJudgedByItsLastBlock()
    {
        // Given archives whose offsets are not recorded, as a pg_dump killed before its TOC rewrite (or writing to a pipe) leaves them
        static SyntheticArchive Three(bool offsets) => new SyntheticArchive { RecordOffsets = offsets }
            .Table("public", "a", string.Concat(Enumerable.Range(0, 2000).Select(i => $"row a {i}\n")))
            .Table("public", "b", string.Concat(Enumerable.Range(0, 2000).Select(i => $"row b {i} {i * 7919 % 10007}\n")))
            .Table("public", "c", "one\n");
        var whole = Three(offsets: false).Build();
        var tocEnd = await FirstDataOffsetAsync(Three(offsets: true).Build(), "a");

        // When each shape is probed
        var complete = await ProbeAsync(whole);
        var insideB = await ProbeAsync(whole[..(whole.Length - 200)]);
        var afterTheToc = await ProbeAsync(whole[..tocEnd]);

        // Then
        complete.State.Should().Be(BackupCompleteness.Complete);
        complete.Detail.Should().Be("its data offsets are not recorded (pg_dump wrote to a pipe), and it ends with the whole block of table public.c, the last in its table of contents");
        insideB.Should().Be(new BackupCompletion(BackupCompleteness.Unfinished, "is cut short inside table public.b (data block 2 of 3)", "table public.b"));
        afterTheToc.Detail.Should().Be("ends with its table of contents, before the data of table public.a: pg_dump was stopped before it wrote any table's data");
    }

    [Fact]
    public async Task ADumpKilledBetweenTwoBlocksIsCutShortAfterTheFirst()
    {
        var archive = new SyntheticArchive { RecordOffsets = false }
            .Table("public", "a", "x\n").Table("public", "b", "y\n").Table("public", "c", "z\n");
        var whole = archive.Build();
        var bStarts = await FirstDataOffsetAsync(new SyntheticArchive().Table("public", "a", "x\n").Table("public", "b", "y\n").Table("public", "c", "z\n").Build(), "b");

        var afterA = await ProbeAsync(whole[..bStarts]);

        afterA.Detail.Should().Be("is cut short after table public.a (data block 1 of 3): the data of table public.b and 1 more is missing");
    }

    [Fact]
    public async Task ACutShortSqliteBackupIsFoundFromItsGzipTrailer()
    {
        var source = Path.Combine(root, "sqlite", "loopover-20260704T090939Z.sqlite.gz");
        var bytes = await File.ReadAllBytesAsync(source, TestContext.Current.CancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(root, "sqlite", "loopover-20260705T090939Z.sqlite.gz"), bytes[..(bytes.Length / 2)], TestContext.Current.CancellationToken);

        var set = await ScanAsync();

        set.Require(BackupStore.Sqlite).Backup.RelativePath.Should().Be("sqlite/loopover-20260704T090939Z.sqlite.gz");
        set[BackupStore.Sqlite].Backups.Single(b => b.RelativePath.EndsWith("20260704T090939Z.sqlite.gz", StringComparison.Ordinal)).Completion!.Detail
            .Should().Be("its gzip trailer records 1,372,160 bytes, the size its database header gives (335 pages of 4,096 bytes)");
        set.Check(BackupSetHealth.ChoiceCheck(BackupStore.Sqlite))!.Found.Should().StartWith(
            "the newest sqlite/ run did not finish: loopover-20260705T090939Z.sqlite.gz is cut short: it does not end with the gzip trailer of its 1,372,160-byte database " +
            "(335 pages of 4,096 bytes, by its header); its last four bytes read as ");
    }

    [Fact]
    public async Task ADumpThatGrowsWhileItIsReadIsBeingWrittenAndTheDrillFallsBackWithoutAFailure()
    {
        // Given the newest dump, scanned whole, an hour after the run
        var set = await ScanAsync(new DateTimeOffset(2026, 7, 4, 10, 9, 39, TimeSpan.Zero));
        var chosen = set.Require(BackupStore.Postgres).Backup;
        chosen.RelativePath.Should().Be($"postgres/{Good}");

        // When something appends to it while the drill reads it (the nightly job still writing)
        var ct = TestContext.Current.CancellationToken;
        await Task.Run(async () =>
        {
            await using var append = new FileStream(chosen.FullPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            await append.WriteAsync(new byte[4096], ct);
        }, ct);
        var change = chosen.ChangeSinceScan();

        // Then the change is recognised, and the set falls back to the newest finished backup with a warning, nothing failed
        change.Should().Be($"it grew from {chosen.Bytes:N0} to {chosen.Bytes + 4096:N0} bytes while the drill read it");
        var after = set.WithChangedBackup(BackupStore.Postgres, change!);
        after.Require(BackupStore.Postgres).Backup.RelativePath.Should().Be("postgres/loopover-20260703T090939Z.dump");
        var choice = after.Check(BackupSetHealth.ChoiceCheck(BackupStore.Postgres))!;
        choice.Verdict.Should().Be(CheckVerdict.Warning);
        choice.Found.Should().Be($"postgres/{Good} is still being written ({change}: the backup job is running?); the drill uses postgres/loopover-20260703T090939Z.dump, the newest finished backup");
        after.Check(BackupSetHealth.AgeCheck(BackupStore.Postgres))!.Found.Should().StartWith(
            $"postgres/loopover-20260703T090939Z.dump (the newest complete one; postgres/{Good} is still being written), taken 2026-07-03 09:09:39Z, 25 h ago");
        after.Checks.Where(c => c.Name.StartsWith("set.", StringComparison.Ordinal) && c.Name.EndsWith("postgres", StringComparison.Ordinal))
            .Should().NotContain(c => c.Verdict == CheckVerdict.Failed);
    }

    [Fact]
    public async Task AFileThatGrowsDuringTheScansOwnLookIsBeingWritten()
    {
        var path = Path.Combine(root, "postgres", Good);
        var info = new FileInfo(path);
        var snapshot = new BackupFile(BackupStore.Postgres, $"postgres/{Good}", path, "loopover", null, info.Length) { LastWriteUtc = info.LastWriteTimeUtc };
        await File.AppendAllTextAsync(path, "more", TestContext.Current.CancellationToken);

        var completion = await BackupCompletionProbe.ProbeAsync(snapshot, 1 << 20, TestContext.Current.CancellationToken);

        completion.State.Should().Be(BackupCompleteness.BeingWritten);
        completion.Detail.Should().StartWith($"it grew from {info.Length:N0} to {info.Length + 4:N0} bytes while the drill read it");
    }

    [Fact]
    public async Task FifosNamedLikeTheNewestDumpAndAsTheManifestAreRejectedWithoutBeingOpened()
    {
        // Given FIFOs (nothing ever writes to them: opening one for reading would block forever)
        File.Delete(Path.Combine(root, "manifest.json"));
        MkFifo(Path.Combine(root, "manifest.json"));
        MkFifo(Path.Combine(root, "postgres", Next));

        // When the set is scanned (bounded: a hang fails the test instead of blocking it)
        var set = await ScanAsync().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        // Then
        set.ManifestProblem.Should().Be("'manifest.json' is a FIFO (named pipe), not a file: the drill did not open it (a FIFO would block it). LoopOver writes a regular file there; remove this one.");
        set.Check(BackupSetHealth.ManifestCheck)!.Verdict.Should().Be(CheckVerdict.Failed);
        set[BackupStore.Postgres].Rejected.Should().Equal(new RejectedEntry($"postgres/{Next}", "a FIFO (named pipe), not a file: never opened"));
        set.Require(BackupStore.Postgres).Backup.RelativePath.Should().Be($"postgres/{Good}");
        set.Check(BackupSetHealth.ChoiceCheck(BackupStore.Postgres))!.Found.Should().Be(
            $"postgres/{Next} is named like a backup but is a FIFO (named pipe), not a file: never opened");
        set.Check(BackupSetHealth.StrayFilesCheck)!.Details.Should().Contain($"postgres/{Next} (a FIFO (named pipe), not a file: never opened)");
        var explicitFifo = () => BackupFinder.FindAsync(root, BackupStore.Postgres, Prefixes, $"postgres/{Next}", TestContext.Current.CancellationToken);
        (await explicitFifo.Should().ThrowAsync<BackupRejectedException>()).Which.Message.Should().Be(
            $"Backup '{Path.Combine(root, "postgres", Next)}' is a FIFO (named pipe), not a file: the drill never opens it (a FIFO would block it). Pass the backup file itself with -Backup.");
    }

    [Fact]
    public async Task SymbolicLinksLeadingOutsideTheRootAreNotBackupsNorTheManifest()
    {
        var outside = Path.Combine(Path.GetTempPath(), $"gdrill-test-outside-{Guid.NewGuid():N}.json");
        File.Copy(Path.Combine(root, "manifest.json"), outside);
        try
        {
            File.Delete(Path.Combine(root, "manifest.json"));
            File.CreateSymbolicLink(Path.Combine(root, "manifest.json"), outside);
            File.CreateSymbolicLink(Path.Combine(root, "postgres", Next), BrokenBackupsDump);

            var set = await ScanAsync();

            set.ManifestProblem.Should().Be($"'manifest.json' is a symbolic link leading outside the backups root (to '{outside}'). The drill never reads outside the root: replace it with the manifest itself.");
            set[BackupStore.Postgres].Rejected.Should().Equal(new RejectedEntry($"postgres/{Next}", $"a symbolic link leading outside the root (to '{BrokenBackupsDump}'): never opened"));
            set.Require(BackupStore.Postgres).Backup.RelativePath.Should().Be($"postgres/{Good}");
        }
        finally
        {
            File.Delete(outside);
        }
    }

    [Fact]
    public async Task ABackupDatedInTheFutureFailsTheAgeCheckSayingSo()
    {
        File.Delete(Path.Combine(root, "manifest.json"));
        File.Copy(Path.Combine(root, "postgres", Good), Path.Combine(root, "postgres", "loopover-20990101T000000Z.dump"));

        var set = await ScanAsync();

        var age = set.Check(BackupSetHealth.AgeCheck(BackupStore.Postgres))!;
        age.Verdict.Should().Be(CheckVerdict.Failed);
        age.Found.Should().Be("postgres/loopover-20990101T000000Z.dump, taken 2099-01-01 00:00:00Z, 635462 h in the future: the time stamp in its name is after the drill's clock " +
                              "(2026-07-05 10:00:00Z). A backup cannot come from the future: check the clock of the machine that made it and of this one, and whether the file was renamed.");
        BackupAgeCheck.Evaluate(Now.AddMinutes(4), Now, TimeSpan.FromHours(26)).Should().Match<CheckResult>(c => c.Verdict == CheckVerdict.Passed && c.Found.EndsWith(", 0 h ago"));
    }

    [Fact]
    public async Task TwoDumpsWithTheSameTimeStampGiveAWarningNamingBothAndWhichWasChosen()
    {
        File.Delete(Path.Combine(root, "manifest.json"));
        File.Copy(Path.Combine(root, "postgres", Good), Path.Combine(root, "postgres", "gittensory-20260704T090939Z.dump"));

        var set = await ScanAsync();

        set.Require(BackupStore.Postgres).Backup.RelativePath.Should().Be($"postgres/{Good}");
        var choice = set.Check(BackupSetHealth.ChoiceCheck(BackupStore.Postgres))!;
        choice.Verdict.Should().Be(CheckVerdict.Warning);
        choice.Found.Should().Be($"postgres/{Good} and postgres/gittensory-20260704T090939Z.dump carry the same time stamp 20260704T090939Z; " +
                                 "the drill uses postgres/loopover-20260704T090939Z.dump because its prefix 'loopover' comes first in the profile's prefixes (loopover, gittensory)");
    }

    [Fact]
    public async Task TheWholeSampleSetScansCleanAndEveryNewestBackupIsJudgedComplete()
    {
        var set = await ScanAsync();

        set.Checks.Should().NotContain(c => c.Verdict == CheckVerdict.Failed || c.Verdict == CheckVerdict.Warning);
        set.Check(BackupSetHealth.ChoiceCheck(BackupStore.Postgres))!.Found.Should().Be(
            $"postgres/{Good}: its table of contents records where each table's data starts, and its last block ends with its end marker");
        set.StoresWithBackups.Should().Equal(BackupStore.Postgres, BackupStore.Sqlite);
    }

    private static string BrokenBackupsDump => Path.Combine(RepoPaths.SampleBackups, "postgres", "loopover-20260702T090939Z.dump");

    private Task<BackupSet> ScanAsync(DateTimeOffset? now = null) => BackupSetScan.ScanAsync(
        new BackupScanOptions { Root = root, Prefixes = Prefixes, Now = now ?? Now, MaxAge = TimeSpan.FromHours(26) }, TestContext.Current.CancellationToken);

    /// <summary>Copies <paramref name="source"/> (a sample dump) to postgres/<paramref name="target"/>, cut in the middle of its middle table; returns "table schema.name".</summary>
    private async Task<string> CutShortCopyAsync(string source, string target, string? from = null)
    {
        var ct = TestContext.Current.CancellationToken;
        var path = from ?? Path.Combine(root, "postgres", source);
        var archive = await PgArchiveReader.ReadHeaderAndTocAsync(path, ct: ct);
        var placed = archive.Entries.Where(e => e.DataOffset is not null).OrderBy(e => e.DataOffset).ToList();
        var cutIn = placed[placed.Count / 2];
        var bytes = await File.ReadAllBytesAsync(path, ct);
        var nextStart = placed[(placed.Count / 2) + 1].DataOffset!.Value;
        await File.WriteAllBytesAsync(Path.Combine(root, "postgres", target), bytes[..(int)((cutIn.DataOffset!.Value + nextStart) / 2)], ct);
        return $"table {cutIn.QualifiedName}";
    }

    private void WriteManifest(int retain)
    {
        var path = Path.Combine(root, "manifest.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"retain\":7", $"\"retain\":{retain}", StringComparison.Ordinal));
    }

    private string Write(byte[] bytes)
    {
        var path = Path.Combine(root, "postgres", $"probe-{Guid.NewGuid():N}.dump");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private async Task<BackupCompletion> ProbeAsync(byte[] bytes)
    {
        var path = Write(bytes);
        var info = new FileInfo(path);
        var file = new BackupFile(BackupStore.Postgres, "postgres/" + Path.GetFileName(path), path, "loopover", null, info.Length) { LastWriteUtc = info.LastWriteTimeUtc };
        return await BackupCompletionProbe.ProbeAsync(file, 1 << 20, TestContext.Current.CancellationToken);
    }

    /// <summary>Where the data of table <paramref name="table"/> starts in an archive written with offsets (the same place as in one written without).</summary>
    private async Task<int> FirstDataOffsetAsync(byte[] withOffsets, string table) =>
        (int)(await PgArchiveReader.ReadHeaderAndTocAsync(Write(withOffsets), ct: TestContext.Current.CancellationToken))
            .Entries.Single(e => e.Desc == "TABLE DATA" && e.Tag == table).DataOffset!.Value;

    private static void MkFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [path]) { RedirectStandardError = true })!;
        mkfifo.WaitForExit();
        mkfifo.ExitCode.Should().Be(0, mkfifo.StandardError.ReadToEnd());
    }

    private static string CopyOfSampleSet()
    {
        var copy = Directory.CreateTempSubdirectory("gdrill-test-scan-").FullName;
        foreach (var file in Directory.GetFiles(RepoPaths.SampleBackups, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(RepoPaths.SampleBackups, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return copy;
    }
}
