namespace Gittensory.Drills.Preflight;

/// <summary>
/// The content of the current tar member, read forward from the walker's source; a GNU sparse member's holes read as
/// zeros, so a nested archive inside a sparse member reads as the file it was.
/// </summary>
internal sealed class TarEntryStream(TarWalker walker, TarEntryHeader entry) : Stream
{
    private long position;
    private long storedLeft = entry.StoredBytes;
    private int region;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => entry.Size;

    public override long Position
    {
        get => position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.IsEmpty || position >= entry.Size)
        {
            return 0;
        }

        if (entry.SparseMap is not { } map)
        {
            var n = walker.ReadStored(buffer, entry, storedLeft);
            storedLeft -= n;
            position += n;
            return n;
        }

        while (region < map.Count && map[region].Offset + map[region].Length <= position)
        {
            region++;
        }

        long chunk;
        if (region >= map.Count || position < map[region].Offset)
        {
            // A hole: zeros up to the next stored region (or the end of the file).
            var holeEnd = region < map.Count ? map[region].Offset : entry.Size;
            chunk = Math.Min(buffer.Length, holeEnd - position);
            buffer[..(int)chunk].Clear();
        }
        else
        {
            var regionLeft = map[region].Offset + map[region].Length - position;
            chunk = walker.ReadStored(buffer[..(int)Math.Min(buffer.Length, regionLeft)], entry, storedLeft);
            storedLeft -= chunk;
        }

        position += chunk;
        return (int)chunk;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    /// <summary>Consumes the stored bytes not read yet (holes cost nothing).</summary>
    public void SkipToEnd(byte[] scratch, CancellationToken ct)
    {
        while (storedLeft > 0)
        {
            ct.ThrowIfCancellationRequested();
            var n = walker.ReadStored(scratch, entry, storedLeft);
            storedLeft -= n;
        }

        position = entry.Size;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
