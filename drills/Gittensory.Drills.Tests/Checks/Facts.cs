using Gittensory.Drills.Checks;
using Gittensory.Drills.Profiles;

namespace Gittensory.Drills.Tests.Checks;

/// <summary>Small hand-made database facts and profiles for the pure check tests.</summary>
internal static class Facts
{
    public static DatabaseFacts Of(params (string Table, long Rows)[] tables) =>
        new([.. tables.Select(t => new TableFact("public", t.Table, t.Rows))], [], null, []);

    public static DrillProfile Profile(params string[] migrations) => new()
    {
        Name = "test",
        Tables = ["_selfhost_migrations", "webhook_events", "global_agent_controls"],
        ApplicationTableCount = 2,
        NonEmptyTables = ["_selfhost_migrations"],
        SingletonTables = ["global_agent_controls"],
        GrowOnlyTables = ["webhook_events"],
        ActivityColumns = [new ActivityColumn("webhook_events", "received_at")],
        MigrationLedger = new MigrationLedger("_selfhost_migrations", "name", "applied_at"),
        Migrations = migrations,
        MaxRecoveryPointHours = 26,
    };
}
