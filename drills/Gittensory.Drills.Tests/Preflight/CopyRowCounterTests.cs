using System.Text;
using FluentAssertions;
using Gittensory.Drills.Preflight;
using Xunit;

namespace Gittensory.Drills.Tests.Preflight;

/// <summary>Counting COPY text rows as pg_dump writes them, however the bytes arrive.</summary>
public sealed class CopyRowCounterTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("\\.\n\n\n", 0)]
    [InlineData("1\ta\n\\.\n\n\n", 1)]
    [InlineData("1\ta\n2\tb\n", 2)]
    [InlineData("\n\n\\.\n\n\n", 2)]
    [InlineData("\\\\.\n\\.\n\n\n", 1)]
    [InlineData("x\\\\.\n\\.\n", 1)]
    [InlineData("two\\nlines\tand\\ttab\n\\.\n\n\n", 1)]
    [InlineData("no final newline", 1)]
    public void RowsAreLinesBeforeTheEndMarker(string data, long rows)
    {
        var bytes = Encoding.UTF8.GetBytes(data);

        // Fed at once, and byte by byte (the marker split across reads)
        var whole = new CopyRowCounter();
        whole.Add(bytes);
        var pieces = new CopyRowCounter();
        foreach (var b in bytes)
        {
            pieces.Add([b]);
        }

        whole.Rows.Should().Be(rows);
        pieces.Rows.Should().Be(rows);
    }

    [Fact]
    public void ManyRowsInLargeBuffersAreCountedExactly()
    {
        var row = Encoding.UTF8.GetBytes("12345\tsome text with \\n an escaped newline\n");
        var counter = new CopyRowCounter();
        var buffer = Enumerable.Range(0, 10_000).SelectMany(_ => row).ToArray();
        for (var i = 0; i < 7; i++)
        {
            counter.Add(buffer);
        }

        counter.Add("\\.\n\n\n"u8);

        counter.Rows.Should().Be(70_000);
    }
}
