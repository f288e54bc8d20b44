using Gittensory.Drills.SampleBackups;

namespace Gittensory.Drills.Tests.RealDumps;

/// <summary>A generated backups root and what the generator says its one run holds.</summary>
public sealed record GeneratedSet(string Root, SampleBackupRun Run);
