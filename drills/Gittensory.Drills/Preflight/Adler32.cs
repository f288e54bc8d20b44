using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Gittensory.Drills.Preflight;

/// <summary>
/// The Adler-32 checksum that ends every zlib stream (RFC 1950). .NET's ZLibStream stops quietly at the end of its input even
/// when the stream is incomplete, so the reader compares the checksum of what it inflated with the stream's last four bytes.
/// </summary>
internal static class Adler32
{
    /// <summary>The checksum of nothing.</summary>
    public const uint Initial = 1;

    private const uint Modulus = 65521;

    // The most bytes that can be summed before b could overflow 32 bits (zlib's NMAX), rounded down to whole 32-byte chunks.
    private const int Block = 5536;

    /// <summary>Continues <paramref name="adler"/> over <paramref name="data"/>.</summary>
    public static uint Update(uint adler, ReadOnlySpan<byte> data)
    {
        uint a = adler & 0xffff;
        uint b = adler >> 16;
        while (!data.IsEmpty)
        {
            var block = data[..Math.Min(Block, data.Length)];
            var whole = Avx2.IsSupported ? block.Length & ~31 : 0;
            if (whole > 0)
            {
                Chunks(block[..whole], ref a, ref b);
            }

            foreach (var x in block[whole..])
            {
                a += x;
                b += a;
            }

            a %= Modulus;
            b %= Modulus;
            data = data[block.Length..];
        }

        return (b << 16) | a;
    }

    /// <summary>
    /// 32 bytes at a time with AVX2, the scheme of zlib's adler32_avx2: for n chunks, b grows by 32·n·a, plus 32 × each chunk's sum
    /// for every later chunk, plus each byte weighted 32..1 by its place in its chunk; a grows by the sum of all bytes.
    /// </summary>
    private static void Chunks(ReadOnlySpan<byte> data, ref uint a, ref uint b)
    {
        var weights = Vector256.Create((sbyte)32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17,
            16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1);
        var ones = Vector256.Create((short)1);
        var sums = Vector256<ulong>.Zero;
        var earlier = Vector256<ulong>.Zero;
        var weighted = Vector256<int>.Zero;
        ref var start = ref MemoryMarshal.GetReference(data);
        var n = data.Length / 32;
        for (var i = 0; i < n; i++)
        {
            earlier += sums;
            var bytes = Vector256.LoadUnsafe(ref Unsafe.Add(ref start, i * 32));
            sums += Avx2.SumAbsoluteDifferences(bytes, Vector256<byte>.Zero).AsUInt64();
            weighted += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(bytes, weights), ones);
        }

        var total = (ulong)b + (32UL * (ulong)n * a) + (32UL * Vector256.Sum(earlier)) + (ulong)Vector256.Sum(weighted);
        b = (uint)(total % Modulus);
        a = (uint)((a + Vector256.Sum(sums)) % Modulus);
    }
}
