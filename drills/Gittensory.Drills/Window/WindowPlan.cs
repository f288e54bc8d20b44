using Gittensory.Drills.Backups;
using Gittensory.Drills.Pipeline;

namespace Gittensory.Drills.Window;

/// <summary>What <c>-WhatIf</c> says the retention window would read.</summary>
internal static class WindowPlan
{
    public static string Describe(DrillOptions options, BackupSet set, IReadOnlySet<BackupStore> stores)
    {
        if (options.WindowBudgetBytes == 0)
        {
            return "Would not read the retention window (--window-budget 0).";
        }

        var backups = Enum.GetValues<BackupStore>().Where(s => s is BackupStore.Postgres or BackupStore.Sqlite && stores.Contains(s))
            .SelectMany(s => set[s].Backups).ToList();
        return $"Would read the retention window offline, without a container: {backups.Count} retained database backups, {backups.Sum(b => b.Bytes):N0} bytes " +
               $"(budget {options.WindowBudgetBytes:N0} bytes, newest first){(options.WindowOnly ? "; --window-only: nothing would be restored" : "")}.";
    }
}
