namespace Gittensory.Drills.Reporting;

/// <summary>One store's restore time (seconds) and recovery point (minutes), in the previous drill and in this one.</summary>
public sealed record LegChange(string Store, double? RestoreSecondsBefore, double? RestoreSecondsNow, double? RecoveryPointBefore, double? RecoveryPointNow);
