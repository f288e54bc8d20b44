using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Sandbox;

namespace Gittensory.Drills.Pipeline;

/// <summary>
/// A restored, measured database (Postgres or SQLite) as later stages see it: the cross-store checks look rows up in it, and the
/// application is booted on it.
/// </summary>
internal interface IRestoredDatabase
{
    /// <summary>The store, <c>postgres</c> or <c>sqlite</c>.</summary>
    string Store { get; }

    /// <summary>The backup it was restored from.</summary>
    BackupFile Backup { get; }

    /// <summary>What was measured in it before anything could change it.</summary>
    DatabaseFacts Facts { get; }

    /// <summary>The table's name as reports show it (e.g. <c>public.repo_chunks</c>, or <c>repo_chunks</c> in SQLite).</summary>
    string DisplayName(string table);

    /// <summary>Which of <paramref name="ids"/> exist in <paramref name="column"/> of <paramref name="table"/> (the profile's schema), asked of the restored copy.</summary>
    Task<IReadOnlySet<string>> ExistingIdsAsync(string table, string column, IReadOnlyCollection<string> ids, CancellationToken ct = default);

    /// <summary>Makes the database ready for the application and says how it reaches it (a writable copy for SQLite; the scratch server for Postgres).</summary>
    Task<AppDatabase> PrepareForBootAsync(DrillSandbox? sandbox, bool hostCommand, CancellationToken ct = default);

    /// <summary>Measures the booted database again (after the application ran on it).</summary>
    Task<DatabaseFacts> MeasureAfterBootAsync(CancellationToken ct = default);
}
