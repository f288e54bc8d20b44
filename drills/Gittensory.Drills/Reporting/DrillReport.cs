using Gittensory.Drills.Checks;

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

    /// <summary>Which stores' legs ran and why.</summary>
    public IReadOnlyList<LegReport> Legs { get; init; } = [];

    /// <summary>The backup drilled, when one was found.</summary>
    public BackupReport? Backup { get; init; }

    /// <summary>The archive's header and table of contents, when it could be read.</summary>
    public ArchiveReport? Archive { get; init; }

    /// <summary>The images used, by role.</summary>
    public IReadOnlyDictionary<string, string> Images { get; init; } = new Dictionary<string, string>();

    /// <summary>What was created in the engine.</summary>
    public SandboxReport? Sandbox { get; init; }

    /// <summary>Each phase and its duration.</summary>
    public IReadOnlyList<PhaseTiming> Phases { get; init; } = [];

    /// <summary>Every check, in the order they ran.</summary>
    public IReadOnlyList<CheckResult> Checks { get; init; } = [];

    /// <summary>Each table's archived and restored rows.</summary>
    public IReadOnlyList<TableReport> Tables { get; init; } = [];

    /// <summary>How the restore ran.</summary>
    public RestoreReport? Restore { get; init; }

    /// <summary>Minutes between the newest activity and the backup's time stamp.</summary>
    public double? RecoveryPointMinutes { get; init; }

    /// <summary>The process exit code that goes with the verdict: 0 passed, 1 failed, 2 could not run.</summary>
    public int ExitCode => Verdict switch { DrillVerdict.Passed => 0, DrillVerdict.Failed => 1, _ => 2 };

    /// <summary>The check named <paramref name="name"/>, or null.</summary>
    public CheckResult? Check(string name) => Checks.FirstOrDefault(c => c.Name == name);
}
