namespace Gittensory.Drills.Reporting;

/// <summary>One collection inside a snapshot: its vector size and distance, shards and segments.</summary>
public sealed record QdrantCollectionReport(string Name, long? VectorSize, string? Distance, int Shards, int Segments, long Bytes);
