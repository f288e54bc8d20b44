using Gittensory.Drills.Fixtures;
using Xunit;

namespace Gittensory.Drills.Tests.Reporting;

/// <summary>
/// The programs the report tests run (headless Chromium, Prometheus' promtool), from Debian's packages: a test skips with the
/// reason where one is missing on a laptop, and fails in CI (<c>CI=true</c> or <c>DRILL_REQUIRE_ENGINE=true</c>), where
/// fixtures/reports/ensure-report-tools.sh installs them.
/// </summary>
internal static class ReportTools
{
    /// <summary>The full path of <paramref name="program"/> on PATH, or skips / fails the calling test.</summary>
    public static string Require(string program)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
        if (found is not null)
        {
            return found;
        }

        var message = $"'{program}' is not on PATH; install it with: sudo bash fixtures/reports/ensure-report-tools.sh";
        if (EngineGate.EngineRequired)
        {
            throw new InvalidOperationException($"{message} (required here: CI or DRILL_REQUIRE_ENGINE=true).");
        }

        Assert.Skip(message);
        return program;
    }
}
