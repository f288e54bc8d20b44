using System.Text.Json.Serialization;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Pipeline;

namespace Gittensory.Drills.Reporting;

/// <summary>
/// The drill report, schema version 1: the backup, the images, each phase's duration, every check and the verdict.
/// Written as <c>report.json</c> and <c>report.md</c> even when the drill fails; no password ever appears in it.
/// </summary>
public sealed record DrillReport
{
    /// <summary>The version of this report's JSON schema.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>The schema version of this report.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>The tool and its version.</summary>
    public string Tool { get; init; } = $"Gittensory.Drills {typeof(DrillReport).Assembly.GetName().Version?.ToString(3)}";

    /// <summary>The run id carried by everything the drill created.</summary>
    public required string RunId { get; init; }

    /// <summary>The profile drilled against.</summary>
    public required string Profile { get; init; }

    /// <summary>The backups root.</summary>
    public required string BackupRoot { get; init; }

    /// <summary>When the drill started (UTC).</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When the drill finished (UTC).</summary>
    public required DateTimeOffset FinishedAt { get; init; }

    /// <summary>The verdict.</summary>
    public required DrillVerdict Verdict { get; init; }

    /// <summary>Why the drill could not run or stopped early, when it did.</summary>
    public string? Problem { get; init; }

    /// <summary>Checks of the backup set as a whole (names, sizes, manifest, retention, age of each folder), made before any restore.</summary>
    public IReadOnlyList<CheckResult> SetChecks { get; init; } = [];

    /// <summary>The retention window read offline: every retained database backup, its digest and what it held (docs/window.md); null when it did not run.</summary>
    public Window.WindowReport? Window { get; init; }

    /// <summary>The restore point asked for (<c>newest</c>, <c>oldest</c>, <c>random (seed N)</c>, a time stamp).</summary>
    public string RestorePoint { get; init; } = "newest";

    /// <summary>The seed of a random restore point, so the same choice can be made again (<c>--restore-point-seed</c>); null otherwise.</summary>
    public int? RestorePointSeed { get; init; }

    /// <summary>Each store's leg: postgres, sqlite, qdrant, whether it ran, and what it found.</summary>
    public IReadOnlyList<LegReport> Legs { get; init; } = [];

    /// <summary>The drill's own stages and their durations (scan, stores, cross-store, boot, teardown), which add up to the whole; each store's phases are in its leg.</summary>
    public IReadOnlyList<PhaseTiming> Phases { get; init; } = [];

    /// <summary>Where the container engine ran and how the backups reached its containers (e.g. "engine is remote: backups copied into the containers (…)"); null when no engine was used.</summary>
    public string? Engine { get; init; }

    /// <summary>The full recovery time: seconds from the drill's start to the booted application's first 200 from <c>/ready</c> (null when none booted or none became ready).</summary>
    public double? RecoveryTimeSeconds =>
        Legs.Select(l => l.App?.ReadyAt).OfType<DateTimeOffset>().Select(t => Math.Round((t - StartedAt).TotalSeconds, 3)).Cast<double?>().Max();

    /// <summary>The signal that cancelled the drill (<c>SIGINT</c>, <c>SIGTERM</c>), or the caller's token; null when it was not cancelled.</summary>
    public string? CancelledBy { get; init; }

    /// <summary>The process exit code that goes with the verdict: 0 passed, 1 failed, 2 could not run, 130 cancelled by SIGINT (or the caller), 143 by SIGTERM.</summary>
    public int ExitCode => Verdict switch
    {
        DrillVerdict.Passed => 0,
        DrillVerdict.Failed => 1,
        DrillVerdict.Cancelled => DrillCancellation.ExitCodeOf(CancelledBy),
        _ => 2,
    };

    /// <summary>The leg of <paramref name="store"/> (<c>postgres</c>, <c>sqlite</c>, <c>qdrant</c>), or null.</summary>
    public LegReport? Leg(string store) => Legs.FirstOrDefault(l => l.Store == store);

    /// <summary>The check of the backup set named <paramref name="name"/> (e.g. <c>set.retention.sqlite</c>), or null.</summary>
    public CheckResult? SetCheck(string name) => SetChecks.FirstOrDefault(c => c.Name == name);

    /// <summary>Every check of the set and of every leg.</summary>
    [JsonIgnore]
    public IEnumerable<CheckResult> AllChecks => SetChecks.Concat(Legs.SelectMany(l => l.Checks));
}
