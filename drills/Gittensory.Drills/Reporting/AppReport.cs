using Gittensory.Drills.Checks;

namespace Gittensory.Drills.Reporting;

/// <summary>
/// The application booted on the restored copy: how (image or host command, environment names, networks), every answer of
/// <c>/ready</c> with when it came, how it ended (ready, or the last answer, exit code and last log lines), and the migration
/// ledger before and after the boot. Values of variables are never kept; log lines and bodies are redacted.
/// </summary>
public sealed record AppReport
{
    /// <summary><c>container</c> or <c>host</c>.</summary>
    public required string Form { get; init; }

    /// <summary>The image booted (container form).</summary>
    public string? Image { get; init; }

    /// <summary>The command run (host form), redacted.</summary>
    public string? Command { get; init; }

    /// <summary>The host command's working directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Whether the application was started.</summary>
    public bool Started { get; init; }

    /// <summary>Why it was not booted or not started, when it was not.</summary>
    public string? NotStartedReason { get; init; }

    /// <summary>Every variable it was given, by name and source (never the value).</summary>
    public IReadOnlyList<AppVariable> Environment { get; init; } = [];

    /// <summary>The optional parts left unconfigured, each with why it is not exercised.</summary>
    public IReadOnlyList<string> NotExercised { get; init; } = [];

    /// <summary>The networks the container was attached to, as the engine described them (container form).</summary>
    public IReadOnlyList<AppNetwork> Networks { get; init; } = [];

    /// <summary>The container that asked <c>/ready</c> from inside the internal network: its image and method (container form).</summary>
    public string? Prober { get; init; }

    /// <summary>When the application was started (UTC).</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When <c>/ready</c> first answered 200 (UTC), or null.</summary>
    public DateTimeOffset? ReadyAt { get; init; }

    /// <summary>Seconds from the start to the first 200 of <c>/ready</c> (boot to ready), or null.</summary>
    public double? SecondsToReady { get; init; }

    /// <summary>How long it was given to answer 200, in seconds.</summary>
    public double ReadyTimeoutSeconds { get; init; }

    /// <summary>Every request to <c>/ready</c>, in order, with its status, time and body.</summary>
    public IReadOnlyList<AppAnswer> Answers { get; init; } = [];

    /// <summary>The answer of <c>/health</c>, asked once polling ended, while the application ran.</summary>
    public AppAnswer? Health { get; init; }

    /// <summary>True when the application exited on its own (before the drill stopped it).</summary>
    public bool Exited { get; init; }

    /// <summary>Its exit code when it exited on its own.</summary>
    public long? ExitCode { get; init; }

    /// <summary>Its last log lines, secrets redacted.</summary>
    public IReadOnlyList<string> LogTail { get; init; } = [];

    /// <summary>Where the list of pending migrations comes from: the release's migrations given, or the profile.</summary>
    public string? PendingSource { get; init; }

    /// <summary>Migrations not in the ledger before boot, that the release (or profile) has.</summary>
    public IReadOnlyList<string> PendingBeforeBoot { get; init; } = [];

    /// <summary>Migrations recorded in the ledger by the boot.</summary>
    public IReadOnlyList<string> AppliedAtBoot { get; init; } = [];

    /// <summary>The ledger measured before the application started (null: no ledger table).</summary>
    public IReadOnlyList<LedgerRow>? LedgerBefore { get; init; }

    /// <summary>The ledger measured after the boot (null: no ledger table, or not measured).</summary>
    public IReadOnlyList<LedgerRow>? LedgerAfter { get; init; }

    /// <summary>Tables whose row count the boot changed (the restored counts are those measured before it).</summary>
    public IReadOnlyList<TableChange> TablesChangedByBoot { get; init; } = [];

    /// <summary>Notes worth a reader's time (e.g. a kept container, a stopped host process).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
