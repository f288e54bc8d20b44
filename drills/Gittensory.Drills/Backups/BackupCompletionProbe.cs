using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using Gittensory.Drills.Preflight;

namespace Gittensory.Drills.Backups;

/// <summary>
/// The scan's cheap test of whether a backup run finished writing a file, reading only its start and its last bytes, never the
/// whole file (the leg's full read proves the rest).
/// <para>
/// A <c>pg_dump -Fc</c> archive is written as header, table of contents, then one data block per table in TOC order, each ending
/// with a zero-length chunk; writing to a seekable file, pg_dump then rewrites the TOC with each block's offset as its very last
/// step (_CloseArchive in src/bin/pg_dump/pg_backup_custom.c). So a whole archive always ends with that end marker; one whose
/// offsets are set ends with the block at its highest offset; one whose offsets are not set (a killed pg_dump, or one that wrote
/// to a pipe) is judged from the last block header found in its last <see cref="BackupScanOptions.TailWindowBytes"/>, verified by
/// walking its chunk lengths to the end of the file.
/// </para>
/// <para>
/// A <c>.sqlite.gz</c> ends with the gzip trailer, whose last four bytes are the uncompressed size modulo 2^32; the SQLite header
/// (in the first inflated bytes) gives the database's size as pages times page size. The two agree only for a whole file.
/// Qdrant snapshots are not judged here (the Qdrant leg walks the tar).
/// </para>
/// </summary>
internal static class BackupCompletionProbe
{
    /// <summary>Judges <paramref name="file"/>, then re-reads its size and modification time: a change makes it "being written".</summary>
    public static async Task<BackupCompletion> ProbeAsync(BackupFile file, int tailWindow, CancellationToken ct)
    {
        BackupCompletion verdict;
        try
        {
            verdict = file.Store switch
            {
                BackupStore.Postgres => await PostgresAsync(file, tailWindow, ct),
                BackupStore.Sqlite => await SqliteAsync(file, ct),
                _ => new BackupCompletion(BackupCompleteness.NotJudged, "is not judged in the scan (the Qdrant leg walks the whole tar)"),
            };
        }
        catch (IOException e)
        {
            verdict = new BackupCompletion(BackupCompleteness.NotJudged, $"could not be read in the scan ({e.Message})");
        }
        catch (UnauthorizedAccessException e)
        {
            verdict = new BackupCompletion(BackupCompleteness.NotJudged, $"could not be read in the scan ({e.Message})");
        }

        return file.ChangeSinceScan() is { } change ? new BackupCompletion(BackupCompleteness.BeingWritten, change) : verdict;
    }

    private static BackupCompletion Unfinished(string detail, PgTocEntry? inside = null) =>
        new(BackupCompleteness.Unfinished, detail, inside is null ? null : ArchiveTocReader.Describe(inside));

    private static async Task<BackupCompletion> PostgresAsync(BackupFile file, int tailWindow, CancellationToken ct)
    {
        if (file.Bytes == 0)
        {
            return Unfinished("is empty (0 bytes): pg_dump had written nothing yet (it writes the file only after reading the whole catalog)");
        }

        var magic = new byte[5];
        await using (var head = OpenRead(file.FullPath))
        {
            if (await head.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, ct) < magic.Length || !magic.AsSpan().SequenceEqual("PGDMP"u8))
            {
                return new BackupCompletion(BackupCompleteness.NotJudged, "does not start like a pg_dump custom-format archive; the preflight says what it is");
            }
        }

        PgArchiveHeader header;
        IReadOnlyList<PgTocEntry> entries;
        long dataStart;
        long length;
        await using (var input = ArchiveInput.Open(file.FullPath))
        {
            length = input.Length;
            try
            {
                (header, entries) = await ArchiveTocReader.ReadAsync(input, file.RelativePath, ct);
                dataStart = input.Position;
            }
            catch (BackupRejectedException e) when (e.Message.Contains(ArchiveTocReader.CutShort, StringComparison.Ordinal))
            {
                return Unfinished($"is cut short inside its header or table of contents, at byte {length:N0}, before any table's data");
            }
            catch (BackupRejectedException)
            {
                return new BackupCompletion(BackupCompleteness.NotJudged, "has a header or table of contents the scan cannot read; the preflight says why");
            }
        }

        var data = entries.Where(e => e.HasData).ToList();
        if (data.Count == 0)
        {
            return dataStart == length
                ? new BackupCompletion(BackupCompleteness.Complete, "holds no data blocks (a schema-only archive) and ends with its table of contents")
                : new BackupCompletion(BackupCompleteness.NotJudged, "has bytes after a table of contents that lists no data");
        }

        if (dataStart >= length)
        {
            return Unfinished($"ends with its table of contents, before the data of {ArchiveTocReader.Describe(data[0])}: pg_dump was stopped before it wrote any table's data", data[0]);
        }

        var window = (int)Math.Min(tailWindow, length - dataStart);
        var tail = new byte[window];
        await using (var stream = OpenRead(file.FullPath))
        {
            stream.Seek(length - window, SeekOrigin.Begin);
            await stream.ReadExactlyAsync(tail, ct);
        }

        var marker = header.IntSize + 1;
        var endsWithMarker = tail.Length >= marker && tail.AsSpan(tail.Length - marker).IndexOfAnyExcept((byte)0) < 0;
        var placed = data.Where(e => e.DataOffset is not null).OrderBy(e => e.DataOffset).ToList();
        if (placed.Count > 0)
        {
            return ByOffsets(placed, length, endsWithMarker);
        }

        return ByLastBlock(data, tail, length - window, dataStart, header.IntSize, endsWithMarker, tailWindow);
    }

    /// <summary>The TOC was rewritten with offsets, so pg_dump reached its last step; what is missing was lost afterwards (a copy cut short).</summary>
    private static BackupCompletion ByOffsets(List<PgTocEntry> placed, long length, bool endsWithMarker)
    {
        var beyond = placed.Where(e => e.DataOffset >= length).ToList();
        if (beyond.Count > 0)
        {
            var lastIn = placed.LastOrDefault(e => e.DataOffset < length);
            if (lastIn is null)
            {
                return Unfinished($"is cut short before its first data block ({length:N0} bytes; its table of contents places {ArchiveTocReader.Describe(beyond[0])} at byte {beyond[0].DataOffset:N0})", beyond[0]);
            }

            var missing = $"the data of {beyond.Count} more entr{(beyond.Count == 1 ? "y" : "ies")} ({ArchiveTocReader.Describe(beyond[0])}{(beyond.Count > 1 ? ", ..." : "")}) lies beyond its end";
            return endsWithMarker && beyond[0].DataOffset == length
                ? Unfinished($"is cut short after {ArchiveTocReader.Describe(lastIn)}, at byte {length:N0}: {missing}", lastIn)
                : Unfinished($"is cut short inside {ArchiveTocReader.Describe(lastIn)}, at byte {length:N0}: {missing}", lastIn);
        }

        var last = placed[^1];
        return endsWithMarker
            ? new BackupCompletion(BackupCompleteness.Complete, "its table of contents records where each table's data starts, and its last block ends with its end marker")
            : Unfinished($"is cut short inside {ArchiveTocReader.Describe(last)}, its last data block (at byte {last.DataOffset:N0}), which has no end marker", last);
    }

    /// <summary>Offsets not recorded: find the last block header in the tail and walk its chunks to the end of the file.</summary>
    private static BackupCompletion ByLastBlock(
        List<PgTocEntry> data, byte[] tail, long tailStart, long dataStart, int intSize, bool endsWithMarker, int tailWindow)
    {
        var byId = data.ToDictionary(e => e.DumpId);
        var headerSize = 1 + intSize + 1;
        for (var at = tail.Length - headerSize; at >= 0; at--)
        {
            var type = tail[at];
            if (type is not (1 or 3) || tail[at + 1] != 0)
            {
                continue;
            }

            var id = ReadMagnitude(tail, at + 2, intSize);
            if (id > int.MaxValue || !byId.TryGetValue((int)id, out var entry) || (type == 3) != (entry.Desc == "BLOBS"))
            {
                continue;
            }

            var startsBlock = tailStart + at == dataStart || (at >= intSize + 1 && tail.AsSpan(at - intSize - 1, intSize + 1).IndexOfAnyExcept((byte)0) < 0);
            if (!startsBlock)
            {
                continue;
            }

            var walk = Walk(tail, at + headerSize, intSize, type == 3);
            if (walk == BlockWalk.Invalid)
            {
                continue;
            }

            var index = data.IndexOf(entry);
            if (walk == BlockWalk.CutInside)
            {
                return Unfinished($"is cut short inside {ArchiveTocReader.Describe(entry)} (data block {index + 1} of {data.Count})", entry);
            }

            return index == data.Count - 1
                ? new BackupCompletion(BackupCompleteness.Complete,
                    $"its data offsets are not recorded (pg_dump wrote to a pipe), and it ends with the whole block of {ArchiveTocReader.Describe(entry)}, the last in its table of contents")
                : Unfinished($"is cut short after {ArchiveTocReader.Describe(entry)} (data block {index + 1} of {data.Count}): " +
                             $"the data of {ArchiveTocReader.Describe(data[index + 1])}{(data.Count - index > 2 ? $" and {data.Count - index - 2} more" : "")} is missing", entry);
        }

        return endsWithMarker
            ? new BackupCompletion(BackupCompleteness.Complete,
                "its data offsets are not recorded (pg_dump wrote to a pipe) and it ends with a data block's end marker (which block is last is not read in the scan)")
            : Unfinished($"is cut short inside a data block that starts more than {tailWindow / 1024:N0} KiB before its end " +
                         "(its data offsets are not recorded, so the table is not named without reading the whole file)");
    }

    private enum BlockWalk
    {
        EndsAtEnd,
        CutInside,
        Invalid,
    }

    /// <summary>Follows a block's chunk lengths (and, for large objects, their oids) from <paramref name="at"/> to the end of <paramref name="tail"/>.</summary>
    private static BlockWalk Walk(byte[] tail, int at, int intSize, bool largeObjects)
    {
        var size = intSize + 1;
        while (true)
        {
            if (largeObjects)
            {
                if (at + size > tail.Length)
                {
                    return BlockWalk.CutInside;
                }

                if (tail[at] != 0)
                {
                    return BlockWalk.Invalid;
                }

                var oid = ReadMagnitude(tail, at + 1, intSize);
                at += size;
                if (oid == 0)
                {
                    return at == tail.Length ? BlockWalk.EndsAtEnd : BlockWalk.Invalid;
                }
            }

            while (true)
            {
                if (at + size > tail.Length)
                {
                    return BlockWalk.CutInside;
                }

                if (tail[at] != 0)
                {
                    return BlockWalk.Invalid;
                }

                var length = ReadMagnitude(tail, at + 1, intSize);
                at += size;
                if (length == 0)
                {
                    break;
                }

                if (length > tail.Length - at)
                {
                    return BlockWalk.CutInside;
                }

                at += (int)length;
            }

            if (!largeObjects)
            {
                return at == tail.Length ? BlockWalk.EndsAtEnd : BlockWalk.Invalid;
            }
        }
    }

    /// <summary>WriteInt's magnitude: <paramref name="intSize"/> bytes, least significant first.</summary>
    private static long ReadMagnitude(byte[] bytes, int at, int intSize)
    {
        long value = 0;
        for (var i = Math.Min(intSize, 8) - 1; i >= 0; i--)
        {
            value = (value << 8) | bytes[at + i];
        }

        return value;
    }

    private static async Task<BackupCompletion> SqliteAsync(BackupFile file, CancellationToken ct)
    {
        if (file.Bytes == 0)
        {
            return Unfinished("is empty (0 bytes): the backup run had written nothing yet");
        }

        const int headBytes = 64 * 1024;
        var head = new byte[(int)Math.Min(headBytes, file.Bytes)];
        var trailer = new byte[8];
        long length;
        await using (var stream = OpenRead(file.FullPath))
        {
            length = stream.Length;
            var read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
            head = head[..read];
            if (length >= 18)
            {
                stream.Seek(length - 8, SeekOrigin.Begin);
                await stream.ReadExactlyAsync(trailer, ct);
            }
        }

        if (head.Length < 18 || head[0] != 0x1f || head[1] != 0x8b || head[2] != 8)
        {
            return new BackupCompletion(BackupCompleteness.NotJudged, "does not start like a gzip file; the leg's gzip check says what it is");
        }

        var page1 = new byte[100];
        int inflated;
        try
        {
            await using var gzip = new GZipStream(new MemoryStream(head), CompressionMode.Decompress);
            inflated = await gzip.ReadAtLeastAsync(page1, page1.Length, throwOnEndOfStream: false, ct);
        }
        catch (InvalidDataException)
        {
            return new BackupCompletion(BackupCompleteness.NotJudged, "starts with gzip data the scan cannot inflate; the leg's gzip check says why");
        }

        if (inflated < page1.Length)
        {
            // A whole gzip of something short records that length in its trailer; a cut one does not.
            var isizeOfShort = BinaryPrimitives.ReadUInt32LittleEndian(trailer.AsSpan(4));
            return head.Length == length && isizeOfShort != inflated
                ? Unfinished($"is cut short: its {length:N0} bytes inflate to {inflated} bytes, less than a SQLite database header, and it does not end with a gzip trailer")
                : new BackupCompletion(BackupCompleteness.NotJudged, "does not inflate to a SQLite database header; the leg's checks say what it holds");
        }

        if (!page1.AsSpan(0, 16).SequenceEqual("SQLite format 3\0"u8))
        {
            return new BackupCompletion(BackupCompleteness.NotJudged, "does not hold a SQLite database; the leg's checks say what it holds");
        }

        var pageSize = BinaryPrimitives.ReadUInt16BigEndian(page1.AsSpan(16)) is var p && p == 1 ? 65536L : p;
        var changeCounter = BinaryPrimitives.ReadUInt32BigEndian(page1.AsSpan(24));
        var pages = BinaryPrimitives.ReadUInt32BigEndian(page1.AsSpan(28));
        var validFor = BinaryPrimitives.ReadUInt32BigEndian(page1.AsSpan(92));
        var isize = BinaryPrimitives.ReadUInt32LittleEndian(trailer.AsSpan(4));
        if (pageSize < 512)
        {
            return new BackupCompletion(BackupCompleteness.NotJudged, $"holds a SQLite header with page size {pageSize}; the leg's checks judge it");
        }

        if (pages > 0 && validFor == changeCounter)
        {
            var expected = pageSize * pages;
            return isize == (uint)expected
                ? new BackupCompletion(BackupCompleteness.Complete,
                    string.Create(CultureInfo.InvariantCulture, $"its gzip trailer records {expected:N0} bytes, the size its database header gives ({pages:N0} pages of {pageSize:N0} bytes)"))
                : Unfinished(string.Create(CultureInfo.InvariantCulture,
                    $"is cut short: it does not end with the gzip trailer of its {expected:N0}-byte database ({pages:N0} pages of {pageSize:N0} bytes, by its header); its last four bytes read as {isize:N0}"));
        }

        return isize > 0 && isize % pageSize == 0
            ? new BackupCompletion(BackupCompleteness.Complete, string.Create(CultureInfo.InvariantCulture, $"its gzip trailer records {isize:N0} bytes, a whole number of {pageSize:N0}-byte pages"))
            : Unfinished(string.Create(CultureInfo.InvariantCulture,
                $"is cut short: its last four bytes ({isize:N0}) are not the gzip trailer of a database of {pageSize:N0}-byte pages"));
    }

    private static FileStream OpenRead(string path) => new(path, new FileStreamOptions
    {
        Mode = FileMode.Open,
        Access = FileAccess.Read,
        Share = FileShare.ReadWrite,
        Options = FileOptions.Asynchronous,
    });
}
