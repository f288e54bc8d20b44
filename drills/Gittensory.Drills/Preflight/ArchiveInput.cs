using System.Security.Cryptography;
using System.Text;

namespace Gittensory.Drills.Preflight;

/// <summary>
/// Reads a custom-format archive front to back through one fixed buffer, with the archiver's primitives
/// (ReadInt, ReadStr, ReadOffset in src/bin/pg_dump/pg_backup_archiver.c) and, when asked, the SHA-256 of every byte read.
/// It never seeks, so the hash covers the whole file once the reader has reached its end.
/// </summary>
/// <remarks>
/// The file is read synchronously behind the asynchronous methods: on Linux .NET's asynchronous file reads are synchronous reads
/// on a pool thread anyway, and a read that completes at once keeps the whole chain (inflate, count, hash) on the calling thread.
/// That is what lets <see cref="IdlePriorityThread"/> run an archive read at idle CPU priority, on a thread of its own.
/// </remarks>
internal sealed class ArchiveInput : IAsyncDisposable
{
    private const int BufferSize = 256 * 1024;

    private readonly FileStream file;
    private readonly byte[] buffer = new byte[BufferSize];
    private readonly IncrementalHash? hash;
    private readonly IProgress<PgReadProgress>? progress;
    private int start;
    private int end;
    private long bufferOffset;
    private long nextProgress;

    private ArchiveInput(FileStream file, bool computeHash, IProgress<PgReadProgress>? progress)
    {
        this.file = file;
        Length = file.Length;
        hash = computeHash ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        this.progress = progress;
    }

    /// <summary>The file's length when it was opened, in bytes.</summary>
    public long Length { get; }

    /// <summary>The offset of the next byte to be read.</summary>
    public long Position => bufferOffset + start;

    /// <summary>Bytes per integer in this archive (from the header; 4 until the header says otherwise).</summary>
    public int IntSize { get; set; } = 4;

    /// <summary>Bytes per file offset in this archive (from the header).</summary>
    public int OffsetSize { get; set; } = 8;

    /// <summary>Opens <paramref name="path"/> read-only, sharing it with readers (never with writers' truncation).</summary>
    public static ArchiveInput Open(string path, bool computeHash = false, IProgress<PgReadProgress>? progress = null)
    {
        var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.Read,
            Options = FileOptions.SequentialScan,
            BufferSize = 0,
        });
        return new ArchiveInput(stream, computeHash, progress);
    }

    /// <summary>Reads one byte, or null at the end of the file (how pg_restore's _readBlockHeader sees EOF).</summary>
    public async ValueTask<int?> TryReadByteAsync(CancellationToken ct)
    {
        if (start == end && !await FillAsync(1, ct))
        {
            return null;
        }

        return buffer[start++];
    }

    /// <summary>Reads one byte.</summary>
    public async ValueTask<byte> ReadByteAsync(CancellationToken ct)
    {
        await EnsureAsync(1, ct);
        return buffer[start++];
    }

    /// <summary>Reads <paramref name="count"/> bytes (at most the buffer size) into a new array.</summary>
    public async ValueTask<byte[]> ReadBytesAsync(int count, CancellationToken ct)
    {
        await EnsureAsync(count, ct);
        var bytes = buffer.AsSpan(start, count).ToArray();
        start += count;
        return bytes;
    }

    /// <summary>ReadInt: a sign byte, then <see cref="IntSize"/> bytes, least significant first.</summary>
    public async ValueTask<long> ReadIntAsync(CancellationToken ct)
    {
        var size = IntSize + 1;
        await EnsureAsync(size, ct);
        var sign = buffer[start];
        long value = 0;
        for (var i = IntSize; i >= 1; i--)
        {
            value = (value << 8) | buffer[start + i];
        }

        start += size;
        return sign != 0 ? -value : value;
    }

    /// <summary>ReadStr: an int length (-1 for NULL) followed by that many bytes, decoded as UTF-8.</summary>
    public async ValueTask<string?> ReadStringAsync(CancellationToken ct)
    {
        var at = Position;
        var length = await ReadIntAsync(ct);
        if (length < 0)
        {
            if (length != -1)
            {
                throw new ArchiveCorruptException(at, $"a string length of {length} (only -1, meaning NULL, may be negative)");
            }

            return null;
        }

        if (length > Length - Position)
        {
            throw new ArchiveEndOfFileException(Position, length);
        }

        if (length <= BufferSize)
        {
            await EnsureAsync((int)length, ct);
            var text = Encoding.UTF8.GetString(buffer, start, (int)length);
            start += (int)length;
            return text;
        }

        // A definition longer than the buffer (a big function body or view): rare, and bounded by the file's size.
        var bytes = new byte[length];
        var filled = 0;
        while (filled < bytes.Length)
        {
            var n = await ReadAsync(bytes.AsMemory(filled), ct);
            if (n == 0)
            {
                throw new ArchiveEndOfFileException(Position, bytes.Length - filled);
            }

            filled += n;
        }

        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>ReadOffset: a state byte (1 not set, 2 set, 3 no data), then <see cref="OffsetSize"/> bytes, least significant first.</summary>
    public async ValueTask<(PgDataState State, long Offset)> ReadOffsetAsync(CancellationToken ct)
    {
        var at = Position;
        var flag = await ReadByteAsync(ct);
        if (flag is < 1 or > 3)
        {
            throw new ArchiveCorruptException(at, $"an unexpected data offset flag {flag} (expected 1, 2 or 3)");
        }

        await EnsureAsync(OffsetSize, ct);
        long offset = 0;
        for (var i = 0; i < OffsetSize; i++)
        {
            var b = buffer[start + i];
            if (i < sizeof(long))
            {
                offset |= (long)b << (8 * i);
            }
            else if (b != 0)
            {
                throw new ArchiveCorruptException(at, "a data offset larger than 64 bits");
            }
        }

        start += OffsetSize;
        return ((PgDataState)flag, offset);
    }

    /// <summary>Copies up to <paramref name="destination"/>'s length of the next bytes; 0 only at the end of the file.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken ct)
    {
        if (destination.IsEmpty)
        {
            return 0;
        }

        if (start == end && !await FillAsync(1, ct))
        {
            return 0;
        }

        var n = Math.Min(destination.Length, end - start);
        buffer.AsMemory(start, n).CopyTo(destination);
        start += n;
        return n;
    }

    /// <summary>Consumes <paramref name="count"/> bytes without keeping them (they are still hashed).</summary>
    public async ValueTask SkipAsync(long count, CancellationToken ct)
    {
        while (count > 0)
        {
            if (start == end && !await FillAsync(1, ct))
            {
                throw new ArchiveEndOfFileException(Position, count);
            }

            var n = (int)Math.Min(count, end - start);
            start += n;
            count -= n;
        }
    }

    /// <summary>The SHA-256 of every byte read so far, as lowercase hex (the whole file once the end has been reached).</summary>
    public string FinishHash()
    {
        if (hash is null)
        {
            throw new InvalidOperationException("This input was opened without hashing.");
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        hash?.Dispose();
        await file.DisposeAsync();
    }

    private async ValueTask EnsureAsync(int count, CancellationToken ct)
    {
        if (end - start < count && !await FillAsync(count, ct))
        {
            throw new ArchiveEndOfFileException(Position, count);
        }
    }

    /// <summary>Makes at least <paramref name="count"/> bytes available; false when the file ends first.</summary>
    private ValueTask<bool> FillAsync(int count, CancellationToken ct)
    {
        if (start > 0)
        {
            var kept = end - start;
            Buffer.BlockCopy(buffer, start, buffer, 0, kept);
            bufferOffset += start;
            start = 0;
            end = kept;
        }

        while (end < count)
        {
            ct.ThrowIfCancellationRequested();
            var n = file.Read(buffer, end, buffer.Length - end);
            if (n == 0)
            {
                return ValueTask.FromResult(false);
            }

            hash?.AppendData(buffer, end, n);
            end += n;
            ReportProgress(bufferOffset + end);
        }

        return ValueTask.FromResult(true);
    }

    private void ReportProgress(long read)
    {
        if (progress is null || (read < nextProgress && read < Length))
        {
            return;
        }

        progress.Report(new PgReadProgress(read, Length));
        nextProgress = read + (8L << 20);
    }
}
