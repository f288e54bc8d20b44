using System.Diagnostics;

namespace Gittensory.Drills.Tests.Reporting;

/// <summary>
/// A real small file system (a tmpfs of 64 KiB) mounted on a fresh folder: read-only, full, or with exactly one page free,
/// to see what the drill does with a report folder it cannot write. Needs root (as CI and the build machines run).
/// </summary>
internal sealed class TmpfsFolder : IAsyncDisposable
{
    private const int SizeBytes = 64 * 1024;

    private TmpfsFolder(string path) => Path = path;

    /// <summary>The mount point.</summary>
    public string Path { get; }

    /// <summary>A read-only tmpfs.</summary>
    public static Task<TmpfsFolder> ReadOnlyAsync() => MountAsync(freeBytes: null);

    /// <summary>A tmpfs with <paramref name="freeBytes"/> left (0: full).</summary>
    public static Task<TmpfsFolder> WithFreeBytesAsync(int freeBytes) => MountAsync(freeBytes);

    public async ValueTask DisposeAsync()
    {
        await RunAsync("umount", Path);
        Directory.Delete(Path);
    }

    // Null free bytes: read-only (mounted, then remounted read-only).
    private static async Task<TmpfsFolder> MountAsync(int? freeBytes)
    {
        var path = Directory.CreateTempSubdirectory("gdrill-test-tmpfs-").FullName;
        await RunAsync("mount", "-t", "tmpfs", "-o", $"rw,size={SizeBytes}", "tmpfs", path);
        var folder = new TmpfsFolder(path);
        if (freeBytes is { } free)
        {
            await File.WriteAllBytesAsync(System.IO.Path.Combine(path, "filler"), new byte[SizeBytes - free]);
        }
        else
        {
            await RunAsync("mount", "-o", "remount,ro", path);
        }

        return folder;
    }

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{program} {string.Join(' ', arguments)}' exited with {process.ExitCode}: {stderr.Trim()}. These tests mount a small tmpfs and need root (CI runs as root).");
        }
    }
}
