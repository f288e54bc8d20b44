using Gittensory.Drills.Backups;
using Gittensory.Drills.Profiles;

namespace Gittensory.Drills.Checks;

/// <summary>The profile's expectations of a healthy database: its tables, how many are the application's, which may not be empty, its seed rows.</summary>
public static class ProfileChecks
{
    /// <summary>Name of the check that every expected table exists.</summary>
    public const string ExpectedTables = "profile.expected-tables";

    /// <summary>Name of the check on the number of application tables.</summary>
    public const string ApplicationTables = "profile.application-tables";

    /// <summary>Name of the check that required tables hold rows.</summary>
    public const string NonEmptyTables = "profile.non-empty-tables";

    /// <summary>Name of the check that seed tables hold exactly one row.</summary>
    public const string SingletonRows = "profile.singleton-rows";

    /// <summary>Runs the four checks on the tables of <paramref name="facts"/> (those in the profile's schema for Postgres).</summary>
    public static IReadOnlyList<CheckResult> Evaluate(DrillProfile profile, DatabaseFacts facts, BackupStore store)
    {
        var tables = facts.Tables
            .Where(t => store != BackupStore.Postgres || t.Schema == profile.Schema)
            .ToDictionary(t => t.Name, t => t.Rows, StringComparer.Ordinal);
        return [Expected(profile, tables, store), Application(profile, tables), NonEmpty(profile, tables), Singletons(profile, tables)];
    }

    private static CheckResult Expected(DrillProfile profile, Dictionary<string, long> tables, BackupStore store)
    {
        const string title = "Every table the application has exists";
        if (profile.Tables.Count == 0)
        {
            return CheckResult.NotApplicable(ExpectedTables, title, $"profile '{profile.Name}' lists no tables");
        }

        var storeKey = store.ToString().ToLowerInvariant();
        var expectedTables = store == BackupStore.Sqlite ? [.. profile.Tables, .. profile.SqliteOnlyTables] : profile.Tables.ToList();
        var optional = profile.OptionalTables.TryGetValue(storeKey, out var o) ? o : [];
        var missing = expectedTables.Where(t => !tables.ContainsKey(t)).ToList();
        var unknown = tables.Keys.Where(t => !expectedTables.Contains(t) && !optional.Contains(t)).Order(StringComparer.Ordinal).ToList();
        var expected = $"the {expectedTables.Count} tables of profile '{profile.Name}'" + (optional.Count > 0 ? $" (optional: {string.Join(", ", optional)})" : "");
        if (missing.Count > 0)
        {
            return CheckResult.Fail(ExpectedTables, title, expected, $"{missing.Count} missing: {string.Join(", ", missing.Take(10))}",
                [.. missing.Select(t => $"missing: {t}"), .. unknown.Select(t => $"not in the profile: {t}")]);
        }

        return unknown.Count > 0
            ? new CheckResult(ExpectedTables, title, expected,
                $"all present, and {unknown.Count} not in the profile (a newer release?): {string.Join(", ", unknown.Take(10))}",
                CheckVerdict.Warning, unknown)
            : CheckResult.Pass(ExpectedTables, title, expected, $"all {expectedTables.Count} present");
    }

    private static CheckResult Application(DrillProfile profile, Dictionary<string, long> tables)
    {
        const string title = "The database has the application's number of tables";
        if (profile.ApplicationTableCount is not int count)
        {
            return CheckResult.NotApplicable(ApplicationTables, title, $"profile '{profile.Name}' sets no applicationTableCount");
        }

        var application = tables.Keys.Count(t => DrillProfile.IsApplicationTable(t) && t != "sqlite_sequence");
        return CheckResult.From(application == count, ApplicationTables, title,
            $"{count} application tables (not counting _selfhost_*)", $"{application} application tables");
    }

    private static CheckResult NonEmpty(DrillProfile profile, Dictionary<string, long> tables)
    {
        const string title = "The tables that must hold rows do";
        if (profile.NonEmptyTables.Count == 0)
        {
            return CheckResult.NotApplicable(NonEmptyTables, title, $"profile '{profile.Name}' names no table that must hold rows");
        }

        var empty = profile.NonEmptyTables
            .Where(t => !tables.TryGetValue(t, out var rows) || rows == 0)
            .Select(t => tables.ContainsKey(t) ? $"{t} is empty" : $"{t} does not exist")
            .ToList();
        return empty.Count == 0
            ? CheckResult.Pass(NonEmptyTables, title, $"rows in {string.Join(", ", profile.NonEmptyTables)}",
                string.Join(", ", profile.NonEmptyTables.Select(t => $"{t}: {tables[t]}")))
            : CheckResult.Fail(NonEmptyTables, title, $"rows in {string.Join(", ", profile.NonEmptyTables)}", string.Join("; ", empty), empty);
    }

    private static CheckResult Singletons(DrillProfile profile, Dictionary<string, long> tables)
    {
        const string title = "Each seed table holds exactly its one row";
        if (profile.SingletonTables.Count == 0)
        {
            return CheckResult.NotApplicable(SingletonRows, title, $"profile '{profile.Name}' names no seed table");
        }

        var wrong = profile.SingletonTables
            .Where(t => !tables.TryGetValue(t, out var rows) || rows != 1)
            .Select(t => tables.TryGetValue(t, out var rows) ? $"{t} holds {rows} rows" : $"{t} does not exist")
            .ToList();
        return wrong.Count == 0
            ? CheckResult.Pass(SingletonRows, title, $"1 row in each of {string.Join(", ", profile.SingletonTables)}", "1 row in each")
            : CheckResult.Fail(SingletonRows, title, $"1 row in each of {string.Join(", ", profile.SingletonTables)}", string.Join("; ", wrong), wrong);
    }
}
