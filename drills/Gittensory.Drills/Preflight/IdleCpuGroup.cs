using System.Globalization;
using System.Runtime.InteropServices;

namespace Gittensory.Drills.Preflight;

/// <summary>
/// A cgroup of the lowest CPU weight that one thread joins for the time of its work, where Linux lets the drill make one: cgroup v1's
/// cpu controller and the right to write it (root). The kernel weighs cgroups against each other before it looks at a thread's nice
/// value or SCHED_IDLE, so only a group of its own, at the top of the hierarchy beside the engine's containers, keeps the offline
/// read off the cores a restore uses. The group is named <c>gittensory-drills-idle-PID-N</c>, has <c>cpu.shares</c> 2 and, where
/// the kernel has it (5.15 and newer), <c>cpu.idle</c> 1; the thread leaves it and it is removed when the work ends. Groups a
/// killed drill left behind (their process is gone) are removed by the next one.
/// </summary>
internal sealed class IdleCpuGroup
{
    /// <summary>The prefix of every group's name.</summary>
    public const string Prefix = "gittensory-drills-idle-";

    private const string LowestShares = "2";
    private static int created;

    private IdleCpuGroup(string path, string returnTo)
    {
        Path = path;
        ReturnTo = returnTo;
    }

    /// <summary>The group's folder.</summary>
    public string Path { get; }

    /// <summary>The folder of the group the thread was in before (it returns there).</summary>
    private string ReturnTo { get; }

    /// <summary>
    /// Moves the calling thread into a new group of the lowest weight; null (and the thread where it was) when there is no cgroup v1
    /// cpu controller or the drill may not write it.
    /// </summary>
    public static IdleCpuGroup? TryJoin()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        var mount = CpuControllerMount();
        var current = CurrentGroup();
        if (mount is null || current is null)
        {
            return null;
        }

        RemoveAbandoned(mount);
        var path = System.IO.Path.Combine(mount, $"{Prefix}{Environment.ProcessId}-{Interlocked.Increment(ref created)}");
        try
        {
            Directory.CreateDirectory(path);
            File.WriteAllText(System.IO.Path.Combine(path, "cpu.shares"), LowestShares);
            TryWrite(System.IO.Path.Combine(path, "cpu.idle"), "1");
            File.WriteAllText(System.IO.Path.Combine(path, "tasks"), ThreadId());
            return new IdleCpuGroup(path, System.IO.Path.Join(mount, current));
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // Not root, a read-only cgroupfs, or a controller that refuses: the thread keeps SCHED_IDLE alone.
            TryRemove(path);
            return null;
        }
    }

    /// <summary>The calling thread's group in the cpu controller's hierarchy ("/" at the top), or null where there is none.</summary>
    public static string? CurrentGroup()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/thread-self/cgroup"))
            {
                // "4:cpu,cpuacct:/path": hierarchy id, controllers, path
                var parts = line.Split(':', 3);
                if (parts.Length == 3 && parts[1].Split(',').Contains("cpu"))
                {
                    return parts[2];
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }

    /// <summary>
    /// Moves the calling thread (the one that joined) back where it was, with every thread it started meanwhile (a new thread starts in
    /// its creator's group: the runtime's timer thread, say), and removes the group. <paramref name="restore"/> is called for each
    /// such other thread's id (to give it its priority back).
    /// </summary>
    public void Leave(Action<int>? restore = null)
    {
        var self = GetTid();
        var tasks = System.IO.Path.Combine(ReturnTo, "tasks");
        TryWrite(tasks, ThreadId());
        foreach (var tid in Members())
        {
            TryWrite(tasks, tid.ToString(CultureInfo.InvariantCulture));
            if (tid != self)
            {
                restore?.Invoke(tid);
            }
        }

        TryRemove(Path);
    }

    private IEnumerable<int> Members()
    {
        try
        {
            return [.. File.ReadAllLines(System.IO.Path.Combine(Path, "tasks")).Select(l => int.TryParse(l, CultureInfo.InvariantCulture, out var tid) ? tid : 0).Where(t => t > 0)];
        }
        catch (IOException)
        {
            return [];
        }
    }

    private static void RemoveAbandoned(string mount)
    {
        try
        {
            foreach (var folder in Directory.EnumerateDirectories(mount, Prefix + "*"))
            {
                var pid = System.IO.Path.GetFileName(folder)[Prefix.Length..].Split('-')[0];
                if (int.TryParse(pid, CultureInfo.InvariantCulture, out var id) && id != Environment.ProcessId && !Directory.Exists($"/proc/{id}"))
                {
                    TryRemove(folder);
                }
            }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // best effort: a hierarchy the drill may not list has no group of ours to remove either
        }
    }

    // Where the cgroup v1 cpu controller is mounted (a "cgroup" file system whose options name cpu), from /proc/self/mountinfo.
    private static string? CpuControllerMount()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/mountinfo"))
            {
                // "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu"
                var halves = line.Split(" - ", 2);
                var fields = halves[0].Split(' ');
                var after = halves.Length == 2 ? halves[1].Split(' ') : [];
                if (after is ["cgroup", _, var options] && options.Split(',').Contains("cpu") && fields.Length > 4 && fields[3] == "/")
                {
                    return fields[4];
                }
            }
        }
        catch (IOException)
        {
        }

        return null;
    }

    private static void TryWrite(string file, string text)
    {
        try
        {
            File.WriteAllText(file, text);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // best effort: an older kernel has no cpu.idle; a group that is gone takes no thread
        }
    }

    private static void TryRemove(string folder)
    {
        try
        {
            Directory.Delete(folder);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            // still in use (its thread has not left) or already gone
        }
    }

    private static string ThreadId() => GetTid().ToString(CultureInfo.InvariantCulture);

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code for this call; the marshalling is trivial.
    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetTid();
#pragma warning restore SYSLIB1054
}
