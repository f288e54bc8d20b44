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
    public async Task WhereTheDrillMayMakeOneTheWorkRunsInACgroupOfTheLowestWeightThatIsRemovedAfter()
    {
        var how = "";
        var (group, shares) = await IdlePriorityThread.RunAsync("test idle", async () =>
        {
            await Task.Yield();
            var path = IdleCpuGroup.CurrentGroup();
            var folder = path is null ? null : Path.Join(CpuMount, path);
            return (path, folder is not null && File.Exists(Path.Join(folder, "cpu.shares")) ? File.ReadAllText(Path.Join(folder, "cpu.shares")).Trim() : null);
        }, h => how = h);

        if (!GroupsCanBeMade)
        {
            // Not root, or cgroup v2: the thread keeps SCHED_IDLE at nice 19, and the note says so.
            how.Should().Contain("SCHED_IDLE at nice 19 only").And.Contain("cgroup v1's cpu controller and root");
            return;
        }

        group.Should().StartWith("/" + IdleCpuGroup.Prefix + Environment.ProcessId + "-", "the work ran in a group of its own at the top of the cpu hierarchy");
        int.Parse(shares!, System.Globalization.CultureInfo.InvariantCulture).Should().BeLessThanOrEqualTo(3, "the group has the lowest CPU weight (2; 3 where cpu.idle is set)");
        how.Should().Contain("in a cgroup of the lowest CPU weight").And.Contain(group!);
        Directory.Exists(Path.Join(CpuMount, group)).Should().BeFalse("the group is removed when the work ends");
        IdleCpuGroup.CurrentGroup().Should().NotStartWith("/" + IdleCpuGroup.Prefix, "the caller's thread never joined it");
    }

    [Fact]
    public async Task TheGroupIsRemovedWhenTheWorkFailsAndAGroupAKilledDrillLeftIsRemovedByTheNext()
    {
        if (!GroupsCanBeMade)
        {
            IdleCpuGroup.TryJoin().Should().BeNull("without cgroup v1's cpu controller and root there is no group to join");
            return;
        }

        // A group named after a process that is gone (above pid_max: never a live process) is what a killed drill leaves.
        var pidMax = long.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var abandoned = Path.Join(CpuMount, $"{IdleCpuGroup.Prefix}{pidMax + 1}-1");
        Directory.CreateDirectory(abandoned);

        string? joined = null;
        var failing = () => IdlePriorityThread.RunAsync<int>("test idle", () =>
        {
            joined = IdleCpuGroup.CurrentGroup();
            throw new InvalidDataException("the zlib stream is incomplete");
        });
        await failing.Should().ThrowAsync<InvalidDataException>();

        Directory.Exists(abandoned).Should().BeFalse("the next drill removes a group whose process is gone");
        joined.Should().StartWith("/" + IdleCpuGroup.Prefix);
        Directory.Exists(Path.Join(CpuMount, joined)).Should().BeFalse("a failed work's group is removed too");
    }

    [Fact]
    public async Task AThreadTheWorkStartedGetsItsPriorityAndGroupBackWhenTheWorkEnds()
    {
        if (!GroupsCanBeMade)
        {
            IdleCpuGroup.TryJoin().Should().BeNull("without cgroup v1's cpu controller and root there is no group to join");
            return;
        }

        // Linux starts a thread in its creator's cgroup, policy and nice value: the runtime's timer thread, say, when the work is the
        // first to wait on a timer. It must not stay idle for the rest of the drill.
        var caller = IdlePriorityThread.CurrentNice();
        using var go = new ManualResetEventSlim();
        (int? Nice, bool? Idle, string? Group) seen = default;
        Thread? child = null;
        var joined = await IdlePriorityThread.RunAsync("test idle", () =>
        {
            child = new Thread(() =>
            {
                go.Wait();
                seen = (IdlePriorityThread.CurrentNice(), IdlePriorityThread.CurrentIsSchedIdle(), IdleCpuGroup.CurrentGroup());
            });
            child.Start();
            return Task.FromResult(IdleCpuGroup.CurrentGroup());
        });
        go.Set();
        child!.Join();

        seen.Nice.Should().Be(caller, "the thread the work started gets the caller's nice value back");
        seen.Idle.Should().BeFalse("and leaves SCHED_IDLE");
        seen.Group.Should().NotStartWith("/" + IdleCpuGroup.Prefix, "and the idle group");
        Directory.Exists(Path.Join(CpuMount, joined)).Should().BeFalse("the group is removed though another thread had been in it");
    }

    private const string CpuMount = "/sys/fs/cgroup/cpu";

    // cgroup v1's cpu controller mounted at its usual place and writable (root): the machines the drill runs on in CI.
    private static bool GroupsCanBeMade => OperatingSystem.IsLinux() && File.Exists(Path.Join(CpuMount, "cpu.shares")) && Environment.UserName == "root";

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
