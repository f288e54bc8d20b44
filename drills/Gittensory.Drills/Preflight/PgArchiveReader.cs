using System.IO.Compression;
using Gittensory.Drills.Backups;

namespace Gittensory.Drills.Preflight;

/// <summary>
/// Reads a <c>pg_dump -Fc</c> (custom-format) archive offline, before any container starts: its header and table of contents,
/// then its data, to count each table's rows independently of the restore. The file is only ever opened for reading.
/// </summary>
/// <remarks>Layout: src/bin/pg_dump/pg_backup_archiver.c (ReadHead, ReadToc, ReadInt, ReadStr, ReadOffset) and pg_backup_custom.c (_ReadExtraToc, _PrintTocData, _readBlockHeader, _skipData, _skipLOs).</remarks>
public static class PgArchiveReader
{
    private const int BlockData = 1;
    private const int BlockBlobs = 3;
    private const int CopyBufferSize = 64 * 1024;

    /// <summary>
    /// Reads the header and table of contents of the archive at <paramref name="path"/>, without its data.
    /// Throws <see cref="BackupRejectedException"/> (naming <paramref name="file"/>, default the path) when the file is missing, empty,
    /// a directory, another format (plain SQL, tar, gzip, SQLite, ...), cut short, corrupt, or of an archive version outside 1.12 to 1.16.
    /// </summary>
    public static async Task<PgArchive> ReadHeaderAndTocAsync(string path, string? file = null, CancellationToken ct = default)
    {
        file ??= path;
        await ArchiveTocReader.CheckIsCustomArchiveAsync(path, file, ct);
        await using var input = ArchiveInput.Open(path);
        var (header, entries) = await ArchiveTocReader.ReadAsync(input, file, ct);
        var dataStart = input.Position;
        ArchiveTocReader.CheckDataOffsets(entries, dataStart, input.Length, file);
        return Describe(file, input.Length, header, entries, dataStart);
    }

    /// <summary>
    /// Reads the whole archive once, front to back in constant memory, counting the rows of every TABLE DATA entry from its COPY data
    /// and computing the file's SHA-256 on the way. <paramref name="archive"/> is what <see cref="ReadHeaderAndTocAsync"/> returned for the same file.
    /// With lz4 or zstd compression, or INSERT-statement data, the result is <see cref="PgRowCountStatus.NotSupported"/> (the file is still read
    /// to its end and hashed). Throws <see cref="BackupRejectedException"/> when the file was cut short (naming the table and byte), a table's
    /// compressed data is corrupt (naming the table), or the file changed since <paramref name="archive"/> was read.
    /// </summary>
    public static Task<PgArchiveRowCounts> CountRowsAsync(
        string path, PgArchive archive, IProgress<PgReadProgress>? progress = null, CancellationToken ct = default) =>
        CountRowsAsync(path, archive, [], progress, ct);

    /// <summary>
    /// As <see cref="CountRowsAsync(string, PgArchive, IProgress{PgReadProgress}?, CancellationToken)"/>, and keeps the rows of the tables in
    /// <paramref name="capture"/> (<c>schema.table</c>; each at most <see cref="CopyTextCapture.MaxBytes"/> of COPY text) in <see cref="PgArchiveRowCounts.Captured"/>.
    /// </summary>
    public static async Task<PgArchiveRowCounts> CountRowsAsync(
        string path, PgArchive archive, IReadOnlyCollection<string> capture, IProgress<PgReadProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(archive);
        ArgumentNullException.ThrowIfNull(capture);
        var wanted = capture.ToHashSet(StringComparer.Ordinal);
        var captured = new Dictionary<string, PgCapturedTable>(StringComparer.Ordinal);
        var file = archive.File;
        await ArchiveTocReader.CheckIsCustomArchiveAsync(path, file, ct);
        await using var input = ArchiveInput.Open(path, computeHash: true, progress);
        var (header, entries) = await ArchiveTocReader.ReadAsync(input, file, ct);
        if (input.Position != archive.DataStart || entries.Count != archive.Entries.Count || header != archive.Header)
        {
            throw new BackupRejectedException(file,
                $"Backup '{file}' changed since its table of contents was read (it now has {entries.Count} entries ending at byte {input.Position}, "
                + $"before: {archive.Entries.Count} ending at byte {archive.DataStart}). Something is writing to it: wait for the backup job to finish, then run the drill again.");
        }

        var reason = WhyNotCountable(header, entries);
        var byId = entries.ToDictionary(e => e.DumpId);
        var expected = entries.Where(e => e.HasData).Select(e => e.DumpId).ToHashSet();
        var seen = new HashSet<int>();
        var tables = new Dictionary<Checks.TableName, long>();
        var buffer = new byte[CopyBufferSize];
        long largeObjects = 0;

        while (true)
        {
            var blockStart = input.Position;
            var type = await input.TryReadByteAsync(ct);
            if (type is null)
            {
                break;
            }

            PgTocEntry? entry = null;
            try
            {
                var id = await input.ReadIntAsync(ct);
                if (id is <= 0 or > int.MaxValue || !byId.TryGetValue((int)id, out entry))
                {
                    throw new ArchiveCorruptException(blockStart, $"a data block for TOC entry {id}, which the table of contents does not list");
                }

                if (!seen.Add(entry.DumpId))
                {
                    throw new ArchiveCorruptException(blockStart, $"a second data block for {ArchiveTocReader.Describe(entry)} (TOC entry {entry.DumpId})");
                }

                switch (type)
                {
                    case BlockData when entry.Desc == "TABLE DATA" && reason is null:
                        var keep = wanted.Contains(entry.QualifiedName) ? new CopyTextCapture(entry.QualifiedName, entry.CopyStmt) : null;
                        tables[entry.Table] = await CountCopyRowsAsync(input, header.Compression, buffer, keep, ct);
                        if (keep is not null)
                        {
                            captured[entry.QualifiedName] = keep.Finish();
                        }

                        break;
                    case BlockData:
                        await new ChunkStream(input).DrainAsync(ct);
                        break;
                    case BlockBlobs:
                        largeObjects += await SkipLargeObjectsAsync(input, ct);
                        break;
                    default:
                        throw new ArchiveCorruptException(blockStart, $"data block type {type} (known: 1 table data, 3 large objects)");
                }
            }
            catch (ArchiveEndOfFileException)
            {
                var what = entry is null ? "a data block header" : $"the data of {ArchiveTocReader.Describe(entry)} (TOC entry {entry.DumpId})";
                throw new BackupRejectedException(file,
                    $"Backup '{file}' ends inside {what}, which starts at byte {blockStart}: the file is {input.Length} bytes and ends mid-block. {ArchiveTocReader.CutShort}");
            }
            catch (ArchiveCorruptException e)
            {
                throw new BackupRejectedException(file,
                    $"Backup '{file}' has a corrupt data section: at byte {e.Offset} it holds {e.Message}. {ArchiveTocReader.Damaged}", e);
            }
            catch (InvalidDataException e) when (entry is not null)
            {
                throw new BackupRejectedException(file,
                    $"Backup '{file}' has corrupt data for {ArchiveTocReader.Describe(entry)} (TOC entry {entry.DumpId}, data block at byte {blockStart}): "
                    + $"its compressed data does not inflate (zlib: \"{e.Message}\"), found having read up to byte {input.Position}. "
                    + "pg_restore would fail on this table; use an older backup, and check the disk or storage the backups are kept on.", e);
            }
        }

        var missing = entries.Where(e => expected.Contains(e.DumpId) && !seen.Contains(e.DumpId)).ToList();
        if (missing.Count > 0)
        {
            var others = missing.Count > 1 ? $" and {missing.Count - 1} more" : "";
            throw new BackupRejectedException(file,
                $"Backup '{file}' ends at byte {input.Length} after the data of {seen.Count} of {expected.Count} entries: the data of "
                + $"{ArchiveTocReader.Describe(missing[0])} (TOC entry {missing[0].DumpId}){others} is missing. {ArchiveTocReader.CutShort}");
        }

        return new PgArchiveRowCounts
        {
            File = file,
            Status = reason is null ? PgRowCountStatus.Counted : PgRowCountStatus.NotSupported,
            Reason = reason,
            Tables = reason is null ? tables : new Dictionary<Checks.TableName, long>(),
            Captured = captured,
            LargeObjects = largeObjects,
            Sha256 = input.FinishHash(),
            BytesRead = input.Position,
        };
    }

    private static PgArchive Describe(string file, long length, PgArchiveHeader header, IReadOnlyList<PgTocEntry> entries, long dataStart)
    {
        var summary = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            summary[entry.Desc] = summary.GetValueOrDefault(entry.Desc) + 1;
        }

        var withData = entries.Where(e => e.Desc == "TABLE DATA").Select(e => e.Table).ToList();
        var withDataSet = withData.ToHashSet();
        var withoutData = entries.Where(e => e.Desc == "TABLE" && !withDataSet.Contains(e.Table)).Select(e => e.Table).ToList();
        var sequences = new Dictionary<string, PgSequenceValue>(StringComparer.Ordinal);
        foreach (var entry in entries.Where(e => e.Desc == "SEQUENCE SET"))
        {
            if (PgArchiveVersions.ParseSetval(entry.Defn) is { } value)
            {
                sequences[entry.QualifiedName] = new PgSequenceValue(entry.QualifiedName, value.Value, value.IsCalled);
            }
        }

        return new PgArchive
        {
            File = file,
            FileBytes = length,
            Header = header,
            Entries = entries,
            DataStart = dataStart,
            Summary = summary,
            TablesWithData = withData,
            TablesWithoutData = withoutData,
            SequenceValues = sequences,
        };
    }

    private static string? WhyNotCountable(PgArchiveHeader header, IReadOnlyList<PgTocEntry> entries)
    {
        if (header.Compression is PgCompression.Lz4 or PgCompression.Zstd)
        {
            var name = header.Compression == PgCompression.Lz4 ? "lz4" : "zstd";
            return $"Offline row counting is not supported for {name}-compressed archives (pg_dump -Z {name}): the table data was not decompressed, "
                + "so there are no archive row counts to compare the restored tables with. The file was still read to its end (its structure and SHA-256 are checked). "
                + "Make the backup with pg_dump -Fc and its default (gzip) compression to have the rows counted.";
        }

        var inserts = entries.Where(e => e.Desc == "TABLE DATA" && string.IsNullOrEmpty(e.CopyStmt)).ToList();
        if (inserts.Count > 0)
        {
            return $"Offline row counting is not supported for data stored as INSERT statements (pg_dump --inserts or --column-inserts), as in "
                + $"{inserts.Count} table(s), the first {inserts[0].QualifiedName}: a statement can span lines, so lines are not rows. "
                + "Make the backup with pg_dump -Fc without --inserts to have the rows counted.";
        }

        return null;
    }

    private static async Task<long> CountCopyRowsAsync(ArchiveInput input, PgCompression compression, byte[] buffer, CopyTextCapture? capture, CancellationToken ct)
    {
        var counter = new CopyRowCounter();
        var chunks = new ChunkStream(input);
        if (compression == PgCompression.None)
        {
            int n;
            while ((n = await chunks.ReadAsync(buffer, ct)) > 0)
            {
                counter.Add(buffer.AsSpan(0, n));
                capture?.Add(buffer.AsSpan(0, n));
            }

            return counter.Rows;
        }

        // One zlib stream per table (deflateInit in compress_gzip.c / compress_io.c), spread over the chunks.
        var adler = Adler32.Initial;
        await using (var zlib = new ZLibStream(chunks, CompressionMode.Decompress, leaveOpen: true))
        {
            int n;
            while ((n = await zlib.ReadAsync(buffer, ct)) > 0)
            {
                counter.Add(buffer.AsSpan(0, n));
                capture?.Add(buffer.AsSpan(0, n));
                adler = Adler32.Update(adler, buffer.AsSpan(0, n));
            }
        }

        // Read what the inflater left (normally nothing but the ending zero length), keeping track of the last four bytes.
        while (await chunks.ReadAsync(buffer, ct) > 0)
        {
        }

        if (chunks.BytesRead < 6 || chunks.LastFourBytes != adler)
        {
            throw new InvalidDataException(
                $"the zlib stream is incomplete: its last four bytes are {chunks.LastFourBytes:x8}, not the Adler-32 {adler:x8} of the {counter.Bytes} bytes it inflated to");
        }

        return counter.Rows;
    }

    private static async Task<long> SkipLargeObjectsAsync(ArchiveInput input, CancellationToken ct)
    {
        // Each large object: its OID, then chunks ending with a zero length; an OID of zero ends the block (_skipLOs).
        long count = 0;
        while (await input.ReadIntAsync(ct) != 0)
        {
            await new ChunkStream(input).DrainAsync(ct);
            count++;
        }

        return count;
    }
}
