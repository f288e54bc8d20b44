namespace Gittensory.Drills.Profiles;

/// <summary>The table where the application records each applied migration file, and its columns.</summary>
public sealed record MigrationLedger(string Table, string NameColumn, string AppliedAtColumn);
