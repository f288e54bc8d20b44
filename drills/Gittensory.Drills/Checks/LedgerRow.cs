namespace Gittensory.Drills.Checks;

/// <summary>One row of the migration ledger: the migration file's name and when it was applied.</summary>
public sealed record LedgerRow(string Name, string? AppliedAt);
