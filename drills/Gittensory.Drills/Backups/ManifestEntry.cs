using System.Text.Json.Serialization;

namespace Gittensory.Drills.Backups;

/// <summary>One store's file in <c>manifest.json</c>: its path relative to the root and its byte count.</summary>
public sealed record ManifestEntry(
    [property: JsonPropertyName("file")] string? File,
    [property: JsonPropertyName("bytes")] long? Bytes);
