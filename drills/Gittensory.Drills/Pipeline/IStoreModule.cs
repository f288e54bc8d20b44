using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Reporting;

namespace Gittensory.Drills.Pipeline;

/// <summary>
/// One store of a drill (Postgres, SQLite, Qdrant), the seam where stores differ: it reads its backup offline, restores it into the
/// drill's one sandbox and measures it before anything can change it. It knows nothing of the other stores; what they share
/// goes through the pipeline (<see cref="IRestoredDatabase"/>, <see cref="IRestoredVectors"/>).
/// </summary>
internal interface IStoreModule : IAsyncDisposable
{
    /// <summary>The store this module drills.</summary>
    BackupStore Store { get; }

    /// <summary>The backup the scan chose for it.</summary>
    BackupFile Backup { get; }

    /// <summary>Whether it needs the container engine (SQLite does not).</summary>
    bool NeedsEngine { get; }

    /// <summary>Preflight, restore and measure; never throws for a bad backup or a missing engine: its report says why.</summary>
    Task RunAsync(SandboxLease sandbox, CancellationToken ct = default);

    /// <summary>Adds checks made by a later stage (cross-store, boot) to this store's leg.</summary>
    void Add(CheckResult check);

    /// <summary>The store's leg of the report, as far as it got.</summary>
    LegReport Report();
}
