using FluentAssertions;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Tests.Stores.Postgres;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Syntax;
using Npgsql;
using Xunit;

namespace Gittensory.Drills.Tests.Reporting;

/// <summary>
/// Real dumps (pg_dump of a real server) holding names that are hostile to a report or to a "schema.table" key, drilled
/// whole: report.md shows each name as itself, and every table is checked as the table it is.
/// </summary>
public sealed class HostileNamesDrillTests(SourceDatabaseFixture source) : IClassFixture<SourceDatabaseFixture>, IDisposable
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();
    private readonly List<string> roots = [];
    private readonly string reports = Directory.CreateTempSubdirectory("gdrill-test-names-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        foreach (var root in roots)
        {
            Directory.Delete(root, recursive: true);
        }

        Directory.Delete(reports, recursive: true);
    }

    [Fact]
    public async Task TableNamesWithHtmlPipesLineBreaksAndUnderscoresRenderAsThemselvesInReportMd()
    {
        // Given a real dump with tables named like HTML, with a pipe and a carriage return, and with emphasis underscores
        await EngineGate.RequireEngineAsync(Ct);
        string[] names = ["<script>x</script>", "_selfhost_x_", "a|b\rc", "_selfhost_*"];
        var (report, _) = await DrillWithAsync(
            string.Join(";", names.Select((n, i) => $"CREATE TABLE public.{Quote(n)} (id int); INSERT INTO public.{Quote(n)} SELECT generate_series(1, {i + 1})")),
            string.Join(";", names.Select(n => $"DROP TABLE public.{Quote(n)}")));

        // When its report.md is rendered as GitHub does (CommonMark with pipe tables)
        var markdown = await File.ReadAllTextAsync(Path.Combine(DrillFolders.In(reports).Single(), "report.md"), Ct);
        var html = Markdown.ToHtml(markdown, Pipeline);

        // Then no name became HTML, emphasis, a new cell or a new row
        report.Leg("postgres")!.Tables.Select(t => t.Name).Should().Contain(n => n.Contains("<script>x</script>", StringComparison.Ordinal), "the table was restored and measured");
        markdown.Should().NotContain("<script>");
        html.Should().NotContain("<script").And.NotContain("<em>").And.Contain("&lt;script&gt;x&lt;/script&gt;");
        var tables = Markdown.Parse(markdown, Pipeline).Descendants<Table>().ToList();
        tables.Should().NotBeEmpty();
        foreach (var table in tables)
        {
            var rows = table.OfType<TableRow>().ToList();
            rows.Should().OnlyContain(r => r.Count == rows[0].Count, "a name must not add or remove a cell");
        }

        var tableRows = tables.Single(t => Text(((TableRow)t[0])[0]) == "Table").OfType<TableRow>().Skip(1).Select(r => Text(r[0])).ToList();
        tableRows.Should().HaveCount(report.Leg("postgres")!.Tables.Count, "one row per table, none broken in two");
        tableRows.Should().Contain(r => r.Contains("<script>x</script>", StringComparison.Ordinal))
            .And.Contain(r => r.Contains("a|b\\rc", StringComparison.Ordinal))
            .And.Contain(r => r.Contains("_selfhost_x_", StringComparison.Ordinal))
            .And.Contain(r => r.Contains("_selfhost_*", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ADottedSchemaBesideADottedTableAreTwoTablesEachCheckedAsItself()
    {
        // Given a real dump with schema "we.ird" holding table x (2 rows) beside schema "we" holding table "ird.x" (5 rows):
        // as "schema.table" strings both are we.ird.x
        await EngineGate.RequireEngineAsync(Ct);
        var (report, leg) = await DrillWithAsync(
            "CREATE SCHEMA \"we.ird\"; CREATE TABLE \"we.ird\".x (id serial); INSERT INTO \"we.ird\".x SELECT FROM generate_series(1, 2);" +
            "CREATE SCHEMA we; CREATE TABLE we.\"ird.x\" (id serial); INSERT INTO we.\"ird.x\" SELECT FROM generate_series(1, 5)",
            "DROP SCHEMA \"we.ird\" CASCADE; DROP SCHEMA we CASCADE");

        // Then both are restored, counted (and their sequences compared with their own columns) and reported, each under its own (schema, table)
        leg.Check(TableSetCheck.Name)!.Should().Match<CheckResult>(c => c.Verdict == CheckVerdict.Passed, leg.Check(TableSetCheck.Name)!.Found);
        leg.Check(RowCountCheck.Name)!.Should().Match<CheckResult>(c => c.Verdict == CheckVerdict.Passed, leg.Check(RowCountCheck.Name)!.Found);
        leg.Check(SequenceCheck.Name)!.Should().Match<CheckResult>(c => c.Verdict == CheckVerdict.Passed, leg.Check(SequenceCheck.Name)!.Found);
        leg.Tables.Where(t => t.Name.StartsWith("\"we.ird\".", StringComparison.Ordinal) || t.Name.StartsWith("we.", StringComparison.Ordinal))
            .Select(t => (t.Schema, t.Table, t.Name, t.ArchivedRows, t.RestoredRows))
            .Should().BeEquivalentTo(new[]
            {
                ("we", "ird.x", "we.\"ird.x\"", (long?)5, (long?)5),
                ("we.ird", "x", "\"we.ird\".x", (long?)2, (long?)2),
            });
        report.Verdict.Should().NotBe(DrillVerdict.Error, report.Problem);
    }

    // A real dump of the source server with the objects `create` makes, drilled; `drop` puts the server back.
    private async Task<(DrillReport Report, LegReport Leg)> DrillWithAsync(string create, string drop)
    {
        await source.ReloadAsync();
        byte[] dump;
        await ExecuteAsync(create);
        try
        {
            dump = await source.DumpAsync("-Fc");
        }
        finally
        {
            await ExecuteAsync(drop);
        }

        var root = BrokenBackups.RootWithDump(dump);
        roots.Add(root);
        var outcome = await DrillPipeline.RunAsync(new DrillOptions
        {
            BackupRoot = root,
            BundledSample = true,
            Stores = new HashSet<BackupStore> { BackupStore.Postgres },
            ReportsRoot = reports,
        }, Ct);
        return (outcome.Report, outcome.Report.Leg("postgres")!);
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(source.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    private static string Quote(string name) => SqlNames.Quote(name);

    // The rendered text of a cell, as a reader sees it (entities decoded).
    private static string Text(Block cell) => System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(RenderInline(cell), "<[^>]+>", "")).Trim();

    private static string RenderInline(Block cell)
    {
        using var writer = new StringWriter();
        var renderer = new Markdig.Renderers.HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(cell);
        writer.Flush();
        return writer.ToString();
    }
}
