namespace Gittensory.Drills.Reporting;

/// <summary>One drill as a line of <c>history.jsonl</c> in the reports root: when it ran, what it drilled, its verdict, durations and rows.</summary>
public sealed record HistoryEntry
{
    /// <summary>The drill's run id.</summary>
    public required string RunId { get; init; }

    /// <summary>When the drill started (UTC).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the drill finished (UTC).</summary>
    public required DateTimeOffset FinishedAt { get; init; }

    /// <summary>The backups root drilled (absolute).</summary>
    public required string BackupRoot { get; init; }

    /// <summary>The profile drilled against.</summary>
    public required string Profile { get; init; }

    /// <summary>The verdict.</summary>
    public required DrillVerdict Verdict { get; init; }

    /// <summary>The exit code: 0 passed, 1 failed, 2 could not run.</summary>
    public required int ExitCode { get; init; }

    /// <summary>The whole drill, in seconds.</summary>
    public required double DurationSeconds { get; init; }

    /// <summary>Seconds from the drill's start to the booted application's first 200 from <c>/ready</c> (null without a boot).</summary>
    public double? RecoveryTimeSeconds { get; init; }

    /// <summary>The report's folder, relative to the reports root.</summary>
    public required string Report { get; init; }

    /// <summary>The names of the failed checks.</summary>
    public IReadOnlyList<string> Failed { get; init; } = [];

    /// <summary>The drill's own stages and their seconds.</summary>
    public IReadOnlyDictionary<string, double> Phases { get; init; } = new Dictionary<string, double>();

    /// <summary>Each leg that ran.</summary>
    public IReadOnlyList<HistoryLeg> Legs { get; init; } = [];

    /// <summary>The history line of <paramref name="report"/>, written to <paramref name="folder"/> under <paramref name="reportsRoot"/>.</summary>
    public static HistoryEntry From(DrillReport report, string reportsRoot, string folder) => new()
    {
        RunId = report.RunId,
        StartedAt = report.StartedAt,
        FinishedAt = report.FinishedAt,
        BackupRoot = report.BackupRoot,
        Profile = report.Profile,
        Verdict = report.Verdict,
        ExitCode = report.ExitCode,
        DurationSeconds = Math.Round((report.FinishedAt - report.StartedAt).TotalSeconds, 3),
        RecoveryTimeSeconds = report.RecoveryTimeSeconds,
        Report = Path.GetRelativePath(reportsRoot, folder),
        Failed = [.. report.AllChecks.Where(c => c.Verdict == Checks.CheckVerdict.Failed).Select(c => c.Name)],
        Phases = Sum(report.Phases),
        Legs = [.. report.Legs.Where(l => l.Ran).Select(HistoryLeg.From)],
    };

    /// <summary>The leg of <paramref name="store"/>, or null.</summary>
    public HistoryLeg? Leg(string store) => Legs.FirstOrDefault(l => l.Store == store);

    internal static Dictionary<string, double> Sum(IEnumerable<PhaseTiming> phases) =>
        phases.GroupBy(p => p.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Math.Round(g.Sum(p => p.Seconds), 3), StringComparer.Ordinal);
}
