using Gittensory.Drills.Backups;
using Gittensory.Drills.Profiles;

namespace Gittensory.Drills.Scenarios;

/// <summary>
/// Whether a scenario has something to drill under the backups root: a root that is missing or holds no backup at all fails
/// every scenario (a broken backups mount must never turn a pipeline green); a store with no backups, in a root that holds
/// others, skips with its reason (the set health checks say whether that is expected).
/// </summary>
public static class ScenarioRoot
{
    /// <summary>What a scenario of <paramref name="store"/> does with <paramref name="root"/>: run it (both null), skip it with a reason, or fail with a message.</summary>
    public static (string? Skip, string? Fail) Decide(string root, string variable, BackupStore store, IReadOnlyList<string> prefixes)
    {
        var full = Path.GetFullPath(root);
        if (!Directory.Exists(full))
        {
            return (null, $"{variable} '{full}' is not a folder: there is nothing to drill, so the scenarios fail rather than skip. " +
                          "Point it at the backups volume (the folder holding postgres/, sqlite/, qdrant/ and manifest.json).");
        }

        var counts = Enum.GetValues<BackupStore>().ToDictionary(s => s, s => BackupFinder.ListBackups(full, s, prefixes).Count);
        if (counts.Values.All(c => c == 0))
        {
            return (null, $"{variable} '{full}' holds no backup: no postgres/<prefix>-YYYYMMDDTHHMMSSZ.dump, sqlite/<prefix>-YYYYMMDDTHHMMSSZ.sqlite.gz " +
                          $"or qdrant/*.snapshot (prefixes: {string.Join(", ", prefixes)}). With nothing to drill the scenarios fail rather than skip: " +
                          "check that the backups volume is mounted there.");
        }

        return counts[store] == 0
            ? ($"no {BackupFinder.FolderOf(store)}/ backups under '{full}', which holds others (the set health checks say whether that is expected)", null)
            : (null, null);
    }

    /// <summary><see cref="Decide(string, string, BackupStore, IReadOnlyList{string})"/> with LoopOver's backup prefixes.</summary>
    public static (string? Skip, string? Fail) Decide(string root, string variable, BackupStore store) => Decide(root, variable, store, DrillProfile.LoopOver.BackupPrefixes);
}
