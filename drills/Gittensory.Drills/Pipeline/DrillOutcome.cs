using Gittensory.Drills.Reporting;

namespace Gittensory.Drills.Pipeline;

/// <summary>A finished drill: its report and the folder the report was written to.</summary>
public sealed record DrillOutcome(DrillReport Report, string ReportFolder);
