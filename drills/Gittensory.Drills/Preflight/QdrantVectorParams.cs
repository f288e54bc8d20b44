namespace Gittensory.Drills.Preflight;

/// <summary>One vector of a collection as configured: its size (dimensions) and distance (<c>Cosine</c>, <c>Euclid</c>, <c>Dot</c>, <c>Manhattan</c>).</summary>
public sealed record QdrantVectorParams(long Size, string Distance);
