using Gittensory.Drills.Backups;
using Gittensory.Drills.Reporting;

namespace Gittensory.Drills.Drills;

/// <summary>One store's leg of a drill: finds its backup, restores it somewhere safe, and judges it. The seam where stores differ.</summary>
public interface IStoreDrill
{
    /// <summary>The store this leg drills.</summary>
    BackupStore Store { get; }

    /// <summary>Runs the leg; never throws for a bad backup or a missing engine: the leg's report says why.</summary>
    Task<LegReport> RunAsync(DrillOptions options, CancellationToken ct = default);
}
