using System.Text;
using FluentAssertions;
using Gittensory.Drills.Preflight;
using Xunit;

namespace Gittensory.Drills.Tests.Preflight;

/// <summary>What a file that is not a custom-format archive is said to be.</summary>
public sealed class ArchiveSnifferTests
{
    [Theory]
    [InlineData("--\n-- PostgreSQL database cluster dump\n--\n", "*a pg_dumpall script*")]
    [InlineData("SET statement_timeout = 0;\n", "*a plain SQL script*only psql*")]
    [InlineData("PGD", "*only 3 byte(s) long*cut short*")]
    [InlineData("hello, this is not a dump\nat all\n", "*a text file starting with \"hello, this is not a dump\"*")]
    public void TextFilesAreDescribedByWhatTheyStartWith(string text, string expected)
    {
        ArchiveSniffer.Describe(Encoding.UTF8.GetBytes(text)).Should().Match(expected);
    }

    [Fact]
    public void ZstdDataIsNamed()
    {
        ArchiveSniffer.Describe([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0]).Should().StartWith("it is zstd-compressed data");
    }

    [Fact]
    public void ATarArchiveThatIsNotAPgDumpNamesItsFirstMember()
    {
        var tar = new byte[512];
        "full-snapshot-2026-07-04-09-09-39.snapshot"u8.CopyTo(tar);
        "ustar"u8.CopyTo(tar.AsSpan(257));

        ArchiveSniffer.Describe(tar).Should().Match("it is a tar archive whose first member is 'full-snapshot-2026-07-04-09-09-39.snapshot', not a pg_dump archive*");
    }
}
