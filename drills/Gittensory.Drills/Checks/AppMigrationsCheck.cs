using Gittensory.Drills.Profiles;

namespace Gittensory.Drills.Checks;

/// <summary>
/// What the application's boot did to the migration ledger, against the ledger measured before it started: every earlier
/// row kept as it was (none removed, no <c>applied_at</c> rewritten, so nothing was applied twice), each new migration recorded
/// once, none older than what the ledger already held, and, given the release under test, exactly its pending migrations.
/// </summary>
public static class AppMigrationsCheck
{
    /// <summary>The check's name in reports.</summary>
    public const string Name = "app.migrations";

    /// <summary>What the check proves.</summary>
    public const string Title = "Booting applies each pending migration once and re-applies none";

    /// <summary>The check when the drill refused to boot, with why (a failure: the restored database is not safe to boot).</summary>
    public static CheckResult Refused(string reason) =>
        CheckResult.Fail(Name, Title, "a migration ledger to boot on (booting without one re-runs every migration)", $"not booted: {reason}");

    /// <summary>The check when the application's boot could not be judged, with why.</summary>
    public static CheckResult NotRun(string reason) => CheckResult.NotApplicable(Name, Title, reason);

    /// <summary>Why booting on <paramref name="ledger"/> would re-run every migration (no ledger, or an empty one), or null when it would not.</summary>
    public static string? RefusalReason(DrillProfile profile, IReadOnlyList<LedgerRow>? ledger)
    {
        if (profile.MigrationLedger is not { } spec)
        {
            return null;
        }

        const string consequence = "the application would re-run every migration, and some of them drop or rewrite data. " +
                                   "Restore a backup made with the ledger's table and its rows (no --exclude-table or --exclude-table-data for it)";
        return ledger switch
        {
            null => $"the restored database has no migration ledger ({spec.Table} does not exist): {consequence}",
            { Count: 0 } => $"the restored database's migration ledger {spec.Table} is empty: {consequence}",
            _ => null,
        };
    }

    /// <summary>
    /// Judges the ledger after boot (<paramref name="after"/>, null when its table is gone) against the one before; <paramref name="release"/>
    /// is the release under test's migrations (null = unknown, judged against the profile's order only). When the boot did not
    /// finish (<paramref name="bootFinished"/> false: never ready), a damaged ledger still fails, but a clean one proves nothing yet.
    /// </summary>
    public static CheckResult Evaluate(DrillProfile profile, IReadOnlyList<LedgerRow> before, IReadOnlyList<LedgerRow>? after, IReadOnlyList<string>? release, bool bootFinished = true)
    {
        if (profile.MigrationLedger is not { } spec)
        {
            return NotRun($"profile '{profile.Name}' names no migration ledger");
        }

        var expected = "every ledger row from before the boot unchanged (none removed, no applied_at rewritten), each new migration recorded once" +
                       (release is null ? "" : ", exactly the release's pending migrations");
        if (after is null)
        {
            return CheckResult.Fail(Name, Title, expected, $"the ledger {spec.Table} no longer exists after boot");
        }

        var beforeByName = before.GroupBy(r => r.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().AppliedAt, StringComparer.Ordinal);
        var afterNames = after.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var applied = after.Select(r => r.Name).Where(n => !beforeByName.ContainsKey(n)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        var problems = new List<string>();
        problems.AddRange(after.Where(r => beforeByName.TryGetValue(r.Name, out var old) && old != r.AppliedAt)
            .Select(r => $"{r.Name}: applied_at rewritten at boot ({beforeByName[r.Name]} -> {r.AppliedAt}): the application applied it again"));
        problems.AddRange(after.GroupBy(r => r.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"{g.Key}: recorded {g.Count()} times after boot"));
        problems.AddRange(beforeByName.Keys.Where(n => !afterNames.Contains(n)).Order(StringComparer.Ordinal).Select(n => $"{n}: its ledger row is gone after boot"));

        var order = (release ?? profile.Migrations).Select((n, i) => (n, i)).GroupBy(p => p.n, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
        var newest = beforeByName.Keys.Where(order.ContainsKey).OrderBy(n => order[n]).LastOrDefault();
        if (newest is not null)
        {
            problems.AddRange(applied.Where(n => order.TryGetValue(n, out var at) && at < order[newest])
                .Select(n => $"{n}: applied at boot although the ledger already held later migrations (up to {newest}): the backup's ledger had a gap, and the migration ran on data that already had its changes"));
        }

        if (release is not null)
        {
            var pending = release.Where(n => !beforeByName.ContainsKey(n)).ToList();
            problems.AddRange(pending.Where(n => !afterNames.Contains(n)).Select(n => $"{n}: pending in the release under test, but not applied at boot"));
            problems.AddRange(applied.Where(n => !release.Contains(n, StringComparer.Ordinal)).Select(n => $"{n}: applied at boot, but the release under test does not ship it"));
        }

        if (problems.Count > 0)
        {
            return CheckResult.Fail(Name, Title, expected,
                $"{after.Count} ledger rows after boot, {before.Count} before; {problems[0]}" + (problems.Count > 1 ? $" (and {problems.Count - 1} more)" : ""), problems);
        }

        if (!bootFinished)
        {
            return NotRun($"the boot did not finish (see app.ready), so what it applies is unknown; until it stopped: {applied.Count} applied, no earlier row changed ({after.Count} rows)");
        }

        if (applied.Count == 0)
        {
            return CheckResult.Pass(Name, Title, expected,
                $"none applied: the ledger after boot equals the one before ({after.Count} rows, no applied_at changed): the backup is from the release under test");
        }

        var unknown = release is null ? applied.Count(n => !order.ContainsKey(n)) : 0;
        return CheckResult.Pass(Name, Title, expected,
            $"{applied.Count} applied at boot, each once, no earlier row changed: {string.Join(", ", applied)}" +
            (release is not null ? $"; exactly the {applied.Count} the release had pending" : "") +
            (unknown > 0 ? $" ({unknown} not in profile '{profile.Name}': a newer release's)" : ""),
            applied);
    }
}
