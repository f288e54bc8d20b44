using System.Text.Json.Serialization;
using Gittensory.Drills.Checks;

namespace Gittensory.Drills.Reporting;

/// <summary>One store's leg of the drill (postgres, sqlite, qdrant): whether it ran and why, and everything it found.</summary>
public sealed record LegReport
{
    /// <summary>The store: <c>postgres</c>, <c>sqlite</c> or <c>qdrant</c>.</summary>
    public required string Store { get; init; }

    /// <summary>Whether the leg ran.</summary>
    public required bool Ran { get; init; }

    /// <summary>Why it ran (the backup and how it was chosen) or why not.</summary>
    public required string Reason { get; init; }

    /// <summary>The leg's verdict (a leg that did not run has passed nothing: it is <see cref="DrillVerdict.Passed"/> only with no checks).</summary>
    public DrillVerdict Verdict { get; init; } = DrillVerdict.Passed;

    /// <summary>Why the leg could not run or stopped early.</summary>
    public string? Problem { get; init; }

    /// <summary>The backup drilled.</summary>
    public BackupReport? Backup { get; init; }

    /// <summary>The archive's header and table of contents (Postgres).</summary>
    public ArchiveReport? Archive { get; init; }

    /// <summary>The images used, by role.</summary>
    public IReadOnlyDictionary<string, string> Images { get; init; } = new Dictionary<string, string>();

    /// <summary>What the leg created in the engine.</summary>
    public SandboxReport? Sandbox { get; init; }

    /// <summary>Each phase and its duration.</summary>
    public IReadOnlyList<PhaseTiming> Phases { get; init; } = [];

    /// <summary>Every check, in the order they ran.</summary>
    public IReadOnlyList<CheckResult> Checks { get; init; } = [];

    /// <summary>Each table's rows in the backup and after the restore.</summary>
    public IReadOnlyList<TableReport> Tables { get; init; } = [];

    /// <summary>How the restore ran (Postgres).</summary>
    public RestoreReport? Restore { get; init; }

    /// <summary>The Qdrant leg's findings (Qdrant only).</summary>
    public QdrantLegReport? Qdrant { get; init; }

    /// <summary>The application booted on the restored copy (Postgres, with -BootApp).</summary>
    public AppReport? App { get; init; }

    /// <summary>The restored job queue by status and its counters, measured before boot (databases only).</summary>
    public JobState? Jobs { get; init; }

    /// <summary>Minutes between the newest activity and the backup's time stamp.</summary>
    public double? RecoveryPointMinutes { get; init; }

    /// <summary>Free-form observations worth a reader's time.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The check named <paramref name="name"/>, or null.</summary>
    public CheckResult? Check(string name) => Checks.FirstOrDefault(c => c.Name == name);

    /// <summary>A leg that did not run, and why.</summary>
    public static LegReport Skipped(string store, string reason) => new() { Store = store, Ran = false, Reason = reason };
}
