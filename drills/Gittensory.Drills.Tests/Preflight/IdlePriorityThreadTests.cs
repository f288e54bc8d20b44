using FluentAssertions;
using Gittensory.Drills.Preflight;
using Gittensory.Drills.Tests.Stores.Postgres;
using Xunit;

namespace Gittensory.Drills.Tests.Preflight;

/// <summary>The offline archive read runs on a thread of its own at idle priority, and stays there: its inflating, counting and hashing take only the cores a restore leaves idle.</summary>
public sealed class IdlePriorityThreadTests
{
    [Fact]
    public async Task WorkRunsAtNiceNineteenAndItsContinuationsStayOnItsThread()
    {
        var caller = IdlePriorityThread.CurrentNice();

        var (before, after, nice, niceAfterAwait, idle) = await IdlePriorityThread.RunAsync("test idle", async () =>
        {
            var id = Environment.CurrentManagedThreadId;
            var niceBefore = IdlePriorityThread.CurrentNice();
            await Task.Delay(20, TestContext.Current.CancellationToken);
            return (id, Environment.CurrentManagedThreadId, niceBefore, IdlePriorityThread.CurrentNice(), IdlePriorityThread.CurrentIsSchedIdle());
        });

        after.Should().Be(before, "an await inside the work resumes on the idle thread, not on a pool thread at normal priority");
        if (OperatingSystem.IsLinux())
        {
            nice.Should().Be(19);
            niceAfterAwait.Should().Be(19);
            idle.Should().BeTrue("the thread runs under SCHED_IDLE");
            IdlePriorityThread.CurrentNice().Should().Be(caller, "only the work's own thread is lowered");
            IdlePriorityThread.CurrentIsSchedIdle().Should().BeFalse();
        }
    }

    [Fact]
    public async Task AFailureOrACancellationOfTheWorkReachesTheCallerAsItIs()
    {
        var failing = () => IdlePriorityThread.RunAsync<int>("test idle", () => throw new InvalidDataException("the zlib stream is incomplete"));
        await failing.Should().ThrowAsync<InvalidDataException>().WithMessage("the zlib stream is incomplete");

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var task = IdlePriorityThread.RunAsync("test idle", async () =>
        {
            await Task.Delay(1000, cancelled.Token);
            return 1;
        });
        await task.Awaiting(t => t).Should().ThrowAsync<OperationCanceledException>();
        task.IsCanceled.Should().BeTrue();
    }

    [Fact]
    public async Task TheWholeArchiveReadRunsOnTheIdleThreadFromItsFirstByteToItsLast()
    {
        // The reader reports its progress synchronously, from inside its reads: every report must come from the idle thread at nice 19.
        var path = BrokenBackups.SampleDump;
        var archive = await PgArchiveReader.ReadHeaderAndTocAsync(path, ct: TestContext.Current.CancellationToken);
        var seen = new SeenThreads();

        var counts = await IdlePriorityThread.RunAsync("test idle", async () =>
        {
            seen.Worker = Environment.CurrentManagedThreadId;
            return await PgArchiveReader.CountRowsAsync(path, archive, seen, TestContext.Current.CancellationToken);
        });

        counts.BytesRead.Should().Be(new FileInfo(path).Length);
        seen.Reports.Should().NotBeEmpty();
        seen.Reports.Should().OnlyContain(r => r.Thread == seen.Worker, "no part of the read continues on a pool thread");
        if (OperatingSystem.IsLinux())
        {
            seen.Reports.Should().OnlyContain(r => r.Nice == 19);
        }
    }

    private sealed class SeenThreads : IProgress<PgReadProgress>
    {
        public int Worker { get; set; }

        public List<(int Thread, int? Nice)> Reports { get; } = [];

        public void Report(PgReadProgress value) => Reports.Add((Environment.CurrentManagedThreadId, IdlePriorityThread.CurrentNice()));
    }
}
