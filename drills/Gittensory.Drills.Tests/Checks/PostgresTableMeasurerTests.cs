using FluentAssertions;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Profiles;
using Gittensory.Drills.Tests.Stores.Postgres;
using Xunit;

namespace Gittensory.Drills.Tests.Checks;

/// <summary>
/// Tables measured as the restore commits their data (beside the rest of it) against the same tables measured after it, on a real
/// Postgres holding the sample set; and the tables that must wait for the end.
/// </summary>
public sealed class PostgresTableMeasurerTests(SourceDatabaseFixture source) : IClassFixture<SourceDatabaseFixture>
{
    private static readonly string[] Schemas = ["public"];

    [Fact]
    public async Task TablesMeasuredBesideTheRestoreGiveTheFactsMeasuredAfterIt()
    {
        // Given every table of the sample said to be restored, one after another
        var ct = TestContext.Current.CancellationToken;
        await EngineGate.RequireEngineAsync(ct);
        await source.ReloadAsync();
        var after = await PostgresFactsReader.ReadAsync(source.ConnectionString, Schemas, DrillProfile.LoopOver, ct);
        await using var tables = new PostgresTableMeasurer(source.ConnectionString, Schemas, DrillProfile.LoopOver, ct);
        foreach (var table in after.Tables)
        {
            tables.DataRestored(table.Key);
        }

        // When they have been measured beside (waited for here, so that none is left for the end)
        await WaitForAsync(() => tables.MeasuredBeside == after.Tables.Count, ct);
        var beside = await PostgresFactsReader.ReadAsync(tables, ct);

        // Then the facts are those measured after the restore, activity scans included
        beside.Tables.Should().BeEquivalentTo(after.Tables, o => o.WithStrictOrdering());
        beside.Activity.Should().NotBeEmpty().And.BeEquivalentTo(after.Activity, o => o.WithStrictOrdering());
        beside.Ledger.Should().BeEquivalentTo(after.Ledger);
        beside.Sequences.Should().BeEquivalentTo(after.Sequences);
    }

    [Fact]
    public async Task AParentTableWaitsForTheEndAndCountsTheRowsItsChildGotLater()
    {
        // Negative control for counting too early: a parent table's count includes its child, whose data a restore may bring after the parent's
        var ct = TestContext.Current.CancellationToken;
        await EngineGate.RequireEngineAsync(ct);
        const string schema = "measurer_inheritance";
        await source.ExecuteAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}; " +
                           $"CREATE TABLE {schema}.parent (id int); CREATE TABLE {schema}.child () INHERITS ({schema}.parent); " +
                           $"CREATE TABLE {schema}.alone (id int); INSERT INTO {schema}.parent VALUES (1), (2); INSERT INTO {schema}.alone VALUES (1)", ct);
        try
        {
            await using var tables = new PostgresTableMeasurer(source.ConnectionString, [schema], DrillProfile.LoopOver, ct);
            tables.DataRestored(new TableName(schema, "parent"));
            tables.DataRestored(new TableName(schema, "alone"));
            await WaitForAsync(() => tables.MeasuredBeside >= 1, ct);

            // When the child's rows come after the parent's data was said to be in
            await source.ExecuteAsync($"INSERT INTO {schema}.child VALUES (3), (4), (5)", ct);
            var (measured, _) = await tables.FinishAsync(ct);

            // Then only the table with no parent or child was measured beside, and the parent counts its child's rows
            tables.MeasuredBeside.Should().Be(1, "the parent and the child wait for the end of the restore");
            measured.Select(t => (t.Name, t.Rows)).Should().BeEquivalentTo([("alone", 1L), ("child", 3L), ("parent", 5L)]);
        }
        finally
        {
            await source.ExecuteAsync($"DROP SCHEMA {schema} CASCADE", ct);
        }
    }

    [Fact]
    public async Task ATableOutsideTheMeasuredSchemasIsNotMeasuredBeside()
    {
        var ct = TestContext.Current.CancellationToken;
        await EngineGate.RequireEngineAsync(ct);
        await source.ReloadAsync();
        await using var tables = new PostgresTableMeasurer(source.ConnectionString, Schemas, DrillProfile.LoopOver, ct);

        tables.DataRestored(new TableName("elsewhere", "webhook_events"));
        var (measured, _) = await tables.FinishAsync(ct);

        tables.MeasuredBeside.Should().Be(0);
        measured.Should().OnlyContain(t => t.Schema == "public").And.Contain(t => t.Name == "webhook_events");
    }

    private static async Task WaitForAsync(Func<bool> done, CancellationToken ct)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bound.CancelAfter(TimeSpan.FromMinutes(1));
        while (!done())
        {
            await Task.Delay(20, bound.Token);
        }
    }
}
