using FluentAssertions;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Profiles;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Gittensory.Drills.Tests.Checks;

/// <summary>The one scan of an activity column, on a real SQLite table: each shape's newest value, sentinels, what parses and what does not.</summary>
public sealed class ActivitySqlTests
{
    private static readonly ActivityColumn Column = new("events", "at");
    private static readonly string[] LoopOverSentinels = ["1970-01-01T00:00:00.000Z", "1970-01-01 00:00:00"];

    [Fact]
    public async Task TheNewestValueOfEitherShapeIsFoundAndTheTableCounted()
    {
        var (fact, rows) = await ReadAsync(LoopOverSentinels, "2026-07-04T09:00:00.000Z", "2026-07-04 10:30:00", "2026-07-03T23:00:00.000Z", "", null, "1970-01-01T00:00:00.000Z");

        fact.Newest.Should().Be(new DateTimeOffset(2026, 7, 4, 10, 30, 0, TimeSpan.Zero), "the database-default shape holds the newest value");
        fact.Unparseable.Should().Be(0, "empty and null values are no time stamps, and sentinels are in a shape");
        rows.Should().Be(6);
    }

    [Fact]
    public async Task AShapeHoldingOnlyTheSentinelHasNoNewestValue()
    {
        // Negative control for the sentinel: the scan's maximum is the sentinel itself, which must not count as activity.
        var (fact, _) = await ReadAsync(LoopOverSentinels, "1970-01-01T00:00:00.000Z", "1970-01-01T00:00:00.000Z", "1970-01-01 00:00:00");

        fact.Newest.Should().BeNull("every value is a sentinel");
        fact.Unparseable.Should().Be(0);
    }

    [Fact]
    public async Task ASentinelAboveEveryRealValueIsPassedOver()
    {
        // A profile may name a sentinel from the far future: the newest real value below it is the fact.
        var (fact, _) = await ReadAsync(["9999-12-31T00:00:00.000Z"], "9999-12-31T00:00:00.000Z", "2026-07-04T09:00:00.000Z", "2026-07-01T09:00:00.000Z");

        fact.Newest.Should().Be(new DateTimeOffset(2026, 7, 4, 9, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public async Task ValuesInNeitherShapeAreCountedAsUnparseable()
    {
        // Negative control: epoch milliseconds and a date alone are in neither shape; a shaped value that does not parse counts too.
        var (fact, rows) = await ReadAsync(LoopOverSentinels, "1783155579000", "2026-07-04", "2026-07-04T09:00:00.000Z", "2026-13-45T99:00:00.000Z");

        fact.Unparseable.Should().Be(3, "two values in neither shape, and the 'T' shape's maximum, month 13, does not parse");
        fact.Newest.Should().BeNull("the only parseable value was hidden behind the unparseable maximum of its shape");
        rows.Should().Be(4);
    }

    private static async Task<(ActivityFact Fact, long Rows)> ReadAsync(IReadOnlyList<string> sentinels, params string?[] values)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync(ct);
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE events (id INTEGER PRIMARY KEY, at TEXT)";
            await create.ExecuteNonQueryAsync(ct);
        }

        foreach (var value in values)
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO events (at) VALUES ($at)";
            insert.Parameters.AddWithValue("$at", (object?)value ?? DBNull.Value);
            await insert.ExecuteNonQueryAsync(ct);
        }

        return await ActivitySql.ReadAsync(connection, SqlNames.Quote("events"), Column, sentinels, ct: ct);
    }
}
