using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Profiles;
using Gittensory.Drills.Tests.Cli;
using Gittensory.Drills.Tests.Reporting;
using Xunit;

namespace Gittensory.Drills.Tests.Schemas;

/// <summary>docs/schemas: report.json of real drills and the shipped profile validate; a wrong value or key does not.</summary>
public sealed class SchemaTests : IDisposable
{
    private readonly string reports = Directory.CreateTempSubdirectory("gdrill-test-schema-").FullName;

    public void Dispose() => Directory.Delete(reports, recursive: true);

    [Fact]
    public async Task TheReportOfARealDrillThatPassedAndOneThatFailedValidate()
    {
        var passed = await DrillAsync("passed", ["--store", "sqlite"]);
        var failed = await DrillAsync("failed", ["--store", "sqlite", "--max-backup-age", "1"]);

        SchemaCheck.Errors("report.schema.json", passed).Should().BeEmpty();
        SchemaCheck.Errors("report.schema.json", failed).Should().BeEmpty();
        JsonNode.Parse(failed)!["verdict"]!.GetValue<string>().Should().Be("failed");
    }

    [Fact]
    public async Task TheReportOfADrillThatCouldNotRunValidates()
    {
        var error = await DrillAsync("error", ["--store", "postgres"], new Dictionary<string, string> { ["DOCKER_HOST"] = "unix:///nonexistent/docker.sock" });

        SchemaCheck.Errors("report.schema.json", error).Should().BeEmpty();
        JsonNode.Parse(error)!["verdict"]!.GetValue<string>().Should().Be("error");
    }

    [Fact]
    public async Task AReportWithAnUnknownVerdictOrAMissingLegIsRefused()
    {
        var report = JsonNode.Parse(await DrillAsync("tampered", ["--store", "sqlite"]))!;
        report["verdict"] = "green";
        report["legs"]![0]!.AsObject().Remove("ran");

        var errors = SchemaCheck.Errors("report.schema.json", report.ToJsonString());

        errors.Should().Contain(e => e.StartsWith("/verdict: enum", StringComparison.Ordinal));
        errors.Should().Contain(e => e.StartsWith("/legs/0: required", StringComparison.Ordinal) && e.Contains("ran", StringComparison.Ordinal));
    }

    [Fact]
    public void TheShippedProfileValidates()
    {
        var shipped = Directory.GetFiles(Path.Combine(RepoPaths.Root, "drills", "Gittensory.Drills", "Profiles"), "*.json");

        shipped.Should().NotBeEmpty();
        foreach (var file in shipped)
        {
            SchemaCheck.Errors("profile.schema.json", File.ReadAllText(file)).Should().BeEmpty(file);
        }
    }

    [Fact]
    public void AProfileWithAnUnknownKeyIsRefusedByTheSchemaAsByTheDrill()
    {
        var errors = SchemaCheck.Errors("profile.schema.json", """{ "name": "app", "$note": "fine", "nonEmptyTabels": ["users"] }""");

        errors.Should().ContainSingle().Which.Should().StartWith("/nonEmptyTabels: ").And.Contain("false schema");
    }

    [Fact]
    public void TheProfileSchemaNamesExactlyTheKeysTheDrillReads()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(SchemaCheck.SchemaPath("profile.schema.json")));
        var inSchema = schema.RootElement.GetProperty("properties").EnumerateObject().Select(p => p.Name);
        var read = typeof(DrillProfile).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is not null).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name));

        inSchema.Should().BeEquivalentTo(read);
    }

    private async Task<string> DrillAsync(string name, string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var folder = Path.Combine(reports, name);
        await DrillCommand.RunAsync(
            ["--backup-root", RepoPaths.SampleBackups, "--bundled-sample", "--report-dir", folder, .. arguments], environment, TestContext.Current.CancellationToken);
        return await File.ReadAllTextAsync(DrillFolders.ReportJsons(folder).Single(), TestContext.Current.CancellationToken);
    }
}
