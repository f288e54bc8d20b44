namespace Gittensory.Drills.Reporting;

/// <summary>What changed since the previous drill of the same backups root: rows per table, restore time and the whole drill's time.</summary>
/// <param name="Previous">The previous drill's history line.</param>
/// <param name="Tables">Each table whose restored rows differ (or that appeared or went), by store and name.</param>
/// <param name="UnchangedTables">How many tables kept their row count.</param>
/// <param name="Legs">Each store's restore seconds and recovery point, before and now.</param>
/// <param name="DurationBefore">The previous drill's seconds.</param>
/// <param name="DurationNow">This drill's seconds.</param>
public sealed record DrillChange(
    HistoryEntry Previous,
    IReadOnlyList<TableRowsChange> Tables,
    int UnchangedTables,
    IReadOnlyList<LegChange> Legs,
    double DurationBefore,
    double DurationNow)
{
    /// <summary>The change from <paramref name="previous"/> to <paramref name="now"/>, or null when there is no previous drill.</summary>
    public static DrillChange? Between(HistoryEntry? previous, HistoryEntry now)
    {
        if (previous is null)
        {
            return null;
        }

        var tables = new List<TableRowsChange>();
        var unchanged = 0;
        var legs = new List<LegChange>();
        foreach (var leg in now.Legs)
        {
            var before = previous.Leg(leg.Store);
            legs.Add(new LegChange(leg.Store, before?.RestoreSeconds, leg.RestoreSeconds, before?.RecoveryPointMinutes, leg.RecoveryPointMinutes));
            var beforeRows = before?.Rows ?? new Dictionary<string, long>();
            foreach (var name in leg.Rows.Keys.Union(beforeRows.Keys).Order(StringComparer.Ordinal))
            {
                long? was = beforeRows.TryGetValue(name, out var w) ? w : null;
                long? isNow = leg.Rows.TryGetValue(name, out var n) ? n : null;
                if (was == isNow)
                {
                    unchanged++;
                }
                else
                {
                    tables.Add(new TableRowsChange(leg.Store, name, was, isNow));
                }
            }
        }

        return new DrillChange(previous, tables, unchanged, legs, previous.DurationSeconds, now.DurationSeconds);
    }
}
