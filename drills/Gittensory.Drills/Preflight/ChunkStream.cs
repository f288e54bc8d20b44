namespace Gittensory.Drills.Preflight;

/// <summary>
/// The payload of one data block as a stream: the chunks <c>int length + bytes</c> that _CustomWriteFunc writes, concatenated,
/// ending at the zero length that _EndData writes (pg_backup_custom.c). For a zlib-compressed table they form one zlib stream.
/// </summary>
internal sealed class ChunkStream(ArchiveInput input) : Stream
{
    private long remaining;

    /// <summary>True once the zero length that ends the block has been read.</summary>
    public bool Ended { get; private set; }

    /// <summary>The last four payload bytes read, big-endian (a complete zlib stream ends with its Adler-32 there).</summary>
    public uint LastFourBytes { get; private set; }

    /// <summary>Payload bytes read so far.</summary>
    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (remaining == 0)
        {
            if (Ended)
            {
                return 0;
            }

            var at = input.Position;
            var length = await input.ReadIntAsync(cancellationToken);
            if (length < 0)
            {
                throw new ArchiveCorruptException(at, $"a chunk length of {length}");
            }

            if (length == 0)
            {
                Ended = true;
                return 0;
            }

            remaining = length;
        }

        var n = await input.ReadAsync(buffer[..(int)Math.Min(buffer.Length, remaining)], cancellationToken);
        if (n == 0)
        {
            throw new ArchiveEndOfFileException(input.Position, remaining);
        }

        remaining -= n;
        BytesRead += n;
        foreach (var b in buffer.Span[Math.Max(0, n - 4)..n])
        {
            LastFourBytes = (LastFourBytes << 8) | b;
        }

        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Everything here is async; a synchronous read would block on file I/O, so it is not offered.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("ChunkStream is read asynchronously.");

    /// <summary>Reads and discards the rest of the block, through its ending zero length.</summary>
    public async ValueTask DrainAsync(CancellationToken ct)
    {
        while (!Ended)
        {
            if (remaining > 0)
            {
                await input.SkipAsync(remaining, ct);
                remaining = 0;
            }

            var at = input.Position;
            var length = await input.ReadIntAsync(ct);
            if (length < 0)
            {
                throw new ArchiveCorruptException(at, $"a chunk length of {length}");
            }

            if (length == 0)
            {
                Ended = true;
            }
            else
            {
                remaining = length;
            }
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
