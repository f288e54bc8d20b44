using System.Security.Cryptography;

namespace Gittensory.Drills.Tests.Stores.Qdrant;

/// <summary>A throwaway backups root with snapshots written into its qdrant/ folder, removed on dispose.</summary>
internal sealed class SnapshotFiles : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("gdrill-test-qdrant-").FullName;

    /// <summary>Writes <paramref name="content"/> as qdrant/<paramref name="name"/> (and its .checksum when asked) and returns the full path.</summary>
    public string Write(string name, byte[] content, bool withChecksum = false, string? checksum = null)
    {
        var path = Path.Combine(Root, "qdrant", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        if (withChecksum || checksum is not null)
        {
            File.WriteAllText(path + ".checksum", checksum ?? Sha256(content));
        }

        return path;
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
