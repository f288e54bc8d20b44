using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;

namespace Gittensory.Drills.Tests.Stores.Sqlite;

/// <summary>Gzip members built byte by byte from RFC 1952 (header, raw deflate, CRC-32, length), so the tests do not trust the code under test to make them.</summary>
internal static class GzipBytes
{
    /// <summary>One gzip member holding <paramref name="data"/>, with the optional header fields that <c>gzip</c> and other tools write.</summary>
    public static byte[] Member(byte[] data, string? fileName = null, string? comment = null, byte[]? extra = null, bool headerCrc = false)
    {
        var header = new List<byte> { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
        byte flags = 0;
        if (extra is not null)
        {
            flags |= 4;
            header.AddRange([(byte)extra.Length, (byte)(extra.Length >> 8), .. extra]);
        }

        if (fileName is not null)
        {
            flags |= 8;
            header.AddRange([.. Encoding.Latin1.GetBytes(fileName), 0]);
        }

        if (comment is not null)
        {
            flags |= 16;
            header.AddRange([.. Encoding.Latin1.GetBytes(comment), 0]);
        }

        if (headerCrc)
        {
            flags |= 2;
        }

        header[3] = flags;
        if (headerCrc)
        {
            var crc16 = (ushort)Crc32.HashToUInt32(header.ToArray());
            header.AddRange([(byte)crc16, (byte)(crc16 >> 8)]);
        }

        var deflated = new MemoryStream();
        using (var deflate = new DeflateStream(deflated, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(data);
        }

        var trailer = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, Crc32.HashToUInt32(data));
        BinaryPrimitives.WriteUInt32LittleEndian(trailer.AsSpan(4), (uint)data.Length);
        return [.. header, .. deflated.ToArray(), .. trailer];
    }

    /// <summary>The CRC-32 a gzip trailer records (its first 4 bytes).</summary>
    public static uint TrailerCrc(byte[] gz) => BinaryPrimitives.ReadUInt32LittleEndian(gz.AsSpan(gz.Length - 8));

    /// <summary>The length a gzip trailer records (its last 4 bytes).</summary>
    public static uint TrailerLength(byte[] gz) => BinaryPrimitives.ReadUInt32LittleEndian(gz.AsSpan(gz.Length - 4));
}
