using Gittensory.Drills.Checks;
using Gittensory.Drills.Window;

namespace Gittensory.Drills.Pipeline;

/// <summary>The job-state checks of each restored database, from what its store measured before boot and the counters the window read offline from the backup before it.</summary>
internal static class JobStateStage
{
    /// <summary>Adds <see cref="JobStateChecks"/> to the leg of every database store whose restored copy was measured.</summary>
    public static void Apply(DrillOptions options, IEnumerable<IStoreModule> modules, WindowReport? window)
    {
        foreach (var database in modules.OfType<IDatabaseStore>())
        {
            if (database.Restored is not { } restored)
            {
                continue;
            }

            var previous = window?.PreviousOf(restored.Backup.RelativePath);
            foreach (var check in JobStateChecks.Evaluate(options.Profile, restored.Facts.Jobs, restored.Backup.RelativePath, restored.Backup.Timestamp, previous?.JobStats, previous?.File))
            {
                database.Add(check);
            }
        }
    }
}
