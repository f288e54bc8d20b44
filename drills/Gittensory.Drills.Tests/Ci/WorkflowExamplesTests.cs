using System.Text;
using System.Text.RegularExpressions;
using FluentAssertions;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Tests.Cli;
using Xunit;

namespace Gittensory.Drills.Tests.Ci;

/// <summary>
/// Smoke run of docs/examples: every run-drill.ps1 command line in the workflows, the cron file and the systemd unit is
/// taken as written, its variables pointed at the bundled sample set, and run with -WhatIf (the plan: it binds every
/// parameter, checks every value, and touches nothing). A misspelt parameter in an example exits 2 and fails here.
/// </summary>
[Collection(ReleaseBuildCollection.Name)]
public sealed partial class WorkflowExamplesTests : IDisposable
{
    private static readonly string Examples = Path.Combine(RepoPaths.Root, "docs", "examples");

    private readonly string folder = Directory.CreateTempSubdirectory("gdrill-test-examples-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    public static TheoryData<string> ExampleFiles() =>
        [.. new[] { "nightly-drill.yml", "pre-release-gate.yml", "cron/gittensory-drill", "systemd/gittensory-drill.service" }];

    [Theory]
    [MemberData(nameof(ExampleFiles))]
    public async Task EachDrillCommandOfTheExampleRunsAsWrittenAgainstTheSampleSet(string example)
    {
        var migrations = Directory.CreateDirectory(Path.Combine(folder, "migrations")).FullName;
        await File.WriteAllTextAsync(Path.Combine(migrations, "0001_init.sql"), "-- the release's first migration", TestContext.Current.CancellationToken);
        var variables = new Dictionary<string, string>
        {
            ["BACKUP_ROOT"] = RepoPaths.SampleBackups,
            ["REPORT_DIR"] = Path.Combine(folder, "reports"),
            ["RELEASE_IMAGE"] = "gittensory-drills/loopover-standin:latest",
            ["RELEASE_MIGRATIONS"] = migrations,
        };

        var commands = DrillCommands(File.ReadAllText(Path.Combine(Examples, example))).ToList();

        commands.Should().NotBeEmpty("{0} runs the drill", example);
        foreach (var words in commands)
        {
            var arguments = words.Select(w => Substitute(w, variables)).Append("-WhatIf").ToList();
            var (exit, stdout, stderr) = await RunDrillScript.RunAsync(arguments, ct: TestContext.Current.CancellationToken);

            exit.Should().Be(0, "{0}: run-drill.ps1 {1}\nstdout: {2}\nstderr: {3}", example, string.Join(' ', arguments), stdout, stderr);
            stdout.Should().Contain("What if: Would drill: postgres/loopover-20260704T090939Z.dump");
        }
    }

    [Fact]
    public void TheNightlyWorkflowMountsTheBackupsReadOnlyAndKeepsTheReportsAndJunit()
    {
        var nightly = File.ReadAllText(Path.Combine(Examples, "nightly-drill.yml"));

        nightly.Should().Contain("schedule:").And.Contain("mount -o remount,ro,bind \"$BACKUP_ROOT\"").And.Contain("fixtures/engine/ensure-engine.sh");
        nightly.Should().Contain("--report-xunit-junit").And.Contain("actions/upload-artifact").And.Contain("${{ env.REPORT_DIR }}");
    }

    /// <summary>The words after "./run-drill.ps1" on each line that runs it (a trailing redirection left out).</summary>
    private static IEnumerable<List<string>> DrillCommands(string text)
    {
        foreach (var line in text.Replace("\\\n", " ", StringComparison.Ordinal).Split('\n'))
        {
            var at = line.IndexOf("./run-drill.ps1", StringComparison.Ordinal);
            if (at < 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var rest = line[(at + "./run-drill.ps1".Length)..];
            var redirect = rest.IndexOf(">>", StringComparison.Ordinal);
            yield return ShellWords(redirect < 0 ? rest : rest[..redirect]);
        }
    }

    private static List<string> ShellWords(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in text)
        {
            if (quote is { } q)
            {
                if (c == q) { quote = null; } else { word.Append(c); }
            }
            else if (c is '"' or '\'') { quote = c; inWord = true; }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) { words.Add(word.ToString()); word.Clear(); inWord = false; }
            }
            else { word.Append(c); inWord = true; }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    private static string Substitute(string word, Dictionary<string, string> variables) =>
        Variable().Replace(word, m =>
        {
            var name = m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
            return variables.TryGetValue(name, out var value) ? value : throw new InvalidOperationException($"The example uses ${name}, which this smoke test does not set.");
        });

    [GeneratedRegex(@"\$\{([A-Z_]+)\}|\$([A-Z_]+)")]
    private static partial Regex Variable();
}
