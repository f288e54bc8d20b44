using FluentAssertions;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Profiles;
using Gittensory.Drills.Tests.Stores.Postgres;
using Npgsql;
using Xunit;

namespace Gittensory.Drills.Tests.Checks;

/// <summary>
/// The scratch reader (several connections; an activity column's table counted in its activity scan) against the one-connection
/// reader (count(*) of every table), on a real Postgres holding the sample set.
/// </summary>
public sealed class PostgresFactsReaderTests(SourceDatabaseFixture source) : IClassFixture<SourceDatabaseFixture>
{
    private static readonly string[] Schemas = ["public"];

    [Fact]
    public async Task TheActivityScansCountTheirTablesAsCountStarDoes()
    {
        var ct = TestContext.Current.CancellationToken;
        await EngineGate.RequireEngineAsync(ct);
        await source.ReloadAsync();

        var scratch = await PostgresFactsReader.ReadAsync(source.ConnectionString, Schemas, DrillProfile.LoopOver, ct);
        await using var connection = new NpgsqlConnection(source.ConnectionString);
        await connection.OpenAsync(ct);
        var counted = await PostgresFactsReader.ReadAsync(connection, Schemas, DrillProfile.LoopOver, ct);

        scratch.Activity.Should().NotBeEmpty().And.BeEquivalentTo(counted.Activity);
        scratch.Tables.Should().BeEquivalentTo(counted.Tables);
        scratch.Tables.Single(t => t.Name == "webhook_events").Rows.Should().BeGreaterThan(0, "the sample's activity tables hold rows");
    }

    [Fact]
    public async Task ARowGoneFromAnActivityTableFailsTheRowCountCheckNamingIt()
    {
        // Given the sample's facts as the archive, then one row of webhook_events (an activity column's table) deleted
        var ct = TestContext.Current.CancellationToken;
        await EngineGate.RequireEngineAsync(ct);
        await source.ReloadAsync();
        var archived = (await PostgresFactsReader.ReadAsync(source.ConnectionString, Schemas, DrillProfile.LoopOver, ct)).Tables.ToDictionary(t => t.Key, t => t.Rows);
        try
        {
            (await source.ExecuteAsync("DELETE FROM public.webhook_events WHERE ctid = (SELECT min(ctid) FROM public.webhook_events)", ct)).Should().Be(1);

            // When the scratch reader measures it
            var measured = await PostgresFactsReader.ReadAsync(source.ConnectionString, Schemas, DrillProfile.LoopOver, ct);

            // Then the count from the activity scan misses the row, and the check names the table
            var check = RowCountCheck.Evaluate(archived, measured);
            check.Verdict.Should().Be(CheckVerdict.Failed);
            var rows = archived[new TableName("public", "webhook_events")];
            check.Found.Should().Be($"1 tables differ: public.webhook_events: {rows} rows in the archive, {rows - 1} restored");
        }
        finally
        {
            await source.ReloadAsync();
        }
    }

    [Fact]
    public async Task AnActivityColumnHoldingOnlyTheSentinelShowsNoActivity()
    {
        // Negative control for the sentinel on Postgres: every received_at set to LoopOver's pre-0066 default, the scan's maximum
        var ct = TestContext.Current.CancellationToken;
        await EngineGate.RequireEngineAsync(ct);
        await source.ReloadAsync();
        try
        {
            (await source.ExecuteAsync("UPDATE public.webhook_events SET received_at = '1970-01-01T00:00:00.000Z'", ct)).Should().BeGreaterThan(0);

            var measured = await PostgresFactsReader.ReadAsync(source.ConnectionString, Schemas, DrillProfile.LoopOver, ct);

            var webhooks = measured.Activity.Single(a => a.Table == "webhook_events");
            webhooks.Newest.Should().BeNull("a sentinel is no activity, even when it is the column's largest value");
            webhooks.Unparseable.Should().Be(0);
            measured.Activity.Single(a => a.Table == "review_audit").Newest.Should().NotBeNull("the other activity columns are untouched");
        }
        finally
        {
            await source.ReloadAsync();
        }
    }
}
