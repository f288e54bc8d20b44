namespace Gittensory.Drills.Sandbox;

/// <summary>Where the scratch Postgres keeps the restored copy: chosen by its expected size, in the engine's memory, or on its disk.</summary>
public enum ScratchStorageMode
{
    /// <summary>In memory (tmpfs) when the restored copy is expected to fit comfortably in a quarter of the engine's memory, else on disk.</summary>
    Auto,

    /// <summary>In memory (tmpfs), whatever its size.</summary>
    Memory,

    /// <summary>On the engine's disk, in the container's own layer.</summary>
    Disk,
}
