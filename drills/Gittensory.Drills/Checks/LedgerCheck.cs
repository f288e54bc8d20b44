using Gittensory.Drills.Profiles;

namespace Gittensory.Drills.Checks;

/// <summary>
/// The migration ledger against the profile's ordered migration list: no unknown name, no gap (a name missing while later
/// ones are present means the ledger was damaged), a missing tail reported as "backup predates N migrations".
/// </summary>
public static class LedgerCheck
{
    /// <summary>The check's name in reports.</summary>
    public const string Name = "profile.migration-ledger";

    /// <summary>Judges the ledger rows (null when the ledger table does not exist).</summary>
    public static CheckResult Evaluate(DrillProfile profile, IReadOnlyList<LedgerRow>? ledger)
    {
        const string title = "The migration ledger is whole";
        if (profile.MigrationLedger is not { } spec || profile.Migrations.Count == 0)
        {
            return CheckResult.NotApplicable(Name, title, $"profile '{profile.Name}' has no migration list");
        }

        var expected = $"{profile.Migrations.Count} migrations in {spec.Table}, in the profile's order, none unknown, no gap";
        if (ledger is null)
        {
            return CheckResult.Fail(Name, title, expected,
                $"the ledger table {spec.Table} does not exist: booting the application would re-run every migration, and some of them drop or rewrite data");
        }

        if (ledger.Count == 0)
        {
            return CheckResult.Fail(Name, title, expected,
                $"{spec.Table} is empty: booting the application would re-run every migration, and some of them drop or rewrite data");
        }

        var position = profile.Migrations.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
        var unknown = ledger.Where(r => !position.ContainsKey(r.Name)).Select(r => r.Name).Order(StringComparer.Ordinal).ToList();
        var applied = ledger.Where(r => position.ContainsKey(r.Name)).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var duplicates = ledger.GroupBy(r => r.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        var last = applied.Count == 0 ? -1 : applied.Max(n => position[n]);
        var gaps = profile.Migrations.Take(last + 1).Where(n => !applied.Contains(n)).ToList();
        var tail = profile.Migrations.Count - 1 - last;

        var problems = new List<string>();
        problems.AddRange(unknown.Select(n => $"unknown migration (not in profile '{profile.Name}'): {n}"));
        problems.AddRange(gaps.Select(n => $"gap: {n} is missing while later migrations are present (the ledger was damaged)"));
        problems.AddRange(duplicates.Select(n => $"recorded more than once: {n}"));
        if (problems.Count > 0)
        {
            return CheckResult.Fail(Name, title, expected, $"{ledger.Count} rows; {problems[0]}" + (problems.Count > 1 ? $" (and {problems.Count - 1} more)" : ""), problems);
        }

        if (tail > 0)
        {
            var predates = $"{ledger.Count} of {profile.Migrations.Count} migrations, up to {profile.Migrations[last]}: backup predates {tail} migrations (from {profile.Migrations[last + 1]})";
            return profile.RequireNewestRelease
                ? CheckResult.Fail(Name, title, expected, predates + "; the profile requires the newest release")
                : new CheckResult(Name, title, expected, predates + "; they apply when the application boots", CheckVerdict.Warning, []);
        }

        return CheckResult.Pass(Name, title, expected, $"all {ledger.Count} migrations, up to {profile.Migrations[^1]}");
    }
}
