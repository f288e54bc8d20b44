using System.Text.Json;
using System.Text.RegularExpressions;
using Gittensory.Drills.Backups;

namespace Gittensory.Drills.Preflight;

/// <summary>
/// Verifies a Qdrant snapshot offline, before any container: reads the whole file once, forward only (so its SHA-256
/// comes for free), walks every tar member at every level of nesting without extracting anything, and checks the layout
/// Qdrant's own restore needs. From qdrant/qdrant:
/// <list type="bullet">
/// <item>a full snapshot is a tar of one collection snapshot per collection, named as Qdrant named it, then <c>config.json</c>
/// holding <c>{"collections_mapping":{collection: file}, "collections_aliases":{alias: collection}}</c>
/// (lib/storage/src/content_manager/snapshots/mod.rs, <c>SnapshotConfig</c> and <c>_do_create_full_snapshot</c>;
/// src/snapshots.rs <c>recover_full_snapshot</c> unpacks it and reads that mapping);</item>
/// <item>a collection snapshot holds a folder per shard named by its number with <c>shard_config.json</c>
/// (lib/collection/src/shards/shard_config.rs) and <c>replica_state.json</c> (lib/collection/src/shards/replica_set/snapshots.rs),
/// the shard's segments under <c>segments/</c> (lib/collection/src/shards/local_shard/snapshot.rs, <c>SEGMENTS_PATH</c>), its WAL under
/// <c>wal/</c>; then <c>version.info</c>, the collection's <c>config.json</c>, <c>shard_key_mapping.json</c> and
/// <c>payload_index.json</c> (lib/collection/src/collection/snapshots.rs, <c>create_snapshot</c>); restoring reads <c>config.json</c>
/// and stops when a configured shard has no <c>shard_config.json</c> ("Can't read shard config");</item>
/// <item>each segment is a nested tar <c>segments/&lt;uuid&gt;.tar</c> of <c>snapshot/files/...</c> ending with <c>segment.json</c> and
/// <c>version.info</c> (lib/segment/src/segment/snapshot.rs, <c>SnapshotFormat::Regular</c>), or, in the streamable format, a
/// folder <c>segments/&lt;uuid&gt;/</c>.</item>
/// </list>
/// </summary>
public static partial class QdrantSnapshotReader
{
    /// <summary>The member that maps collections to their snapshots in a full snapshot, and holds a collection's configuration in a collection snapshot.</summary>
    public const string ConfigMember = "config.json";

    private const string UseOlder = "Use an older snapshot.";
    private const int MaxJsonBytes = 8 * 1024 * 1024;

    /// <summary>Reads and verifies the snapshot at <paramref name="path"/>; <paramref name="display"/> names it in messages (default: its file name).</summary>
    /// <exception cref="BackupRejectedException">The file is empty, not a tar archive, compressed, cut short, or lacks what Qdrant needs to restore it.</exception>
    public static Task<QdrantSnapshot> ReadAsync(string path, string? display = null, CancellationToken ct = default) =>
        Task.Run(() => Read(path, display ?? Path.GetFileName(path), ct), ct);

    private static QdrantSnapshot Read(string path, string display, CancellationToken ct)
    {
        var bytes = new FileInfo(path).Length;
        if (bytes == 0)
        {
            throw Reject(display, $"Snapshot '{display}' is empty (0 bytes): the backup job saved nothing from Qdrant. " +
                                  $"Check the job's log (the POST /snapshots call or its download failed). {UseOlder}");
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        var head = new byte[Math.Min(512, bytes)];
        file.ReadExactly(head);
        file.Position = 0;
        RejectKnownOtherFormats(display, head);

        using var hashing = new HashingReadStream(file);
        using var walker = new TarWalker(hashing, bufferSize: 1 << 20);
        var counter = new Counter();
        var top = new CollectionScan(display, null);
        var nested = new List<(string Member, long Bytes, CollectionScan Scan)>();
        FullConfig? fullConfig = null;
        var topMembers = 0;
        try
        {
            while (walker.Next(ct) is { } entry)
            {
                counter.Add(entry);
                topMembers++;
                if (entry.IsFile && !entry.Name.Contains('/', StringComparison.Ordinal) && entry.Name.EndsWith(".snapshot", StringComparison.Ordinal))
                {
                    var scan = new CollectionScan(display, entry.Name);
                    using var inner = new TarWalker(walker.OpenData(), entry.Name);
                    scan.Walk(inner, counter, ct);
                    nested.Add((entry.Name, entry.Size, scan));
                }
                else if (entry.IsFile && entry.Name == ConfigMember)
                {
                    using var json = ReadJson(walker.OpenData(), display, ConfigMember);
                    if (json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty("collections_mapping", out _))
                    {
                        fullConfig = FullConfig.Parse(json.RootElement, display);
                    }
                    else
                    {
                        top.TakeConfig(json.RootElement);
                    }
                }
                else
                {
                    top.Take(entry, walker, counter, ct);
                }
            }

            walker.Drain(ct);
        }
        catch (TarFormatException e)
        {
            throw Reject(display, DescribeTarProblem(display, bytes, head, counter.Members, e), e);
        }

        var sha = hashing.Sha256();
        if (fullConfig is not null)
        {
            return new QdrantSnapshot(QdrantSnapshotKind.Full, display, bytes, sha, counter.Members, counter.Sparse,
                FullCollections(display, fullConfig, nested), fullConfig.Aliases);
        }

        if (top.HasConfig)
        {
            var collection = QdrantSnapshotName.TryParse(Path.GetFileName(display), out var name) && name.Collection is { } c ? c : Path.GetFileNameWithoutExtension(display);
            return new QdrantSnapshot(QdrantSnapshotKind.Collection, display, bytes, sha, counter.Members, counter.Sparse,
                [top.Validate(collection, Path.GetFileName(display), bytes)], new Dictionary<string, string>());
        }

        throw Reject(display,
            $"Snapshot '{display}' is a tar archive of {topMembers:N0} member{(topMembers == 1 ? "" : "s")} but has no {ConfigMember} at its top level: it is not a Qdrant snapshot " +
            $"(a full snapshot ends with {ConfigMember} mapping each collection to its snapshot; a collection snapshot holds {ConfigMember} beside its shard folders). " +
            $"Use a snapshot written by Qdrant (POST /snapshots), or an older one.");
    }

    private static List<QdrantCollectionSnapshot> FullCollections(string display, FullConfig config, List<(string Member, long Bytes, CollectionScan Scan)> nested)
    {
        var result = new List<QdrantCollectionSnapshot>();
        foreach (var (collection, file) in config.Mapping)
        {
            // Qdrant names the member by the snapshot's file name; one release wrote a temporary path into the mapping, whose last part is that name.
            var match = nested.FirstOrDefault(n => n.Member == file || n.Member == file.Replace('\\', '/').Split('/')[^1]);
            if (match.Scan is null)
            {
                throw Reject(display,
                    $"Snapshot '{display}': its {ConfigMember} maps collection '{collection}' to '{file}', which is not in the archive, so Qdrant cannot restore that collection. {UseOlder}");
            }

            result.Add(match.Scan.Validate(collection, match.Member, match.Bytes));
        }

        return result;
    }

    private static void RejectKnownOtherFormats(string display, ReadOnlySpan<byte> head)
    {
        if (head.Length >= 2 && head[0] == 0x1f && head[1] == 0x8b)
        {
            throw Reject(display,
                $"Snapshot '{display}' is gzip-compressed (it starts with 1f 8b), but Qdrant writes snapshots as plain tar archives. " +
                $"If it was compressed after the download, decompress it (gunzip) and keep the .snapshot name; otherwise {UseOlder.ToLowerInvariant()}");
        }

        if (head.Length >= 4 && head[..4].SequenceEqual(new byte[] { 0x28, 0xb5, 0x2f, 0xfd }))
        {
            throw Reject(display,
                $"Snapshot '{display}' is zstd-compressed (it starts with 28 b5 2f fd), but Qdrant writes snapshots as plain tar archives. " +
                $"If it was compressed after the download, decompress it (zstd -d) and keep the .snapshot name; otherwise {UseOlder.ToLowerInvariant()}");
        }

        if (head.StartsWith("PGDMP"u8) || head.StartsWith("SQLite format 3\0"u8))
        {
            var what = head.StartsWith("PGDMP"u8) ? "a pg_dump custom-format archive (it starts with PGDMP)" : "a SQLite database";
            throw Reject(display,
                $"Snapshot '{display}' is {what}, not a Qdrant snapshot: a backup of another store put in the qdrant/ folder? {UseOlder}");
        }
    }

    private static string DescribeTarProblem(string display, long bytes, byte[] head, long members, TarFormatException e)
    {
        var subject = e.Archive is null ? "the archive" : $"its member '{e.Archive}'";
        if (e.Truncated)
        {
            return bytes < 512 && members == 0
                ? $"Snapshot '{display}' is {bytes:N0} bytes, shorter than one tar header (512 bytes): the file was cut short. {UseOlder}"
                : $"Snapshot '{display}' is {bytes:N0} bytes, but {subject} {e.Message}: the file was cut short " +
                  $"(a download that stopped early, a full disk, or a copy taken before Qdrant finished writing). {UseOlder}";
        }

        if (e.Archive is null && members == 0 && e.Offset == 0)
        {
            return $"Snapshot '{display}' is not a tar archive (its first 512 bytes are no tar header; it starts with " +
                   $"{Convert.ToHexStringLower(head.AsSpan(0, Math.Min(8, head.Length)))}). Qdrant snapshots are tar files written by POST /snapshots: " +
                   $"this file is something else, or damaged from its first byte. {UseOlder}";
        }

        return $"Snapshot '{display}' is damaged: {subject} {e.Message}. {UseOlder}";
    }

    private static JsonDocument ReadJson(Stream data, string display, string member)
    {
        if (data.Length > MaxJsonBytes)
        {
            throw Reject(display, $"Snapshot '{display}': its {member} is {data.Length:N0} bytes; Qdrant writes a few kilobytes there. {UseOlder}");
        }

        using var buffer = new MemoryStream();
        data.CopyTo(buffer);
        try
        {
            return JsonDocument.Parse(buffer.ToArray());
        }
        catch (JsonException e)
        {
            throw Reject(display, $"Snapshot '{display}': its {member} is not valid JSON ({e.Message}), so Qdrant cannot read it. {UseOlder}", e);
        }
    }

    private static BackupRejectedException Reject(string display, string message, Exception? inner = null) => new(display, message, inner);

    [GeneratedRegex(@"^(?<shard>\d+)/shard_config\.json$", RegexOptions.CultureInvariant)]
    private static partial Regex ShardConfigPattern();

    [GeneratedRegex(@"^(?<shard>\d+)/segments/(?<segment>[^/.][^/]*)\.tar$", RegexOptions.CultureInvariant)]
    private static partial Regex SegmentTarPattern();

    [GeneratedRegex(@"^(?<shard>\d+)/segments/(?<segment>[^/.][^/]*)/", RegexOptions.CultureInvariant)]
    private static partial Regex SegmentFolderPattern();

    private sealed class Counter
    {
        public long Members { get; private set; }

        public long Sparse { get; private set; }

        public void Add(TarEntryHeader entry)
        {
            Members++;
            if (entry.IsSparse)
            {
                Sparse++;
            }
        }
    }

    private sealed record FullConfig(IReadOnlyList<(string Collection, string File)> Mapping, IReadOnlyDictionary<string, string> Aliases)
    {
        public static FullConfig Parse(JsonElement root, string display)
        {
            var mapping = root.GetProperty("collections_mapping");
            if (mapping.ValueKind != JsonValueKind.Object || mapping.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.String))
            {
                throw Reject(display, $"Snapshot '{display}': its {ConfigMember} has a collections_mapping that is not an object of collection → file names. {UseOlder}");
            }

            var aliases = root.TryGetProperty("collections_aliases", out var a) && a.ValueKind == JsonValueKind.Object
                ? a.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
                : new Dictionary<string, string>(StringComparer.Ordinal);
            return new FullConfig([.. mapping.EnumerateObject().Select(p => (p.Name, p.Value.GetString()!))], aliases);
        }
    }

    /// <summary>What one collection snapshot holds, gathered member by member.</summary>
    private sealed class CollectionScan(string display, string? member)
    {
        private readonly HashSet<int> shards = [];
        private readonly Dictionary<int, HashSet<string>> segments = [];
        private QdrantVectorParams? vector;
        private Dictionary<string, QdrantVectorParams> named = new(StringComparer.Ordinal);
        private int shardNumber = 1;
        private bool customSharding;
        private string? configProblem;

        public bool HasConfig { get; private set; }

        private string Where => member is null ? "the collection snapshot" : $"its collection snapshot '{member}'";

        public void Walk(TarWalker walker, Counter counter, CancellationToken ct)
        {
            while (walker.Next(ct) is { } entry)
            {
                counter.Add(entry);
                if (entry.IsFile && entry.Name == ConfigMember)
                {
                    using var json = ReadJson(walker.OpenData(), display, $"{member}/{ConfigMember}");
                    TakeConfig(json.RootElement);
                }
                else
                {
                    Take(entry, walker, counter, ct);
                }
            }

            walker.Drain(ct);
        }

        public void Take(TarEntryHeader entry, TarWalker walker, Counter counter, CancellationToken ct)
        {
            if (ShardConfigPattern().Match(entry.Name) is { Success: true } shard && entry.IsFile)
            {
                shards.Add(int.Parse(shard.Groups["shard"].ValueSpan));
            }
            else if (SegmentTarPattern().Match(entry.Name) is { Success: true } segmentTar && entry.IsFile)
            {
                var path = member is null ? entry.Name : $"{member}/{entry.Name}";
                using var inner = new TarWalker(walker.OpenData(), path);
                var hasState = false;
                while (inner.Next(ct) is { } segmentEntry)
                {
                    counter.Add(segmentEntry);
                    hasState |= segmentEntry.IsFile && segmentEntry.Name.Split('/')[^1] == "segment.json";
                }

                inner.Drain(ct);
                if (!hasState)
                {
                    throw Reject(display,
                        $"Snapshot '{display}': segment '{path}' has no segment.json, so Qdrant cannot load it (every segment snapshot ends with its segment.json and version.info). {UseOlder}");
                }

                AddSegment(segmentTar);
            }
            else if (SegmentFolderPattern().Match(entry.Name) is { Success: true } segmentFolder)
            {
                AddSegment(segmentFolder);
            }
        }

        public void TakeConfig(JsonElement root)
        {
            HasConfig = true;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("params", out var parameters) || parameters.ValueKind != JsonValueKind.Object)
            {
                configProblem = "has no \"params\" object";
                return;
            }

            if (parameters.TryGetProperty("shard_number", out var n) && n.TryGetInt32(out var number))
            {
                shardNumber = number;
            }

            customSharding = parameters.TryGetProperty("sharding_method", out var method) && method.ValueKind == JsonValueKind.String && method.GetString() == "custom";
            if (!parameters.TryGetProperty("vectors", out var vectors) || vectors.ValueKind != JsonValueKind.Object)
            {
                configProblem = "has no \"params.vectors\" object";
                return;
            }

            // VectorsConfig is untagged: one unnamed vector {"size":..,"distance":..}, or named vectors {name: {..}}
            // (lib/collection/src/operations/types.rs, enum VectorsConfig).
            if (vectors.TryGetProperty("size", out _))
            {
                vector = Params(vectors);
            }
            else
            {
                named = vectors.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Object)
                    .ToDictionary(p => p.Name, p => Params(p.Value), StringComparer.Ordinal);
            }
        }

        public QdrantCollectionSnapshot Validate(string collection, string memberName, long bytes)
        {
            if (!HasConfig)
            {
                throw Reject(display,
                    $"Snapshot '{display}': {Where} has no {ConfigMember}, so Qdrant cannot restore collection '{collection}' (restoring reads the collection's configuration from it first). {UseOlder}");
            }

            if (configProblem is not null)
            {
                throw Reject(display, $"Snapshot '{display}': the {ConfigMember} of {Where} {configProblem}, so Qdrant cannot restore collection '{collection}'. {UseOlder}");
            }

            var expectedShards = customSharding ? shards.ToList() : [.. Enumerable.Range(0, shardNumber)];
            var missing = expectedShards.Count == 0 ? 0 : expectedShards.FirstOrDefault(s => !shards.Contains(s), -1);
            if (missing >= 0)
            {
                throw Reject(display,
                    $"Snapshot '{display}': collection '{collection}' is configured with {shardNumber} shard(s) (params.shard_number), but shard folder '{missing}/' " +
                    $"with its shard_config.json is not in {Where}, so Qdrant's restore would stop (\"Can't read shard config\"). {UseOlder}");
            }

            if (shards.FirstOrDefault(s => !segments.ContainsKey(s), -1) is var empty and >= 0)
            {
                throw Reject(display,
                    $"Snapshot '{display}': shard {empty} of collection '{collection}' holds no segments ({empty}/segments/ is empty or missing); " +
                    $"Qdrant keeps at least one segment per shard, so its points are not in this snapshot. {UseOlder}");
            }

            return new QdrantCollectionSnapshot(collection, memberName, bytes, vector, named, shardNumber, shards.Count, segments.Values.Sum(s => s.Count));
        }

        private void AddSegment(Match match)
        {
            var shard = int.Parse(match.Groups["shard"].ValueSpan);
            if (!segments.TryGetValue(shard, out var set))
            {
                segments[shard] = set = new HashSet<string>(StringComparer.Ordinal);
            }

            set.Add(match.Groups["segment"].Value);
        }

        private static QdrantVectorParams Params(JsonElement element) => new(
            element.TryGetProperty("size", out var size) && size.TryGetInt64(out var s) ? s : 0,
            element.TryGetProperty("distance", out var distance) && distance.ValueKind == JsonValueKind.String ? distance.GetString()! : "");
    }
}
