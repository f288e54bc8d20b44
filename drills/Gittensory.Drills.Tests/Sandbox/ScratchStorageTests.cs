using FluentAssertions;
using Gittensory.Drills.Sandbox;
using Xunit;

namespace Gittensory.Drills.Tests.Sandbox;

/// <summary>Where the scratch Postgres keeps the restored copy: in memory only when ten times the dump fits in a quarter of the engine's memory, or when asked.</summary>
public sealed class ScratchStorageTests
{
    private const long Gib = 1024L * 1024 * 1024;
    private static readonly Dictionary<string, string> Image = new() { ["PGDATA"] = "/var/lib/postgresql/data" };

    [Fact]
    public void ADumpWhoseRestoredCopyFitsInAQuarterOfTheMemoryIsRestoredIntoATmpfsOnPgdataOfHalfTheMemory()
    {
        var storage = ScratchStorage.Choose(ScratchStorageMode.Auto, 500_000_000, Image, 24 * Gib);

        storage.MemoryFolder.Should().Be("/var/lib/postgresql/data");
        storage.LimitBytes.Should().Be(12 * Gib);
        storage.Reason.Should().Be("in memory: a tmpfs on /var/lib/postgresql/data of at most 12.0 GiB (the restored copy should stay under 4.7 GiB (10 times the dump))");
    }

    [Fact]
    public void ADumpTooLargeForMemoryIsRestoredOnDiskSayingWhy()
    {
        var storage = ScratchStorage.Choose(ScratchStorageMode.Auto, 700_000_000, Image, 24 * Gib);

        storage.MemoryFolder.Should().BeNull();
        storage.Reason.Should().Be("on disk: the restored copy may reach 6.5 GiB (10 times the dump), more than a quarter of the engine's 24.0 GiB of memory");
    }

    [Fact]
    public void MemoryModeIgnoresTheSizeAndDiskModeNeverUsesMemory()
    {
        ScratchStorage.Choose(ScratchStorageMode.Memory, 700_000_000, Image, 24 * Gib).MemoryFolder.Should().Be("/var/lib/postgresql/data");
        ScratchStorage.Choose(ScratchStorageMode.Disk, 1000, Image, 24 * Gib).Should().Be(ScratchStorage.OnDisk("on disk (--scratch-storage disk)"));
    }

    [Fact]
    public void AnImageThatDoesNotNameItsDataFolderOrAnEngineThatDoesNotSayItsMemoryKeepsTheDataOnDisk()
    {
        ScratchStorage.Choose(ScratchStorageMode.Memory, 1000, new Dictionary<string, string>(), 24 * Gib).Reason
            .Should().Be("on disk: the image does not name its data folder (no PGDATA in its environment)");
        ScratchStorage.Choose(ScratchStorageMode.Auto, 1000, Image, null).Reason.Should().Be("on disk: the engine did not say how much memory it has");
    }
}
