using System.Diagnostics;
using System.Text.Json;
using Gittensory.Drills.Reporting;

namespace Gittensory.Drills.Boot;

/// <summary>Polls <c>/ready</c> with back-off until it answers 200, the application exits, or the timeout passes; records every answer.</summary>
internal static class ReadinessPoller
{
    /// <summary>The first pause between polls.</summary>
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest pause between polls (so that ready is seen at most this late).</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(2);

    private const int MaxBodyLength = 2000;

    /// <summary>The pause after the <paramref name="attempt"/>-th poll (0-based): 250 ms, growing by half each time, at most 2 s.</summary>
    public static TimeSpan Delay(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxDelay.TotalMilliseconds, FirstDelay.TotalMilliseconds * Math.Pow(1.5, Math.Min(attempt, 20))));

    /// <summary>Polls <paramref name="app"/>, started when <paramref name="sinceStart"/> started, for at most <paramref name="timeout"/>.</summary>
    public static async Task<ReadinessOutcome> PollAsync(
        IAppUnderDrill app, Stopwatch sinceStart, TimeSpan timeout, Func<string, string> redact, TextWriter log, CancellationToken ct = default)
    {
        var answers = new List<AppAnswer>();
        for (var attempt = 0; ; attempt++)
        {
            if (await app.ExitCodeAsync(ct) is { } exitCode)
            {
                return new ReadinessOutcome(answers, null, exitCode, Seconds(sinceStart), timeout);
            }

            var http = await app.GetAsync("/ready", ct);
            var answer = ToAnswer("/ready", Seconds(sinceStart), http, redact); // when the answer came, not when it was asked
            answers.Add(answer);
            if (answer.Status == 200)
            {
                return new ReadinessOutcome(answers, answer, null, null, timeout);
            }

            var left = timeout - sinceStart.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                // A last look: an application that exited while the last request waited has exited, not timed out.
                return await app.ExitCodeAsync(ct) is { } late
                    ? new ReadinessOutcome(answers, null, late, Seconds(sinceStart), timeout)
                    : new ReadinessOutcome(answers, null, null, null, timeout);
            }

            if (attempt % 10 == 9)
            {
                await log.WriteLineAsync($"  waiting for /ready: {answer.Describe()} after {answer.AtSeconds:0} s");
            }

            await Task.Delay(Delay(attempt) < left ? Delay(attempt) : left, ct);
        }
    }

    /// <summary>One answer for the report: status, time, and (a JSON body) its <c>ok</c>, <c>checks</c>, <c>durationsMs</c>; the body redacted and cut.</summary>
    public static AppAnswer ToAnswer(string path, double atSeconds, HttpAnswer http, Func<string, string> redact)
    {
        var body = http.Body is null ? null : redact(http.Body.Length > MaxBodyLength ? http.Body[..MaxBodyLength] + "..." : http.Body);
        bool? ok = null;
        Dictionary<string, bool>? checks = null;
        Dictionary<string, double>? durations = null;
        if (http.Body is { Length: > 0 } text && text.TrimStart().StartsWith('{'))
        {
            try
            {
                using var json = JsonDocument.Parse(text);
                var root = json.RootElement;
                if (root.TryGetProperty("ok", out var okValue) && okValue.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    ok = okValue.GetBoolean();
                }

                if (root.TryGetProperty("checks", out var checkValues) && checkValues.ValueKind == JsonValueKind.Object)
                {
                    checks = checkValues.EnumerateObject()
                        .Where(c => c.Value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                        .ToDictionary(c => c.Name, c => c.Value.GetBoolean(), StringComparer.Ordinal);
                }

                if (root.TryGetProperty("durationsMs", out var durationValues) && durationValues.ValueKind == JsonValueKind.Object)
                {
                    durations = durationValues.EnumerateObject()
                        .Where(d => d.Value.ValueKind == JsonValueKind.Number)
                        .ToDictionary(d => d.Name, d => d.Value.GetDouble(), StringComparer.Ordinal);
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: the raw body stays in the report.
            }
        }

        return new AppAnswer(path, Math.Round(atSeconds, 3), http.Status, ok, checks, durations, body, http.Error is null ? null : redact(http.Error));
    }

    private static double Seconds(Stopwatch watch) => Math.Round(watch.Elapsed.TotalSeconds, 3);
}
