using System.Text;

namespace Gittensory.Drills.Preflight;

/// <summary>
/// Walks a tar archive header by header while reading it once from start to end, never seeking, so it works on a
/// member of another archive as well as on a file. It understands what Qdrant's snapshots hold: GNU headers, GNU long
/// names (<c>'L'</c>), PAX records (<c>'x'</c>) and GNU sparse members (<c>'S'</c>, with their extension blocks),
/// which System.Formats.Tar's reader refuses ("Entry type 'SparseFile' not supported"). Qdrant writes them because it
/// builds its archives with the Rust tar crate in sparse mode (qdrant/qdrant lib/common/common/src/tar_ext.rs,
/// <c>tar.sparse(true)</c>). Layout: POSIX ustar plus the GNU extensions described in GNU tar's manual, "Basic Tar Format".
/// </summary>
internal sealed class TarWalker : IDisposable
{
    private const int Block = 512;
    private const int MaxMetadataBytes = 1024 * 1024;

    private readonly Stream source;
    private readonly byte[] header = new byte[Block];
    private readonly byte[] scratch;
    private TarEntryStream? data;
    private long unreadPadding;

    /// <summary>Creates a walker over <paramref name="source"/>, read forward only.</summary>
    public TarWalker(Stream source, string? label = null, int bufferSize = 256 * 1024)
    {
        this.source = source;
        Label = label;
        scratch = new byte[bufferSize];
    }

    /// <summary>Nothing to release: the walker never owns its source; the member streams only read through it.</summary>
    public void Dispose() => data = null;

    /// <summary>The member this archive is nested in (for messages), or null for a file.</summary>
    public string? Label { get; }

    /// <summary>Bytes consumed from the source so far.</summary>
    public long Position { get; private set; }

    /// <summary>The member whose data is next in the source, or null before the first and after the end marker.</summary>
    public TarEntryHeader? Current { get; private set; }

    /// <summary>The next member (skipping what is left of the current one's data), or null at the end-of-archive marker.</summary>
    /// <exception cref="TarFormatException">The archive ends early or a header is not a tar header.</exception>
    public TarEntryHeader? Next(CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        SkipRest(ct);
        string? longName = null;
        string? paxPath = null;
        long? paxSize = null;
        while (true)
        {
            var offset = Position;
            var read = ReadFully(header);
            if (read == 0)
            {
                throw Fail(
                    $"ends after {Position:N0} bytes without tar's end-of-archive marker (two zero blocks): it was cut short at a member boundary", Position, truncated: true);
            }

            if (read < Block)
            {
                throw Fail($"ends inside a tar header at byte {offset:N0}", offset, truncated: true, Block - read);
            }

            if (header.AsSpan().IndexOfAnyExcept((byte)0) < 0)
            {
                Current = null;
                return null;
            }

            if (!ChecksumMatches(header))
            {
                throw Fail(
                    $"has no valid tar header at byte {offset:N0} (its checksum does not match)", offset, truncated: false);
            }

            var type = (char)header[156];
            var headerSize = ReadNumber(header.AsSpan(124, 12), offset);
            switch (type)
            {
                case 'L':
                    longName = Encoding.UTF8.GetString(ReadMetadata(headerSize, offset)).TrimEnd('\0');
                    continue;
                case 'K':
                    _ = ReadMetadata(headerSize, offset);
                    continue;
                case 'x':
                    (paxPath, paxSize) = ParsePax(ReadMetadata(headerSize, offset), paxPath, paxSize);
                    continue;
                case 'g':
                    _ = ReadMetadata(headerSize, offset);
                    continue;
            }

            var stored = paxSize ?? headerSize;

            var name = Normalize(longName ?? paxPath ?? HeaderName(header));
            IReadOnlyList<(long, long)>? map = null;
            var size = stored;
            if (type == 'S')
            {
                (map, size) = ReadSparseMap(offset);
            }

            Current = new TarEntryHeader(name, type, stored, size, offset, map);
            data = new TarEntryStream(this, Current);
            unreadPadding = Padding(stored);
            return Current;
        }
    }

    /// <summary>The current member's content (holes of a sparse member read as zeros); read it before calling <see cref="Next"/>.</summary>
    public Stream OpenData() => data ?? throw new InvalidOperationException("No current tar member.");

    /// <summary>Reads what is left of the source after the end marker (trailing zero records), so a hash of the source covers the whole file.</summary>
    public long Drain(CancellationToken ct = default)
    {
        long total = 0;
        int n;
        while ((n = source.Read(scratch, 0, scratch.Length)) > 0)
        {
            ct.ThrowIfCancellationRequested();
            total += n;
            Position += n;
        }

        return total;
    }

    /// <summary>Reads up to <paramref name="remaining"/> stored bytes of the current member into <paramref name="buffer"/>; fewer only at the member's end.</summary>
    internal int ReadStored(Span<byte> buffer, TarEntryHeader entry, long remaining)
    {
        var want = (int)Math.Min(buffer.Length, remaining);
        if (want == 0)
        {
            return 0;
        }

        var n = ReadFully(buffer[..want]);
        if (n < want)
        {
            throw Fail(
                $"ends inside member '{entry.Name}' ({entry.StoredBytes:N0} bytes stored from byte {entry.Offset:N0}), {remaining - n:N0} bytes short",
                Position, truncated: true, remaining - n);
        }

        return n;
    }

    private void SkipRest(CancellationToken ct)
    {
        if (data is { } current)
        {
            current.SkipToEnd(scratch, ct);
            data = null;
        }

        if (unreadPadding > 0)
        {
            var n = ReadFully(scratch.AsSpan(0, (int)unreadPadding));
            if (n < unreadPadding)
            {
                throw Fail(
                    $"ends inside the padding after member '{Current?.Name}'", Position, truncated: true, unreadPadding - n);
            }

            unreadPadding = 0;
        }
    }

    private int ReadFully(Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = source.Read(buffer[total..]);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        Position += total;
        return total;
    }

    private byte[] ReadMetadata(long size, long offset)
    {
        if (size > MaxMetadataBytes)
        {
            throw Fail($"has a {size:N0}-byte name or PAX record at byte {offset:N0}; no real archive has one that large", offset, truncated: false);
        }

        var bytes = new byte[size];
        if (ReadFully(bytes) < size)
        {
            throw Fail($"ends inside the name record at byte {offset:N0}", offset, truncated: true);
        }

        var pad = Padding(size);
        if (ReadFully(scratch.AsSpan(0, (int)pad)) < pad)
        {
            throw Fail($"ends inside the name record at byte {offset:N0}", offset, truncated: true);
        }

        return bytes;
    }

    private (IReadOnlyList<(long, long)> Map, long RealSize) ReadSparseMap(long offset)
    {
        // Old GNU sparse format: four (offset, numbytes) pairs in the header from byte 386, "isextended" at 482,
        // the real size at 483; then, while isextended, 512-byte blocks of 21 pairs with their own flag at 504.
        var map = new List<(long, long)>();
        AddSparse(header.AsSpan(386, 4 * 24), map, offset);
        var extended = header[482] != 0;
        var realSize = ReadNumber(header.AsSpan(483, 12), offset);
        var block = new byte[Block];
        while (extended)
        {
            if (ReadFully(block) < Block)
            {
                throw Fail($"ends inside the sparse map of the member at byte {offset:N0}", offset, truncated: true);
            }

            AddSparse(block.AsSpan(0, 21 * 24), map, offset);
            extended = block[504] != 0;
        }

        long stored = 0;
        long end = 0;
        foreach (var (at, length) in map)
        {
            if (at < end || at + length > realSize)
            {
                throw Fail($"has an invalid sparse map in the member at byte {offset:N0}", offset, truncated: false);
            }

            stored += length;
            end = at + length;
        }

        if (stored != ReadNumber(header.AsSpan(124, 12), offset))
        {
            throw Fail($"has a sparse member at byte {offset:N0} whose map does not add up to its stored size", offset, truncated: false);
        }

        return (map, realSize);
    }

    private void AddSparse(ReadOnlySpan<byte> pairs, List<(long, long)> map, long offset)
    {
        for (var i = 0; i + 24 <= pairs.Length; i += 24)
        {
            if (pairs[i] == 0)
            {
                continue;
            }

            var at = ReadNumber(pairs.Slice(i, 12), offset);
            var length = ReadNumber(pairs.Slice(i + 12, 12), offset);
            if (length > 0)
            {
                map.Add((at, length));
            }
        }
    }

    private static (string? Path, long? Size) ParsePax(byte[] records, string? path, long? size)
    {
        var text = Encoding.UTF8.GetString(records);
        var at = 0;
        while (at < text.Length)
        {
            var space = text.IndexOf(' ', at);
            if (space < 0 || !int.TryParse(text.AsSpan(at, space - at), out var length) || length <= 0 || at + length > text.Length)
            {
                break;
            }

            var record = text.Substring(space + 1, length - (space - at) - 2);
            var eq = record.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                var key = record[..eq];
                var value = record[(eq + 1)..];
                if (key == "path")
                {
                    path = value;
                }
                else if (key == "size" && long.TryParse(value, out var s))
                {
                    size = s;
                }
            }

            at += length;
        }

        return (path, size);
    }

    private static string HeaderName(byte[] block)
    {
        var name = Field(block.AsSpan(0, 100));
        // POSIX ustar ("ustar\0") keeps a path prefix at 345; the GNU magic ("ustar  \0") uses those bytes for times.
        if (block.AsSpan(257, 6).SequenceEqual("ustar\0"u8))
        {
            var prefix = Field(block.AsSpan(345, 155));
            if (prefix.Length > 0)
            {
                name = prefix + "/" + name;
            }
        }

        return name;
    }

    private static string Field(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }

    private static string Normalize(string name)
    {
        while (name.StartsWith("./", StringComparison.Ordinal))
        {
            name = name[2..];
        }

        return name == "." ? "" : name.TrimEnd('/');
    }

    private TarFormatException Fail(string message, long offset, bool truncated, long missingBytes = 0) =>
        new(message, offset, truncated, missingBytes, Label);

    private static long Padding(long size) => (Block - (size % Block)) % Block;

    private static bool ChecksumMatches(byte[] block)
    {
        long unsignedSum = 0;
        long signedSum = 0;
        for (var i = 0; i < Block; i++)
        {
            var b = i is >= 148 and < 156 ? (byte)' ' : block[i];
            unsignedSum += b;
            signedSum += (sbyte)b;
        }

        var text = Encoding.ASCII.GetString(block, 148, 8).Trim('\0', ' ');
        if (text.Length == 0)
        {
            return false;
        }

        try
        {
            var recorded = Convert.ToInt64(text, 8);
            return recorded == unsignedSum || recorded == signedSum;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private long ReadNumber(ReadOnlySpan<byte> field, long offset)
    {
        if ((field[0] & 0x80) != 0)
        {
            // GNU base-256: big-endian binary in the remaining bytes (the first byte's top bit is the marker).
            if (field[0] == 0xff)
            {
                throw Fail($"has a negative number in the header at byte {offset:N0}", offset, truncated: false);
            }

            long value = field[0] & 0x7f;
            for (var i = 1; i < field.Length; i++)
            {
                value = checked((value << 8) | field[i]);
            }

            return value;
        }

        long result = 0;
        foreach (var b in field)
        {
            if (b is 0 or (byte)' ')
            {
                if (result != 0)
                {
                    break;
                }

                continue;
            }

            if (b is < (byte)'0' or > (byte)'7')
            {
                throw Fail($"has a header at byte {offset:N0} whose numbers are not octal", offset, truncated: false);
            }

            result = checked((result * 8) + (b - '0'));
        }

        return result;
    }
}
