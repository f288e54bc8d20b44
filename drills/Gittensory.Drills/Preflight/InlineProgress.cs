namespace Gittensory.Drills.Preflight;

/// <summary>
/// An <see cref="IProgress{T}"/> that runs its handler on the thread that reports, at once. The offline read reports through it:
/// <see cref="Progress{T}"/> would queue each report to the thread pool, and a pool thread started from the idle read's thread
/// inherits that thread's idle priority and cgroup.
/// </summary>
public sealed class InlineProgress<T>(Action<T> handler) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => handler(value);
}
