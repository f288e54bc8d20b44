using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.RegularExpressions;
using Gittensory.Drills.Preflight;

namespace Gittensory.Drills.Backups;

/// <summary>
/// The name Qdrant gives a snapshot, with its UTC time stamp: <c>full-snapshot-YYYY-MM-DD-HH-MM-SS.snapshot</c> for a
/// full-storage snapshot (qdrant/qdrant lib/storage/src/content_manager/snapshots/mod.rs, <c>FULL_SNAPSHOT_FILE_NAME</c>),
/// <c>&lt;collection&gt;-&lt;peer id&gt;-YYYY-MM-DD-HH-MM-SS.snapshot</c> for one collection
/// (lib/collection/src/collection/snapshots.rs, <c>create_snapshot</c>); both stamped with <c>chrono::Utc::now()</c>.
/// </summary>
/// <param name="Kind">Full-storage or one collection.</param>
/// <param name="Collection">The collection, for a collection snapshot.</param>
/// <param name="PeerId">The Qdrant peer that wrote a collection snapshot.</param>
/// <param name="Timestamp">When Qdrant took it (UTC, to the second).</param>
public sealed partial record QdrantSnapshotName(QdrantSnapshotKind Kind, string? Collection, ulong? PeerId, DateTimeOffset Timestamp)
{
    /// <summary>The format of the time stamp in Qdrant's snapshot names.</summary>
    public const string TimestampFormat = "yyyy-MM-dd-HH-mm-ss";

    /// <summary>The name's prefix for a full-storage snapshot.</summary>
    public const string FullPrefix = "full-snapshot";

    /// <summary>Parses <paramref name="fileName"/> as one of Qdrant's two snapshot names.</summary>
    public static bool TryParse(string fileName, [NotNullWhen(true)] out QdrantSnapshotName? name)
    {
        name = null;
        var match = NamePattern().Match(fileName);
        if (!match.Success || !DateTimeOffset.TryParseExact(match.Groups["ts"].Value, TimestampFormat, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var ts))
        {
            return false;
        }

        var head = match.Groups["head"].Value;
        if (head == FullPrefix)
        {
            name = new QdrantSnapshotName(QdrantSnapshotKind.Full, null, null, ts);
            return true;
        }

        var peer = PeerPattern().Match(head);
        if (!peer.Success || !ulong.TryParse(peer.Groups["peer"].Value, CultureInfo.InvariantCulture, out var peerId))
        {
            return false;
        }

        name = new QdrantSnapshotName(QdrantSnapshotKind.Collection, peer.Groups["collection"].Value, peerId, ts);
        return true;
    }

    /// <summary>The prefix the backups listing shows: <c>full-snapshot</c>, or the collection's name.</summary>
    public string Prefix => Kind == QdrantSnapshotKind.Full ? FullPrefix : Collection!;

    [GeneratedRegex(@"^(?<head>.+)-(?<ts>\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})\.snapshot$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^(?<collection>.+)-(?<peer>\d+)$", RegexOptions.CultureInvariant)]
    private static partial Regex PeerPattern();
}
