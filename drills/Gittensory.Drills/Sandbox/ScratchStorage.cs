namespace Gittensory.Drills.Sandbox;

/// <summary>
/// Where the scratch Postgres keeps its data folder. In memory (a tmpfs on the image's <c>PGDATA</c>) the restore writes no disk and the
/// teardown frees it at once, instead of the engine deleting gigabytes of the container's layer; it is chosen when the restored copy is
/// expected to fit in a quarter of the engine's memory. The tmpfs itself may grow to half of it.
/// </summary>
/// <param name="MemoryFolder">The data folder mounted as tmpfs, or null for the container's own layer on disk.</param>
/// <param name="LimitBytes">The tmpfs's size limit, or null on disk.</param>
/// <param name="Reason">Why, for the report.</param>
public sealed record ScratchStorage(string? MemoryFolder, long? LimitBytes, string Reason)
{
    /// <summary>A compressed dump's restored copy (tables and indexes) is taken to be at most this many times its size.</summary>
    public const int ExpectedExpansion = 10;

    /// <summary>On the container's own layer.</summary>
    public static ScratchStorage OnDisk(string reason) => new(null, null, reason);

    /// <summary>Chooses for a dump of <paramref name="dumpBytes"/> bytes, an image whose environment is <paramref name="imageEnvironment"/>, on an engine with <paramref name="engineMemoryBytes"/>.</summary>
    public static ScratchStorage Choose(ScratchStorageMode mode, long dumpBytes, IReadOnlyDictionary<string, string>? imageEnvironment, long? engineMemoryBytes)
    {
        if (mode == ScratchStorageMode.Disk)
        {
            return OnDisk("on disk (--scratch-storage disk)");
        }

        if (imageEnvironment is null || !imageEnvironment.TryGetValue("PGDATA", out var pgdata) || !pgdata.StartsWith('/'))
        {
            return OnDisk("on disk: the image does not name its data folder (no PGDATA in its environment)");
        }

        if (engineMemoryBytes is not > 0)
        {
            return OnDisk("on disk: the engine did not say how much memory it has");
        }

        var memory = engineMemoryBytes.Value;
        var expected = dumpBytes * ExpectedExpansion;
        if (mode == ScratchStorageMode.Auto && expected > memory / 4)
        {
            return OnDisk($"on disk: the restored copy may reach {Gib(expected)} ({ExpectedExpansion} times the dump), more than a quarter of the engine's {Gib(memory)} of memory");
        }

        var how = mode == ScratchStorageMode.Memory ? "--scratch-storage memory" : $"the restored copy should stay under {Gib(expected)} ({ExpectedExpansion} times the dump)";
        return new ScratchStorage(pgdata, memory / 2, $"in memory: a tmpfs on {pgdata} of at most {Gib(memory / 2)} ({how})");
    }

    /// <summary>Bytes as GiB with one decimal, e.g. "3.0 GiB": how the drill writes memory sizes.</summary>
    public static string Gib(long bytes) => $"{bytes / (1024.0 * 1024 * 1024):0.0} GiB";
}
