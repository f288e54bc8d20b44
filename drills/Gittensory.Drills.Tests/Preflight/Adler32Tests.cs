using System.IO.Compression;
using FluentAssertions;
using Gittensory.Drills.Preflight;
using Xunit;

namespace Gittensory.Drills.Tests.Preflight;

/// <summary>The checksum that tells a complete zlib stream from one cut short.</summary>
public sealed class Adler32Tests
{
    [Fact]
    public void TheChecksumOfNothingIsOne()
    {
        Adler32.Update(Adler32.Initial, []).Should().Be(1);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(5551)]
    [InlineData(5552)]
    [InlineData(100_003)]
    public void TheChecksumIsTheOneZlibWritesAtTheEndOfItsStream(int length)
    {
        // Given data of that length, worst case for overflow (all 0xff) and random
        foreach (var data in new[] { Enumerable.Repeat((byte)0xff, length).ToArray(), Random(length) })
        {
            // When zlib compresses it, its last four bytes are the Adler-32 (big-endian)
            using var output = new MemoryStream();
            using (var zlib = new ZLibStream(output, CompressionLevel.Fastest))
            {
                zlib.Write(data);
            }

            var trailer = output.ToArray()[^4..];
            var expected = ((uint)trailer[0] << 24) | ((uint)trailer[1] << 16) | ((uint)trailer[2] << 8) | trailer[3];

            // Then ours agrees, in one call and in pieces
            Adler32.Update(Adler32.Initial, data).Should().Be(expected);
            var pieces = Adler32.Initial;
            for (var i = 0; i < data.Length; i += 777)
            {
                pieces = Adler32.Update(pieces, data.AsSpan(i, Math.Min(777, data.Length - i)));
            }

            pieces.Should().Be(expected);
        }
    }

    private static byte[] Random(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }
}
