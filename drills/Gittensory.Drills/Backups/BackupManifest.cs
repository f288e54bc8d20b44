using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gittensory.Drills.Backups;

/// <summary>
/// LoopOver's <c>manifest.json</c> at the backups root, rewritten when a backup run finishes:
/// <c>{"ts":..,"postgres":{"file":..,"bytes":N}|null,"sqlite":{..}|null,"qdrant":{"file":..|null},"retain":N}</c>.
/// </summary>
public sealed record BackupManifest
{
    /// <summary>The file name of the manifest at the backups root.</summary>
    public const string FileName = "manifest.json";

    /// <summary>The run's time stamp, <c>yyyyMMddTHHmmssZ</c>.</summary>
    [JsonPropertyName("ts")]
    public string? Ts { get; init; }

    /// <summary>The Postgres dump of the run, or null.</summary>
    [JsonPropertyName("postgres")]
    public ManifestEntry? Postgres { get; init; }

    /// <summary>The SQLite backup of the run, or null.</summary>
    [JsonPropertyName("sqlite")]
    public ManifestEntry? Sqlite { get; init; }

    /// <summary>The Qdrant snapshot of the run, or null.</summary>
    [JsonPropertyName("qdrant")]
    public ManifestEntry? Qdrant { get; init; }

    /// <summary>How many backups each folder keeps (BACKUP_RETAIN).</summary>
    [JsonPropertyName("retain")]
    public int? Retain { get; init; }

    /// <summary>The manifest's entry for <paramref name="store"/>.</summary>
    public ManifestEntry? EntryFor(BackupStore store) => store switch
    {
        BackupStore.Postgres => Postgres,
        BackupStore.Sqlite => Sqlite,
        _ => Qdrant,
    };

    /// <summary>Reads <c>manifest.json</c> from <paramref name="root"/>; null when there is none (older sets have none).</summary>
    /// <exception cref="BackupRejectedException">The manifest exists but is not the JSON LoopOver writes.</exception>
    public static async Task<BackupManifest?> LoadAsync(string root, CancellationToken ct = default)
    {
        var path = Path.Combine(root, FileName);
        var rootFull = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        var kind = FileKinds.Of(path, followLinks: false);
        if (kind == BackupEntryKind.Missing)
        {
            return null;
        }

        if (kind == BackupEntryKind.SymbolicLink)
        {
            var target = BackupFinder.ResolveLinks(path);
            if (!BackupFinder.IsInside(rootFull, target))
            {
                throw new BackupRejectedException(FileName, $"'{FileName}' is a symbolic link leading outside the backups root (to '{target}'). The drill never reads outside the root: replace it with the manifest itself.");
            }

            kind = FileKinds.Of(target, followLinks: true);
        }

        if (kind != BackupEntryKind.RegularFile)
        {
            throw new BackupRejectedException(FileName,
                $"'{FileName}' is {FileKinds.Describe(kind)}, not a file: the drill did not open it (a FIFO would block it). LoopOver writes a regular file there; remove this one.");
        }

        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            if (stream.Length > 1024 * 1024)
            {
                throw new BackupRejectedException(FileName, $"'{FileName}' is {stream.Length} bytes; LoopOver's manifest is a few hundred. It is not a backup manifest: move it aside.");
            }

            return await JsonSerializer.DeserializeAsync(stream, ManifestJsonContext.Default.BackupManifest, ct)
                ?? throw new BackupRejectedException(FileName, $"'{FileName}' holds JSON null. Expected {{\"ts\":..,\"postgres\":{{\"file\":..,\"bytes\":N}}, ...}}.");
        }
        catch (JsonException e)
        {
            throw new BackupRejectedException(FileName,
                $"'{FileName}' is not valid manifest JSON ({e.Message}). The drill falls back to the time stamps in file names; fix or remove the manifest.", e);
        }
    }
}

/// <summary>The manifest's JSON metadata, generated at build time (the reflection-based reader emitted code at start-up).</summary>
[JsonSerializable(typeof(BackupManifest))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext;
