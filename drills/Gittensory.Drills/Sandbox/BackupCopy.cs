using System.Formats.Tar;
using System.IO.Pipelines;
using Docker.DotNet.Models;

namespace Gittensory.Drills.Sandbox;

/// <summary>
/// Copies files between this host and a container through the engine's archive endpoint (<c>PUT</c> / <c>GET
/// /containers/{id}/archive</c>), for an engine that cannot see this host's paths (<see cref="EngineLocation"/>). The tar is
/// streamed through a pipe as it is written: a dump of any size is never held in memory.
/// https://docs.docker.com/reference/api/engine/version/v1.41/#tag/Container/operation/PutContainerArchive
/// </summary>
internal static class BackupCopy
{
    /// <summary>Copies <paramref name="file"/> into the container as <paramref name="pathInContainer"/> (absolute; missing folders are created) with <paramref name="mode"/>.</summary>
    public static async Task CopyInAsync(string containerId, string file, string pathInContainer, UnixFileMode mode, CancellationToken ct = default)
    {
        var engine = await EngineClient.GetAsync(ct);
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19));
        var writing = Task.Run(async () =>
        {
            try
            {
                await using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan | FileOptions.Asynchronous);
                await using (var tar = new TarWriter(pipe.Writer.AsStream(leaveOpen: true), TarEntryFormat.Pax, leaveOpen: true))
                {
                    var entry = new PaxTarEntry(TarEntryType.RegularFile, pathInContainer.TrimStart('/'))
                    {
                        DataStream = source,
                        Mode = mode,
                        ModificationTime = File.GetLastWriteTimeUtc(file),
                    };
                    await tar.WriteEntryAsync(entry, ct);
                }

                await pipe.Writer.CompleteAsync();
            }
            catch (Exception e)
            {
                await pipe.Writer.CompleteAsync(e);
                throw;
            }
        }, ct);

        await using var reader = pipe.Reader.AsStream();
        try
        {
            await engine.Containers.ExtractArchiveToContainerAsync(containerId, new CopyToContainerParameters { Path = "/" }, reader, ct);
        }
        catch (Docker.DotNet.DockerApiException e)
        {
            throw new InvalidOperationException(
                $"The container engine refused to copy '{file}' into container {containerId[..Math.Min(12, containerId.Length)]} as {pathInContainer}: {(int)e.StatusCode} {e.ResponseBody?.Trim()}", e);
        }
        finally
        {
            await pipe.Reader.CompleteAsync();
        }

        await writing;
    }

    /// <summary>Copies the regular files of the container's folder <paramref name="folderInContainer"/> back into <paramref name="hostFolder"/>, replacing files of the same name.</summary>
    public static async Task CopyOutAsync(string containerId, string folderInContainer, string hostFolder, CancellationToken ct = default)
    {
        var engine = await EngineClient.GetAsync(ct);
        var archive = await engine.Containers.GetArchiveFromContainerAsync(containerId, new ContainerPathStatParameters { Path = folderInContainer }, statOnly: false, ct);

        // Spooled to a temporary file first (on disk, never in memory): TarReader's reads straight from the engine's chunked stream
        // end in an EndOfStreamException inside an entry's data, although the archive itself is whole (seen with Docker 20.10).
        var spool = Path.Combine(hostFolder, $".gdrill-copy-out-{Guid.NewGuid():N}.tar");
        try
        {
            await using (var response = archive.Stream ?? throw new InvalidOperationException($"The container engine sent no archive of {folderInContainer} in container {containerId[..Math.Min(12, containerId.Length)]}."))
            await using (var file = new FileStream(spool, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await response.CopyToAsync(file, ct);
            }

            await using var stream = new FileStream(spool, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await ExtractFolderAsync(stream, hostFolder, ct);
        }
        finally
        {
            File.Delete(spool);
        }
    }

    private static async Task ExtractFolderAsync(Stream stream, string hostFolder, CancellationToken ct)
    {
        await using var tar = new TarReader(stream);
        while (await tar.GetNextEntryAsync(copyData: false, ct) is { } entry)
        {
            // The archive's entries are "<folder name>/<file>"; only the folder's own regular files come back, never a path outside it.
            var parts = entry.Name.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || parts.Length != 2 || parts[1] is "." or ".." || entry.DataStream is null)
            {
                continue;
            }

            await using var target = new FileStream(Path.Combine(hostFolder, parts[1]), FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await entry.DataStream.CopyToAsync(target, ct);
        }
    }
}
