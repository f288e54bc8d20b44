using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Gittensory.Drills.Preflight;

/// <summary>
/// Runs CPU-heavy work that nothing waits on at once (the offline archive read beside a restore) on a thread of its own at the
/// lowest CPU priority, to take the cores the restore leaves idle (its container start, its single-threaded tail) rather than a
/// share of pg_restore's and the server's. On Linux the thread runs under SCHED_IDLE at nice 19 (both are per thread there);
/// elsewhere at <see cref="ThreadPriority.Lowest"/>. Measured on 2 cores the read then yields about half of the CPU it took
/// (it runs 15 s beside the restore instead of 8 s) but not all of it: the kernel weighs the drill's process (its session's
/// autogroup) against the containers' cgroup as a whole before it looks at a thread's priority.
/// The thread runs the work's continuations itself (a synchronization context of its own), so an await stays on it; only what a
/// library continues elsewhere (ConfigureAwait(false) after a read that did not complete at once) leaves it, which ArchiveInput
/// avoids by reading synchronously.
/// </summary>
public static class IdlePriorityThread
{
    private const int PrioProcess = 0;
    private const int LowestNice = 19;
    private const int SchedIdle = 5;

    /// <summary>Runs <paramref name="work"/> on a new low-priority background thread named <paramref name="name"/>; its result, exception or cancellation.</summary>
    public static Task<T> RunAsync<T>(string name, Func<Task<T>> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            Lower();
            var context = new OneThreadContext();
            SynchronizationContext.SetSynchronizationContext(context);
            try
            {
                var task = work();
                context.RunUntilDone(task);
                done.SetResult(task.GetAwaiter().GetResult());
            }
            catch (OperationCanceledException e)
            {
                done.SetCanceled(e.CancellationToken);
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
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

    private static void Lower()
    {
        if (OperatingSystem.IsLinux())
        {
            // who = 0: the calling thread (Linux keeps the nice value and the policy per thread). Lowering one's own priority needs no
            // privilege; should it fail anyway, the read runs at normal priority, as it did before.
            _ = SetPriority(PrioProcess, 0, LowestNice);
            var priority = 0;
            _ = SchedSetScheduler(0, SchedIdle, ref priority);
        }
        else
        {
            Thread.CurrentThread.Priority = ThreadPriority.Lowest;
        }
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code for these calls; the marshalling is trivial.
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
