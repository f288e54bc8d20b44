using FluentAssertions;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Preflight;
using Xunit;

namespace Gittensory.Drills.Tests.Preflight;

/// <summary>The rows of small tables kept from an archive's own COPY data, for comparisons across backups without a restore.</summary>
public sealed class CopyTextCaptureTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData(@"a\tb\nc\\d", "a\tb\nc\\d")]
    [InlineData(@"\101\x42", "AB")]
    public void GivenACopyTextField_WhenUnescaped_ThenItIsTheValue(string field, string value) =>
        CopyTextCapture.Unescape(field).Should().Be(value);

    [Fact]
    public void GivenTheNullMarker_WhenUnescaped_ThenItIsNull() => CopyTextCapture.Unescape(@"\N").Should().BeNull();

    [Fact]
    public void GivenACopyStatement_WhenItsColumnsAreRead_ThenQuotedNamesAreUnquoted() =>
        CopyTextCapture.ColumnsOf("COPY public._selfhost_job_stats (name, \"value\") FROM stdin;").Should().Equal("name", "value");

    [Fact]
    public async Task GivenTheSampleDump_WhenItsLedgerAndCountersAreCaptured_ThenEveryNameAndValueIsThere()
    {
        var ct = TestContext.Current.CancellationToken;
        var path = Path.Combine(RepoPaths.SampleBackups, "postgres", "loopover-20260704T090939Z.dump");
        var archive = await PgArchiveReader.ReadHeaderAndTocAsync(path, ct: ct);

        var counts = await PgArchiveReader.CountRowsAsync(path, archive, ["public._selfhost_migrations", "public._selfhost_job_stats"], null, ct);

        var ledger = counts.Captured["public._selfhost_migrations"];
        ledger.Columns.Should().Equal("name", "applied_at");
        ledger.ValuesOf("name").Should().HaveCount(178).And.Contain("0001_initial.sql").And.Contain("0174_gate_backtest_regression.sql");
        ledger.Truncated.Should().BeFalse();
        counts.Captured["public._selfhost_job_stats"].Rows.Should().HaveCount(8);
        counts.Tables[new Gittensory.Drills.Checks.TableName("public", "_selfhost_migrations")].Should().Be(178, "capturing changes no count");
        counts.Captured.Should().HaveCount(2);
    }
}
