namespace Gittensory.Drills.Reporting;

/// <summary>Proves, before a drill starts, that its report can be written: creates the reports root and writes and deletes a probe file in it.</summary>
public static class ReportFolderProbe
{
    /// <summary>How many bytes the probe writes (one page), so that a folder on a full file system fails here rather than after the drill.</summary>
    public const int ProbeBytes = 4096;

    /// <summary>Checks that <paramref name="reportsRoot"/> takes a file of <see cref="ProbeBytes"/> bytes.</summary>
    /// <exception cref="ReportNotWrittenException">The folder cannot be created, written or cleaned up.</exception>
    public static void Check(string reportsRoot, string runId)
    {
        var root = Path.GetFullPath(reportsRoot);
        var probe = Path.Combine(root, $".gdrill-probe-{runId}");
        try
        {
            Directory.CreateDirectory(root);
            using (var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.WriteThrough))
            {
                stream.Write(new byte[ProbeBytes]);
                stream.Flush(flushToDisk: true);
            }

            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(probe);
            throw new ReportNotWrittenException(
                $"The report folder '{root}' cannot be written: a {ProbeBytes}-byte probe file failed there ({e.Message}). " +
                "The drill writes its report there at its end, so it did not start. Give a writable -ReportDir with free space.", null, e);
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing more to do: the probe is named for the run, and the message above says what failed.
        }
    }
}
