using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using Gittensory.Drills.Backups;
using Microsoft.Win32.SafeHandles;

namespace Gittensory.Drills.Restore;

/// <summary>
/// Expands a gzip file into a new file by streaming, and proves it whole on the way, which .NET's GZipStream does not
/// (it returns a cut-short file without complaint and does not name a bad CRC): each member's deflate data must end
/// before the file does, and its trailer's CRC-32 and length (RFC 1952) must equal those of what it expanded to.
/// Members written one after another (<c>cat a.gz b.gz</c>) are expanded in turn; any other bytes after the last member
/// are refused. The expansion is capped by a multiple of the compressed size and by the free space where it is written.
/// </summary>
public static class GzipExpander
{
    /// <summary>Free space left unused in the target's folder, in bytes (64 MiB), so a drill never fills a disk to the last byte.</summary>
    public const long SpareBytes = 64L * 1024 * 1024;

    private const int HeadLength = 100;
    private const byte FlagHeaderCrc = 2, FlagExtra = 4, FlagName = 8, FlagComment = 16, FlagReserved = 0xe0;

    /// <summary>
    /// Expands <paramref name="source"/> (named <paramref name="name"/> in messages) into <paramref name="target"/>, a new file,
    /// writing at most <paramref name="maxRatio"/> times the compressed size and at most <paramref name="freeBytes"/> less
    /// <see cref="SpareBytes"/>; the target is deleted when expansion fails.
    /// </summary>
    /// <exception cref="BackupRejectedException">The file is empty, not gzip, cut short, corrupt, or followed by bytes that are not gzip.</exception>
    /// <exception cref="ExpansionLimitException">It expands past one of the two limits.</exception>
    public static async Task<GzipExpansion> ExpandAsync(
        string source, string name, string target, double maxRatio, long freeBytes, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        await using var file = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.SequentialScan);
        var length = file.Length;
        if (length == 0)
        {
            throw new BackupRejectedException(name,
                $"Backup '{name}' is empty (0 bytes). LoopOver keeps only non-empty backups; drill an older one with -Backup, and find out what emptied this one.");
        }

        var ratioLimit = (long)Math.Min(long.MaxValue / 2, Math.Max(0, maxRatio) * length);
        var diskLimit = Math.Max(0, freeBytes - SpareBytes);
        var limit = Math.Min(ratioLimit, diskLimit);
        var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        try
        {
            var input = new ReadTrackingStream(file);
            var buffer = new byte[1 << 17];
            var head = new byte[HeadLength];
            var headLength = 0;
            long total = 0;
            long offset = 0;
            var members = 0;
            while (true)
            {
                file.Position = offset;
                ReadHeader(file, name, length, members);
                members++;
                var crc = new Crc32();
                long memberBytes = 0;
                input.StartMember();
                await using (var deflate = new DeflateStream(input, CompressionMode.Decompress, leaveOpen: true))
                {
                    while (true)
                    {
                        int read;
                        try
                        {
                            ct.ThrowIfCancellationRequested();
                            read = deflate.Read(buffer);
                        }
                        catch (InvalidDataException e)
                        {
                            throw input.ReachedEnd
                                ? Truncated(name, length)
                                : new BackupRejectedException(name,
                                    $"Backup '{name}' is corrupt: the deflate data of gzip member {members} cannot be decoded (between bytes {input.PreviousReadStart:N0} and " +
                                    $"{input.LastReadEnd:N0} of {length:N0}). The file was damaged after gzip wrote it; drill an older backup with -Backup.", e);
                        }

                        if (read == 0)
                        {
                            break;
                        }

                        if (total + read > limit)
                        {
                            throw LimitReached(name, length, maxRatio, ratioLimit, diskLimit, freeBytes, Path.GetDirectoryName(Path.GetFullPath(target))!);
                        }

                        var chunk = buffer.AsMemory(0, read);
                        crc.Append(chunk.Span);
                        if (headLength < HeadLength)
                        {
                            var take = Math.Min(read, HeadLength - headLength);
                            chunk.Span[..take].CopyTo(head.AsSpan(headLength));
                            headLength += take;
                        }

                        output.Write(chunk.Span);
                        memberBytes += read;
                        total += read;
                        progress?.Report(total);
                    }
                }

                if (input.ReachedEnd)
                {
                    throw Truncated(name, length);
                }

                var expectedCrc = crc.GetCurrentHashAsUInt32();
                var expectedLength = unchecked((uint)memberBytes);
                var trailer = FindTrailer(file.SafeFileHandle, input.PreviousReadStart, input.LastReadEnd, length, expectedCrc, expectedLength);
                if (trailer < 0)
                {
                    throw TrailerMismatch(file.SafeFileHandle, name, length, members, input, expectedCrc, expectedLength);
                }

                offset = trailer + 8;
                if (offset == length)
                {
                    break;
                }

                var next = ReadAt(file.SafeFileHandle, offset, 16);
                if (next.Length < 2 || next[0] != 0x1f || next[1] != 0x8b)
                {
                    throw new BackupRejectedException(name,
                        $"Backup '{name}' has {length - offset:N0} bytes after the end of its gzip data that are not another gzip member (they begin with {BytePreview.Describe(next)}). " +
                        "gzip never writes such bytes; drill an older backup with -Backup, and find out what appended them.");
                }
            }

            await output.FlushAsync(ct);
            await output.DisposeAsync();
            return new GzipExpansion(length, total, members, head[..headLength]);
        }
        catch
        {
            await output.DisposeAsync();
            File.Delete(target);
            throw;
        }
    }

    private static void ReadHeader(FileStream file, string name, long length, int member)
    {
        Span<byte> fixedPart = stackalloc byte[10];
        var got = file.ReadAtLeast(fixedPart, fixedPart.Length, throwOnEndOfStream: false);
        if (member == 0 && (got < 2 || fixedPart[0] != 0x1f || fixedPart[1] != 0x8b))
        {
            var start = ReadAt(file.SafeFileHandle, 0, 16);
            var sqlite = start.AsSpan().StartsWith("SQLite format 3\0"u8) ? " (it is an uncompressed SQLite database)" : "";
            throw new BackupRejectedException(name,
                $"Backup '{name}' is not a gzip file: it begins with {BytePreview.Describe(start)}, not the gzip signature 1f 8b{sqlite}. " +
                "LoopOver gzips every SQLite backup; drill an older backup with -Backup, and find out what wrote this file.");
        }

        if (got < fixedPart.Length)
        {
            throw Truncated(name, length);
        }

        if (fixedPart[2] != 8)
        {
            throw new BackupRejectedException(name,
                $"Backup '{name}' is not gzip as gzip writes it: member {member + 1} uses compression method {fixedPart[2]}, not deflate (8). Drill an older backup with -Backup.");
        }

        var flags = fixedPart[3];
        if ((flags & FlagReserved) != 0)
        {
            throw new BackupRejectedException(name,
                $"Backup '{name}' has a damaged gzip header: member {member + 1} sets reserved flag bits (0x{flags:x2}). Drill an older backup with -Backup.");
        }

        if ((flags & FlagExtra) != 0)
        {
            Span<byte> extraLength = stackalloc byte[2];
            Require(file.ReadAtLeast(extraLength, 2, throwOnEndOfStream: false) == 2, name, length);
            var skip = BinaryPrimitives.ReadUInt16LittleEndian(extraLength);
            Require(file.Position + skip <= length, name, length);
            file.Position += skip;
        }

        foreach (var flag in new[] { FlagName, FlagComment })
        {
            if ((flags & flag) == 0)
            {
                continue;
            }

            int b;
            while ((b = file.ReadByte()) > 0)
            {
            }

            Require(b == 0, name, length);
        }

        if ((flags & FlagHeaderCrc) != 0)
        {
            Require(file.Position + 2 <= length, name, length);
            file.Position += 2;
        }
    }

    private static void Require(bool present, string name, long length)
    {
        if (!present)
        {
            throw Truncated(name, length);
        }
    }

    /// <summary>Where the member's 8-byte trailer (CRC-32, then length, little-endian) starts, or -1: it follows the deflate data, which ends within the inflater's last two reads.</summary>
    private static long FindTrailer(SafeFileHandle handle, long from, long to, long length, uint crc, uint size)
    {
        var window = ReadAt(handle, from, (int)(Math.Min(length, to + 8) - from));
        Span<byte> expected = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(expected, crc);
        BinaryPrimitives.WriteUInt32LittleEndian(expected[4..], size);
        var at = window.AsSpan().IndexOf(expected);
        return at < 0 ? -1 : from + at;
    }

    private static BackupRejectedException TrailerMismatch(
        SafeFileHandle handle, string name, long length, int member, ReadTrackingStream input, uint crc, uint size)
    {
        var lastEight = length - 8;
        if (lastEight >= input.PreviousReadStart && lastEight <= input.LastReadEnd)
        {
            var trailer = ReadAt(handle, lastEight, 8);
            var recordedCrc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
            var recordedSize = BinaryPrimitives.ReadUInt32LittleEndian(trailer.AsSpan(4));
            return new BackupRejectedException(name,
                $"Backup '{name}' is corrupt: its gzip trailer records CRC-32 {recordedCrc:x8} and length {recordedSize:N0}, " +
                $"but its data expanded to CRC-32 {crc:x8} and length {size:N0}. The file was damaged or cut short after gzip wrote it; drill an older backup with -Backup.");
        }

        return new BackupRejectedException(name,
            $"Backup '{name}' is corrupt: gzip member {member} ends without the trailer its data calls for (CRC-32 {crc:x8}, length {size:N0}) " +
            $"between bytes {input.PreviousReadStart:N0} and {input.LastReadEnd:N0} of {length:N0}. The file was damaged after gzip wrote it; drill an older backup with -Backup.");
    }

    private static BackupRejectedException Truncated(string name, long length) =>
        new(name, $"Backup '{name}' is truncated: its {length:N0} bytes end before its compressed data does. " +
                  "The file was cut short after gzip wrote it (a full disk, an interrupted copy); drill an older backup with -Backup.");

    private static ExpansionLimitException LimitReached(
        string name, long length, double maxRatio, long ratioLimit, long diskLimit, long freeBytes, string folder) =>
        ratioLimit <= diskLimit
            ? new ExpansionLimitException(
                $"Backup '{name}' expands to more than {maxRatio:0.##} times its {length:N0} compressed bytes ({ratioLimit:N0} bytes), " +
                "so the drill stopped expanding it: a guard against a decompression bomb. If the database really compresses that well, " +
                "raise the limit with -MaxExpansionRatio (--max-expansion-ratio).", ratioLimit)
            : new ExpansionLimitException(
                $"Backup '{name}' expands to more than the {diskLimit:N0} bytes the drill may use in '{folder}' ({freeBytes:N0} bytes free, " +
                $"less {SpareBytes / (1024 * 1024)} MiB kept spare), so the drill stopped expanding it. Free space there, or expand on a bigger disk with -TempDir (--temp-dir).",
                diskLimit);

    private static byte[] ReadAt(SafeFileHandle handle, long offset, int count)
    {
        var bytes = new byte[Math.Max(0, count)];
        var filled = 0;
        while (filled < bytes.Length)
        {
            var read = RandomAccess.Read(handle, bytes.AsSpan(filled), offset + filled);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return bytes[..filled];
    }
}
