namespace Gittensory.Drills.Sandbox;

/// <summary>
/// A folder of one drill's own under a temporary root, <c>gdrill-&lt;run id&gt;-&lt;role&gt;</c>, readable by its owner only
/// (it holds a copy of the backed-up data); the drill deletes it at the end unless the operator keeps it.
/// </summary>
public sealed class ScratchFolder
{
    private ScratchFolder(string path, bool keep)
    {
        Path = path;
        Keep = keep;
    }

    /// <summary>The folder's full path.</summary>
    public string Path { get; }

    /// <summary>When true, <see cref="Delete"/> leaves the folder for inspection.</summary>
    public bool Keep { get; }

    /// <summary>Free space on the folder's file system, in bytes.</summary>
    public long FreeBytes => new DriveInfo(Path).AvailableFreeSpace;

    /// <summary>Creates <c>gdrill-&lt;run id&gt;-&lt;role&gt;</c> under <paramref name="tempRoot"/>, which must exist; refuses a folder that already exists, never reusing or deleting what it did not create.</summary>
    /// <exception cref="IOException">The root does not exist, or the folder already does.</exception>
    public static ScratchFolder Create(string tempRoot, string runId, string role, bool keep)
    {
        var root = System.IO.Path.GetFullPath(tempRoot);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"Temporary folder '{root}' does not exist. Create it, or choose another with -TempDir (--temp-dir).");
        }

        var path = System.IO.Path.Combine(root, $"{DrillSandbox.NamePrefix}-{runId}-{role}");
        if (Directory.Exists(path) || File.Exists(path))
        {
            throw new IOException($"'{path}' already exists: left by an earlier drill with the same run id? The drill does not reuse or delete what it did not create; remove it by hand.");
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return new ScratchFolder(path, keep);
    }

    /// <summary>Deletes the folder and everything in it, unless <see cref="Keep"/>; returns whether it was deleted.</summary>
    public bool Delete()
    {
        if (Keep)
        {
            return false;
        }

        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }

        return true;
    }
}
