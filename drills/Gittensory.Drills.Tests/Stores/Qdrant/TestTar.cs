using System.Text;

namespace Gittensory.Drills.Tests.Stores.Qdrant;

/// <summary>
/// Writes tar archives byte by byte the way Qdrant's writer (the Rust tar crate) does: GNU headers, GNU long names,
/// and old-GNU sparse members ('S') with extension blocks; two zero blocks at the end. Only for tests.
/// </summary>
internal sealed class TestTar
{
    // A growing byte list rather than a MemoryStream: nothing to dispose.
    private readonly List<byte> bytes = [];
    private readonly Sink output;

    public TestTar()
    {
        output = new Sink(bytes);
    }

    public TestTar File(string name, byte[] content)
    {
        WriteHeader(name, '0', content.Length);
        output.Write(content);
        Pad(content.Length);
        return this;
    }

    public TestTar File(string name, string content) => File(name, Encoding.UTF8.GetBytes(content));

    public TestTar Directory(string name)
    {
        WriteHeader(name.EndsWith('/') ? name : name + "/", '5', 0);
        return this;
    }

    /// <summary>A GNU sparse member of <paramref name="realSize"/> bytes whose only data are <paramref name="regions"/>.</summary>
    public TestTar Sparse(string name, long realSize, params (long Offset, byte[] Data)[] regions)
    {
        var stored = regions.Sum(r => (long)r.Data.Length);
        var block = Header(name, 'S', stored);
        for (var i = 0; i < Math.Min(4, regions.Length); i++)
        {
            Octal(block, 386 + (i * 24), 12, regions[i].Offset);
            Octal(block, 386 + (i * 24) + 12, 12, regions[i].Data.Length);
        }

        block[482] = (byte)(regions.Length > 4 ? 1 : 0);
        Octal(block, 483, 12, realSize);
        Checksum(block);
        output.Write(block);
        var rest = regions.Skip(4).ToArray();
        for (var at = 0; at < rest.Length; at += 21)
        {
            var ext = new byte[512];
            var chunk = rest.Skip(at).Take(21).ToArray();
            for (var i = 0; i < chunk.Length; i++)
            {
                Octal(ext, i * 24, 12, chunk[i].Offset);
                Octal(ext, (i * 24) + 12, 12, chunk[i].Data.Length);
            }

            ext[504] = (byte)(at + 21 < rest.Length ? 1 : 0);
            output.Write(ext);
        }

        foreach (var (_, data) in regions)
        {
            output.Write(data);
        }

        Pad(stored);
        return this;
    }

    /// <summary>The archive with its end marker.</summary>
    public byte[] Finish()
    {
        output.Write(new byte[1024]);
        return [.. bytes];
    }

    private void WriteHeader(string name, char type, long size)
    {
        var block = Header(name, type, size);
        Checksum(block);
        output.Write(block);
    }

    private byte[] Header(string name, char type, long size)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        if (nameBytes.Length > 100)
        {
            // GNU long name: a '././@LongLink' member of type 'L' holding the name, then the real header.
            var longLink = Header("././@LongLink", 'L', nameBytes.Length + 1);
            Checksum(longLink);
            output.Write(longLink);
            output.Write(nameBytes);
            output.WriteByte(0);
            Pad(nameBytes.Length + 1);
            nameBytes = nameBytes[..100];
        }

        var block = new byte[512];
        nameBytes.CopyTo(block, 0);
        Octal(block, 100, 8, type == '5' ? 0x1ed : 0x1a4);
        Octal(block, 108, 8, 0);
        Octal(block, 116, 8, 0);
        Octal(block, 124, 12, size);
        Octal(block, 136, 12, 1_783_156_179);
        block[156] = (byte)type;
        "ustar  \0"u8.CopyTo(block.AsSpan(257));
        return block;
    }

    private void Pad(long size)
    {
        var pad = (512 - (size % 512)) % 512;
        output.Write(new byte[pad]);
    }

    private static void Octal(byte[] block, int at, int width, long value)
    {
        var text = Convert.ToString(value, 8).PadLeft(width - 1, '0');
        Encoding.ASCII.GetBytes(text).CopyTo(block, at);
        block[at + width - 1] = 0;
    }

    private static void Checksum(byte[] block)
    {
        "        "u8.CopyTo(block.AsSpan(148));
        var sum = block.Sum(b => (long)b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0')).CopyTo(block, 148);
        block[154] = 0;
        block[155] = (byte)' ';
    }

    private sealed class Sink(List<byte> bytes)
    {
        public void Write(ReadOnlySpan<byte> data)
        {
            foreach (var b in data)
            {
                bytes.Add(b);
            }
        }

        public void WriteByte(byte b) => bytes.Add(b);
    }
}
