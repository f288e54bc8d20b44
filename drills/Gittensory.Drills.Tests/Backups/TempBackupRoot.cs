namespace Gittensory.Drills.Tests.Backups;

/// <summary>A throwaway backups root for discovery tests, removed on dispose.</summary>
public sealed class TempBackupRoot : IDisposable
{
    public TempBackupRoot()
    {
        Path = Directory.CreateTempSubdirectory("gdrill-test-root-").FullName;
    }

    public string Path { get; }

    /// <summary>Writes a file of <paramref name="bytes"/> bytes at <paramref name="relative"/> and returns its full path.</summary>
    public string Write(string relative, int bytes = 16, DateTime? modified = null)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, new byte[bytes]);
        if (modified is not null)
        {
            File.SetLastWriteTimeUtc(full, modified.Value);
        }

        return full;
    }

    public void WriteManifest(string json) => File.WriteAllText(System.IO.Path.Combine(Path, "manifest.json"), json);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
