namespace Gittensory.Drills.Reporting;

/// <summary>
/// An exclusive lock on a reports root (<c>.history.lock</c>), held while a drill reads the history, appends its line and
/// points <c>latest</c> at its report, so that two drills finishing at once neither interleave nor lose a line.
/// It is an advisory <c>flock</c> (how .NET opens a file with <see cref="FileShare.None"/> on Linux), released when the process ends.
/// </summary>
public sealed class ReportsRootLock : IDisposable
{
    /// <summary>The lock file's name in the reports root.</summary>
    public const string FileName = ".history.lock";

    private readonly FileStream stream;

    private ReportsRootLock(FileStream stream) => this.stream = stream;

    /// <summary>Waits for the lock of <paramref name="reportsRoot"/> for at most <paramref name="timeout"/> (default 2 minutes).</summary>
    public static async Task<ReportsRootLock> AcquireAsync(string reportsRoot, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        Directory.CreateDirectory(reportsRoot);
        var path = Path.Combine(reportsRoot, FileName);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromMinutes(2));
        while (true)
        {
            try
            {
                return new ReportsRootLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException e) when (DateTime.UtcNow < deadline && e is not FileNotFoundException and not DirectoryNotFoundException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(25), ct);
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
            {
                throw new IOException(
                    $"The reports root's lock '{path}' is still held by another drill after {(timeout ?? TimeSpan.FromMinutes(2)).TotalSeconds:0} s. " +
                    "If no drill is running, the holder is stuck: end it, then drill again.", e);
            }
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => stream.Dispose();
}
