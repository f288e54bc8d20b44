using System.Diagnostics;
using FluentAssertions;
using Gittensory.Drills.Fixtures;
using Gittensory.Drills.Tests.Sandbox;
using Gittensory.Drills.Tests.Stores.Postgres;
using Npgsql;
using Gittensory.Drills.Tests.Reporting;
using Xunit;

namespace Gittensory.Drills.Tests.Cli;

/// <summary>
/// A live database whose password holds every awkward character, given to a real drill (the command, and run-drill.ps1):
/// the password is in no report, no log line, no console line and no process's argument list.
/// </summary>
public sealed class LiveUrlSecrecyTests(SourceDatabaseFixture source) : IClassFixture<SourceDatabaseFixture>, IDisposable
{
    private readonly string reports = Directory.CreateTempSubdirectory("gdrill-test-secrets-").FullName;

    public void Dispose() => Directory.Delete(reports, recursive: true);

    [Theory]
    [MemberData(nameof(NastyPasswords.Data), MemberType = typeof(NastyPasswords))]
    public async Task ARefusedLiveUrlNamesTheDatabaseButNeverItsPassword(string core)
    {
        // Given a real role with a nasty password, and a URL with that password for a database that does not exist, so the
        // drill refuses it with a message that quotes the connection
        var ct = TestContext.Current.CancellationToken;
        await EngineGate.RequireEngineAsync(ct);
        var password = NastyPasswords.Make(core);
        var url = await RoleUrlAsync(password, database: "no_such_database");

        // When the command drills with it, given by the environment
        var (exit, stdout, stderr) = await DrillCommand.RunAsync(
            ["--backup-root", RepoPaths.SampleBackups, "--bundled-sample", "--store", "postgres", "--report-dir", reports],
            new Dictionary<string, string> { ["DRILL_LIVE_DATABASE_URL"] = url }, ct);

        // Then it is refused, the message names the database, and the password is nowhere
        exit.Should().Be(2, stdout + stderr);
        stdout.Should().Contain("Refused: cannot fingerprint the live database (Host=127.0.0.1;").And.Contain("no_such_database");
        AssertNowhere(password, stdout, stderr);
    }

    [Fact]
    public async Task AComparedLiveDatabaseWithANastyPasswordLeavesItInNoReportLogOrArgumentList()
    {
        var ct = TestContext.Current.CancellationToken;
        await EngineGate.RequireEngineAsync(ct);
        await source.ReloadAsync();
        var password = NastyPasswords.Make(NastyPasswords.Cores[^1]);
        var url = await RoleUrlAsync(password, database: "loopover");

        (int Exit, string Stdout, string Stderr) run;
        await using (var watch = ArgumentListWatch.Start("gittensory-drill.dll", password, Uri.EscapeDataString(password), url))
        {
            run = await DrillCommand.RunAsync(
                ["--backup-root", RepoPaths.SampleBackups, "--bundled-sample", "--store", "postgres", "--report-dir", reports],
                new Dictionary<string, string> { ["DRILL_LIVE_DATABASE_URL"] = url }, ct);
            watch.MarkerSightings.Should().BePositive("the watch must have seen the drill's process to prove anything");
            watch.Leaks.Should().BeEmpty();
        }

        run.Exit.Should().Be(0, run.Stdout + run.Stderr);
        run.Stdout.Should().Contain("PASS  live.not-the-target: The live database given for comparison is not the restore target");
        AssertNowhere(password, run.Stdout, run.Stderr);
    }

    [Fact]
    public async Task RunDrillHandsTheLiveUrlToTheCommandByTheEnvironmentNotItsArguments()
    {
        // Given run-drill.ps1 called with -LiveDatabaseUrl (from a script read on stdin, so that pwsh's own arguments hold nothing)
        var ct = TestContext.Current.CancellationToken;
        await EngineGate.RequireEngineAsync(ct);
        await source.ReloadAsync();
        var password = NastyPasswords.Make("p@ss:w/rd;%3B");
        var url = await RoleUrlAsync(password, database: "loopover");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = RepoPaths.Root, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-Command", "-" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["GDRILL_TEST_LIVE_URL"] = url;
        var script = $"& ./run-drill.ps1 -Store Postgres -ReportDir '{reports}' -LiveDatabaseUrl $env:GDRILL_TEST_LIVE_URL | Out-Null; exit $LASTEXITCODE";

        // When it runs, with every process's argument list read over and over
        int exit;
        string stdout, stderr;
        await using (var watch = ArgumentListWatch.Start("gittensory-drill.dll", password, Uri.EscapeDataString(password), url))
        {
            using var process = Process.Start(start)!;
            await process.StandardInput.WriteLineAsync(script);
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEndAsync(ct);
            var errors = process.StandardError.ReadToEndAsync(ct);
            await process.WaitForExitAsync(ct);
            (exit, stdout, stderr) = (process.ExitCode, await output, await errors);

            // Then the command saw the URL (it compared), and no argument list ever held it
            watch.MarkerSightings.Should().BePositive("the watch must have seen the drill's process to prove anything");
            watch.Leaks.Should().BeEmpty();
        }

        exit.Should().Be(0, stdout + stderr);
        stdout.Should().Contain("PASS  live.not-the-target: The live database given for comparison is not the restore target");
        AssertNowhere(password, stdout, stderr);
    }

    // A superuser of the source server (pg_control_system() needs one) with this password, as a URL with it encoded.
    private async Task<string> RoleUrlAsync(string password, string database)
    {
        var role = $"nasty_{Guid.NewGuid():N}"[..20];
        await using (var connection = new NpgsqlConnection(source.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE ROLE {role} LOGIN SUPERUSER PASSWORD '{password.Replace("'", "''", StringComparison.Ordinal)}'", connection);
            await create.ExecuteNonQueryAsync();
        }

        var b = new NpgsqlConnectionStringBuilder(source.ConnectionString);
        return $"postgres://{role}:{Uri.EscapeDataString(password)}@{b.Host}:{b.Port}/{database}";
    }

    private static string JsonStrings(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var strings = new List<string>();
        void Walk(System.Text.Json.JsonElement element)
        {
            switch (element.ValueKind)
            {
                case System.Text.Json.JsonValueKind.Object:
                    foreach (var property in element.EnumerateObject())
                    {
                        Walk(property.Value);
                    }

                    break;
                case System.Text.Json.JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        Walk(item);
                    }

                    break;
                case System.Text.Json.JsonValueKind.String:
                    strings.Add(element.GetString()!);
                    break;
            }
        }

        Walk(document.RootElement);
        return string.Join('\n', strings);
    }

    private void AssertNowhere(string password, string stdout, string stderr)
    {
        var forms = new[] { password, Uri.EscapeDataString(password), password[..12], password[^10..], Gittensory.Drills.Reporting.MarkdownText.Inline(password) };
        // report.md escapes what it shows: its escaped form is looked for too.
        var places = new Dictionary<string, string> { ["stdout"] = stdout, ["stderr (the drill's log)"] = stderr };
        foreach (var file in Directory.EnumerateFiles(reports, "report.*", SearchOption.AllDirectories))
        {
            // report.json escapes quotes and non-ASCII: its strings are read back as text.
            places[file] = file.EndsWith(".json", StringComparison.Ordinal) ? JsonStrings(File.ReadAllText(file)) : File.ReadAllText(file);
        }

        places.Keys.Should().Contain(k => k.EndsWith("report.md", StringComparison.Ordinal)).And.Contain(k => k.EndsWith("report.json", StringComparison.Ordinal));
        foreach (var (place, text) in places)
        {
            foreach (var form in forms)
            {
                text.Should().NotContain(form, $"the password must not be in {place}");
            }
        }
    }
}
