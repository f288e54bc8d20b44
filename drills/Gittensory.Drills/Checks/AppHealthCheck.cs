using System.Text.Json;
using Gittensory.Drills.Reporting;

namespace Gittensory.Drills.Checks;

/// <summary>The booted application's <c>/health</c> answers <c>200 {"status":"ok"}</c> (LoopOver's is always so while the process serves).</summary>
public static class AppHealthCheck
{
    /// <summary>The check's name in reports.</summary>
    public const string Name = "app.health";

    private const string Title = "The application's /health answers 200 {\"status\":\"ok\"}";
    private const string Expected = "200 {\"status\":\"ok\"}";

    /// <summary>The check when /health was not asked, with why.</summary>
    public static CheckResult NotRun(string reason) => CheckResult.NotApplicable(Name, Title, reason);

    /// <summary>Judges the answer of <c>GET /health</c>.</summary>
    public static CheckResult Evaluate(AppAnswer health)
    {
        var ok = health.Status == 200 && StatusIsOk(health.Body);
        return CheckResult.From(ok, Name, Title, Expected, $"/health answered {health.Describe()}");
    }

    private static bool StatusIsOk(string? body)
    {
        try
        {
            using var json = JsonDocument.Parse(body ?? "");
            return json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.String && status.GetString() == "ok";
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
