using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Gittensory.Drills.Preflight;

/// <summary>
/// Runs CPU-heavy work that nothing waits on at once (the offline archive read beside a restore) on a thread of its own at the
/// lowest CPU priority, to take the cores the restore leaves idle (its container start, its single-threaded tail) rather than a
/// share of pg_restore's and the server's. On Linux the thread runs under SCHED_IDLE at nice 19 (both are per thread there) and,
/// where the drill may make one, in a cgroup of the lowest weight (<see cref="IdleCpuGroup"/>); elsewhere at
/// <see cref="ThreadPriority.Lowest"/>. The group is what makes it idle: the kernel weighs the drill's process (its session's
/// autogroup, or its cgroup) against the containers' cgroup as a whole before it looks at a thread's priority, and measured on
/// 2 cores SCHED_IDLE alone yields about half of the CPU the read took (15 s beside the restore instead of 8 s), the group
/// nearly all of it (21-24 s, finishing in the restore's tail).
/// The thread runs the work's continuations itself (a synchronization context of its own), so an await stays on it; only what a
/// library continues elsewhere (ConfigureAwait(false) after a read that did not complete at once) leaves it, which ArchiveInput
/// avoids by reading synchronously.
/// </summary>
public static class IdlePriorityThread
{
    private const int PrioProcess = 0;
    private const int LowestNice = 19;
    private const int SchedIdle = 5;
    private const int SchedOther = 0;

    /// <summary>
    /// Runs <paramref name="work"/> on a new low-priority background thread named <paramref name="name"/>; its result, exception or
    /// cancellation. <paramref name="lowered"/> is told, on that thread before the work starts, how its priority was lowered.
    /// </summary>
    public static Task<T> RunAsync<T>(string name, Func<Task<T>> work, Action<string>? lowered = null)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var callerNice = CurrentNice() ?? 0;
        var thread = new Thread(() =>
        {
            var group = Lower(out var how);
            Action complete;
            try
            {
                lowered?.Invoke(how);
                var context = new OneThreadContext();
                SynchronizationContext.SetSynchronizationContext(context);
                var task = work();
                context.RunUntilDone(task);
                var result = task.GetAwaiter().GetResult();
                complete = () => done.SetResult(result);
            }
            catch (OperationCanceledException e)
            {
                complete = () => done.SetCanceled(e.CancellationToken);
            }
            catch (Exception e)
            {
                complete = () => done.SetException(e);
            }

            // The group is gone before the caller resumes: nothing of the work outlives its task.
            group?.Leave(tid => Raise(tid, callerNice));
            complete();
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>The calling thread's nice value on Linux (for tests); null elsewhere.</summary>
    public static int? CurrentNice() => OperatingSystem.IsLinux() ? GetPriority(PrioProcess, 0) : null;

    /// <summary>Whether the calling thread runs under Linux's SCHED_IDLE policy (for tests); null elsewhere.</summary>
    public static bool? CurrentIsSchedIdle() => OperatingSystem.IsLinux() ? SchedGetScheduler(0) == SchedIdle : null;

    private static IdleCpuGroup? Lower(out string how)
    {
        if (!OperatingSystem.IsLinux())
        {
            Thread.CurrentThread.Priority = ThreadPriority.Lowest;
            how = "at the lowest thread priority";
            return null;
        }

        // who = 0: the calling thread (Linux keeps the nice value and the policy per thread). Lowering one's own priority needs no
        // privilege; should it fail anyway, the read runs at normal priority, as it did before.
        _ = SetPriority(PrioProcess, 0, LowestNice);
        var priority = 0;
        _ = SchedSetScheduler(0, SchedIdle, ref priority);
        var group = IdleCpuGroup.TryJoin();
        how = group is not null
            ? $"under SCHED_IDLE at nice 19, in a cgroup of the lowest CPU weight ({group.Path}, removed after it)"
            : "under SCHED_IDLE at nice 19 only (no cgroup of its own: that needs cgroup v1's cpu controller and root), so it may still take a share of the restore's CPU";
        return group;
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code for these calls; the marshalling is trivial.
    // A thread the work started (it inherited the idle policy and nice value) gets the caller's back: root may raise them again.
    private static void Raise(int tid, int nice)
    {
        var priority = 0;
        _ = SchedSetScheduler(tid, SchedOther, ref priority);
        _ = SetPriority(PrioProcess, tid, nice);
    }

    [DllImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static extern int SetPriority(int which, int who, int prio);

    [DllImport("libc", EntryPoint = "sched_setscheduler", SetLastError = true)]
    private static extern int SchedSetScheduler(int pid, int policy, ref int param);

    [DllImport("libc", EntryPoint = "sched_getscheduler", SetLastError = true)]
    private static extern int SchedGetScheduler(int pid);

    [DllImport("libc", EntryPoint = "getpriority", SetLastError = true)]
    private static extern int GetPriority(int which, int who);
#pragma warning restore SYSLIB1054

    /// <summary>Runs what is posted to it on the thread that calls <see cref="RunUntilDone"/>, until the task has ended.</summary>
    private sealed class OneThreadContext : SynchronizationContext
    {
        private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> queue = [];

        public override void Post(SendOrPostCallback d, object? state)
        {
            try
            {
                queue.Add((d, state));
            }
            catch (InvalidOperationException)
            {
                // Posted after the work ended (nothing of the work's own does that): run it on the pool rather than lose it.
                ThreadPool.QueueUserWorkItem(_ => d(state));
            }
        }

        public override SynchronizationContext CreateCopy() => this;

        public void RunUntilDone(Task task)
        {
            task.ContinueWith(_ => queue.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            foreach (var (callback, state) in queue.GetConsumingEnumerable())
            {
                callback(state);
            }
        }
    }
}
