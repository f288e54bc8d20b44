namespace Gittensory.Drills.Restore;

/// <summary>
/// A read-only view of a file for a <see cref="System.IO.Compression.DeflateStream"/> that remembers which byte ranges the
/// inflater read last and whether it asked for bytes past the end of the file: an inflater that finishes never asks again,
/// so asking past the end means the deflate data was cut short.
/// </summary>
internal sealed class ReadTrackingStream(FileStream file) : Stream
{
    private long lastReadStart;

    /// <summary>Where the read before the last one started (the deflate data ends in one of the last two reads).</summary>
    public long PreviousReadStart { get; private set; }

    /// <summary>Where the last read ended.</summary>
    public long LastReadEnd { get; private set; }

    /// <summary>True once a read found the end of the file.</summary>
    public bool ReachedEnd { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => file.Position;
        set => throw new NotSupportedException();
    }

    /// <summary>Forgets earlier reads: a new gzip member's deflate data starts at the file's current position.</summary>
    public void StartMember()
    {
        ReachedEnd = false;
        PreviousReadStart = LastReadEnd = lastReadStart = file.Position;
    }

    public override int Read(Span<byte> buffer)
    {
        var start = file.Position;
        var read = file.Read(buffer);
        Record(start, buffer.Length == 0 ? -1 : read);
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 1 ? one[0] : -1;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var start = file.Position;
        var read = await file.ReadAsync(buffer, cancellationToken);
        Record(start, buffer.Length == 0 ? -1 : read);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void Record(long start, int read)
    {
        if (read <= 0)
        {
            ReachedEnd |= read == 0;
            return;
        }

        PreviousReadStart = lastReadStart;
        lastReadStart = start;
        LastReadEnd = start + read;
    }
}
