using Gittensory.Drills.Reporting;

namespace Gittensory.Drills.Pipeline;

/// <summary>A store holding the application's database (Postgres or SQLite): the application can be booted on what it restored.</summary>
internal interface IDatabaseStore : IStoreModule
{
    /// <summary>The restored, measured database; null when the store stopped before it was measured.</summary>
    IRestoredDatabase? Restored { get; }

    /// <summary>Runs a later stage (the boot) as part of this store's leg: an abort or a cancellation becomes its verdict, as in its own stages.</summary>
    Task RunStageAsync(Func<CancellationToken, Task> stage, CancellationToken ct = default);

    /// <summary>Records the application's boot on this store: its report, phases and the containers it created.</summary>
    void RecordBoot(AppReport app, IEnumerable<PhaseTiming> phases, IEnumerable<string> containers);
}
