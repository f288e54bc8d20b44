namespace Gittensory.Drills.Reporting;

/// <summary>What the archive's own header and table of contents say (read offline, before any container).</summary>
public sealed record ArchiveReport(
    string Format,
    string ArchiveVersion,
    string Compression,
    DateTime? CreatedAt,
    string? Database,
    string? DumpedFrom,
    string? DumpedBy,
    IReadOnlyDictionary<string, int> Entries);
