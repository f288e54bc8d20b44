using System.Diagnostics;
using System.Xml.Linq;
using FluentAssertions;
using Gittensory.Drills.Fixtures;
using Xunit;

namespace Gittensory.Drills.Tests.Ci;

/// <summary>
/// The scenarios write JUnit and TRX with the flags the README documents, from a real (SQLite, engine-free) drill; the
/// JUnit file validates against docs/schemas/junit.xsd.
/// </summary>
public sealed class ScenarioTestReportsTests : IDisposable
{
    private static readonly string JunitXsd = Path.Combine(RepoPaths.Root, "docs", "schemas", "junit.xsd");

    private readonly string results = Directory.CreateTempSubdirectory("gdrill-test-junit-").FullName;

    public void Dispose() => Directory.Delete(results, recursive: true);

    [Fact]
    public async Task TheSqliteScenariosWriteAValidJunitFileAndATrxFileWithEveryCheck()
    {
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar))!);
        var (exit, output) = await DotnetAsync(
            "test", "--project", "drills/Gittensory.Drills.Scenarios", "--no-build", "-c", configuration,
            "--filter-class", "*SqliteRestoreDrill",
            "--report-xunit-junit", "--report-xunit-junit-filename", "drill.junit.xml",
            "--report-trx", "--report-trx-filename", "drill.trx",
            "--results-directory", results);

        exit.Should().Be(0, output);
        var junit = Path.Combine(results, "drill.junit.xml");
        XmlSchemaCheck.Errors(JunitXsd, junit).Should().BeEmpty();
        var cases = XDocument.Load(junit).Descendants("testcase").ToList();
        cases.Should().Contain(c => (string?)c.Attribute("name") == "Gittensory.Drills.Scenarios.SqliteRestoreDrill.TheMigrationLedgerIsWhole");
        cases.Where(c => c.Element("skipped") is not null).Select(c => c.Element("skipped")!.Value)
            .Should().Contain(reason => reason.Contains("not applicable", StringComparison.Ordinal), "a check that does not apply is a visible skip with its reason");

        XNamespace trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
        var trxResults = XDocument.Load(Path.Combine(results, "drill.trx")).Descendants(trx + "UnitTestResult").ToList();
        trxResults.Should().HaveCount(cases.Count);
    }

    [Fact]
    public void TheJunitSchemaRefusesATestCaseWithoutItsClass()
    {
        var file = Path.Combine(results, "broken.junit.xml");
        File.WriteAllText(file, """<testsuites><testsuite name="s" tests="1" failures="0" errors="0"><testcase name="t" /></testsuite></testsuites>""");

        XmlSchemaCheck.Errors(JunitXsd, file).Should().ContainSingle().Which.Should().Contain("The required attribute 'classname' is missing.");
    }

    private static async Task<(int ExitCode, string Output)> DotnetAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepoPaths.Root };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
