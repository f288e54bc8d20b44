using System.Text;
using FluentAssertions;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Restore;
using Xunit;

namespace Gittensory.Drills.Tests.Stores.Sqlite;

public sealed class GzipExpanderTests : IDisposable
{
    private const string Name = "sqlite/loopover-20260704T090939Z.sqlite.gz";
    private const long Plenty = long.MaxValue / 4;
    private static readonly byte[] Data = MakeData();
    private readonly string folder = Directory.CreateTempSubdirectory("gdrill-test-gzip-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task GivenAMemberWithEveryOptionalHeaderField_WhenExpanded_ThenItsDataComesOutWholeAndChecked()
    {
        // Given (gzip(1) writes the original file name; other tools write the rest)
        var source = Write(GzipBytes.Member(Data, fileName: "loopover-20260704T090939Z.sqlite", comment: "nightly", extra: [1, 2, 3], headerCrc: true));

        // When
        var expansion = await Expand(source);

        // Then
        (await File.ReadAllBytesAsync(Target, TestContext.Current.CancellationToken)).Should().Equal(Data);
        expansion.Members.Should().Be(1);
        expansion.ExpandedBytes.Should().Be(Data.Length);
        expansion.Head.Should().Equal(Data[..100]);
    }

    [Fact]
    public async Task GivenTwoMembersOneAfterTheOther_WhenExpanded_ThenBothAreExpandedAndEachIsChecked()
    {
        // Given what `cat a.gz b.gz` makes
        var second = Encoding.ASCII.GetBytes("and a second member");
        var source = Write([.. GzipBytes.Member(Data, fileName: "a"), .. GzipBytes.Member(second)]);

        // When
        var expansion = await Expand(source);

        // Then
        expansion.Members.Should().Be(2);
        (await File.ReadAllBytesAsync(Target, TestContext.Current.CancellationToken)).Should().Equal([.. Data, .. second]);
    }

    [Fact]
    public async Task GivenASecondMemberWithAWrongCrc_WhenExpanded_ThenItIsRefusedThoughTheFirstIsSound()
    {
        // Given
        var second = GzipBytes.Member(Encoding.ASCII.GetBytes("second"));
        second[^8] ^= 0xff;
        var source = Write([.. GzipBytes.Member(Data), .. second]);

        // When
        var expand = () => Expand(source);

        // Then
        (await expand.Should().ThrowAsync<BackupRejectedException>()).Which.Message.Should().StartWith($"Backup '{Name}' is corrupt: its gzip trailer records CRC-32 ");
        File.Exists(Target).Should().BeFalse("a failed expansion leaves nothing behind");
    }

    [Fact]
    public async Task GivenBytesAfterTheLastMemberThatAreNotGzip_WhenExpanded_ThenTheyAreRefusedAndCounted()
    {
        var source = Write([.. GzipBytes.Member(Data), .. "JUNK"u8]);

        var expand = () => Expand(source);

        (await expand.Should().ThrowAsync<BackupRejectedException>()).Which.Message.Should().Be(
            $"Backup '{Name}' has 4 bytes after the end of its gzip data that are not another gzip member (they begin with 'JUNK' (4a 55 4e 4b)). " +
            "gzip never writes such bytes; drill an older backup with -Backup, and find out what appended them.");
    }

    [Fact]
    public async Task GivenAnUncompressedSqliteDatabaseNamedGz_WhenExpanded_ThenItIsRefusedSayingWhatItIs()
    {
        var source = Write([.. "SQLite format 3\0"u8, .. new byte[200]]);

        var expand = () => Expand(source);

        (await expand.Should().ThrowAsync<BackupRejectedException>()).Which.Message.Should().Be(
            $"Backup '{Name}' is not a gzip file: it begins with 53 51 4c 69 74 65 20 66 6f 72 6d 61 74 20 33 00, not the gzip signature 1f 8b " +
            "(it is an uncompressed SQLite database). LoopOver gzips every SQLite backup; drill an older backup with -Backup, and find out what wrote this file.");
    }

    [Fact]
    public async Task GivenAnEmptyFile_WhenExpanded_ThenItIsRefusedAsEmpty()
    {
        var source = Write([]);

        var expand = () => Expand(source);

        (await expand.Should().ThrowAsync<BackupRejectedException>()).Which.Message.Should().Be(
            $"Backup '{Name}' is empty (0 bytes). LoopOver keeps only non-empty backups; drill an older one with -Backup, and find out what emptied this one.");
    }

    [Theory]
    [InlineData(5)]
    [InlineData(10)]
    [InlineData(2000)]
    public async Task GivenAMemberCutShortInItsHeaderOrItsData_WhenExpanded_ThenItIsRefusedAsTruncated(int keep)
    {
        var source = Write(GzipBytes.Member(Data)[..keep]);

        var expand = () => Expand(source);

        (await expand.Should().ThrowAsync<BackupRejectedException>()).Which.Message.Should().Be(
            $"Backup '{Name}' is truncated: its {keep:N0} bytes end before its compressed data does. " +
            "The file was cut short after gzip wrote it (a full disk, an interrupted copy); drill an older backup with -Backup.");
    }

    [Fact]
    public async Task GivenAMemberWhoseTrailerIsMissing_WhenExpanded_ThenItIsRefusedAsDamagedOrCutShort()
    {
        // Given the deflate data whole but the 8-byte trailer cut off, which GZipStream accepts without a word
        var source = Write(GzipBytes.Member(Data)[..^8]);

        // When
        var expand = () => Expand(source);

        // Then
        (await expand.Should().ThrowAsync<BackupRejectedException>()).Which.Message.Should().EndWith(
            "The file was damaged or cut short after gzip wrote it; drill an older backup with -Backup.");
    }

    [Fact]
    public async Task GivenAMemberWithAWrongLength_WhenExpanded_ThenBothRecordedAndExpandedLengthsAreNamed()
    {
        var member = GzipBytes.Member(Data);
        member[^1] ^= 0x01;
        var source = Write(member);

        var expand = () => Expand(source);

        var crc = GzipBytes.TrailerCrc(member);
        (await expand.Should().ThrowAsync<BackupRejectedException>()).Which.Message.Should().Be(
            $"Backup '{Name}' is corrupt: its gzip trailer records CRC-32 {crc:x8} and length {GzipBytes.TrailerLength(member):N0}, " +
            $"but its data expanded to CRC-32 {crc:x8} and length {Data.Length:N0}. The file was damaged or cut short after gzip wrote it; drill an older backup with -Backup.");
    }

    [Fact]
    public async Task GivenLessFreeSpaceThanTheDataNeeds_WhenExpanded_ThenTheDiskLimitIsNamedWithHowToRaiseIt()
    {
        // Given free space for 1,000 bytes beyond what the drill keeps spare
        var source = Write(GzipBytes.Member(Data));

        // When
        var expand = () => Expand(source, freeBytes: GzipExpander.SpareBytes + 1000);

        // Then
        var e = (await expand.Should().ThrowAsync<ExpansionLimitException>()).Which;
        e.Message.Should().Be(
            $"Backup '{Name}' expands to more than the 1,000 bytes the drill may use in '{folder}' ({GzipExpander.SpareBytes + 1000:N0} bytes free, " +
            "less 64 MiB kept spare), so the drill stopped expanding it. Free space there, or expand on a bigger disk with -TempDir (--temp-dir).");
        e.LimitBytes.Should().Be(1000);
        File.Exists(Target).Should().BeFalse();
    }

    [Fact]
    public async Task GivenDataThatCompressesBetterThanTheRatio_WhenExpanded_ThenTheRatioLimitIsNamedWithHowToRaiseIt()
    {
        // Given a megabyte of zeros: about 1,000 to 1
        var bomb = GzipBytes.Member(new byte[1 << 20]);
        var source = Write(bomb);

        // When
        var expand = () => Expand(source, maxRatio: 50);

        // Then
        (await expand.Should().ThrowAsync<ExpansionLimitException>()).Which.Message.Should().Be(
            $"Backup '{Name}' expands to more than 50 times its {bomb.Length:N0} compressed bytes ({bomb.Length * 50:N0} bytes), " +
            "so the drill stopped expanding it: a guard against a decompression bomb. If the database really compresses that well, " +
            "raise the limit with -MaxExpansionRatio (--max-expansion-ratio).");
    }

    private string Target => Path.Combine(folder, "expanded");

    private string Write(byte[] bytes)
    {
        var path = Path.Combine(folder, "backup.sqlite.gz");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private Task<GzipExpansion> Expand(string source, double maxRatio = 1e6, long freeBytes = Plenty) =>
        GzipExpander.ExpandAsync(source, Name, Target, maxRatio, freeBytes, ct: TestContext.Current.CancellationToken);

    /// <summary>300 KB that compress somewhat (long enough for the inflater to read the file in several pieces).</summary>
    private static byte[] MakeData()
    {
        var random = new Random(7);
        var data = new byte[300_000];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (byte)(i % 64 < 40 ? random.Next(256) : i % 7);
        }

        return data;
    }
}
