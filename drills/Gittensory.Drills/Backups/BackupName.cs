using System.Globalization;
using System.Text.RegularExpressions;

namespace Gittensory.Drills.Backups;

/// <summary>Reads the prefix and UTC time stamp from a backup's file name, e.g. <c>loopover-20260704T090939Z.dump</c>.</summary>
public static partial class BackupName
{
    /// <summary>The time stamp format in backup names (UTC, e.g. <c>20260704T090939Z</c>).</summary>
    public const string TimestampFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>The file-name extension of a store's backups.</summary>
    public static string ExtensionOf(BackupStore store) => store switch
    {
        BackupStore.Postgres => ".dump",
        BackupStore.Sqlite => ".sqlite.gz",
        _ => ".snapshot",
    };

    /// <summary>
    /// Parses <paramref name="fileName"/> as <c>&lt;prefix&gt;-&lt;ts&gt;&lt;extension&gt;</c> for one of <paramref name="prefixes"/>;
    /// for Qdrant, as one of the names Qdrant itself gives snapshots (<see cref="QdrantSnapshotName"/>), whatever the prefixes.
    /// </summary>
    public static bool TryParse(string fileName, BackupStore store, IReadOnlyList<string> prefixes, out string prefix, out DateTimeOffset timestamp)
    {
        prefix = "";
        timestamp = default;
        if (store == BackupStore.Qdrant)
        {
            if (!QdrantSnapshotName.TryParse(fileName, out var qdrant))
            {
                return false;
            }

            (prefix, timestamp) = (qdrant.Prefix, qdrant.Timestamp);
            return true;
        }

        var extension = ExtensionOf(store);
        if (!fileName.EndsWith(extension, StringComparison.Ordinal))
        {
            return false;
        }

        var match = NamePattern().Match(fileName[..^extension.Length]);
        if (!match.Success || !prefixes.Contains(match.Groups["prefix"].Value, StringComparer.Ordinal))
        {
            return false;
        }

        if (!TryParseTimestamp(match.Groups["ts"].Value, out timestamp))
        {
            return false;
        }

        prefix = match.Groups["prefix"].Value;
        return true;
    }

    /// <summary>The store a backup file belongs to, by its extension (<c>.sqlite.gz</c>, <c>.snapshot</c>, else a Postgres dump).</summary>
    public static BackupStore StoreOf(string fileName) =>
        fileName.EndsWith(ExtensionOf(BackupStore.Sqlite), StringComparison.Ordinal) ? BackupStore.Sqlite
        : fileName.EndsWith(ExtensionOf(BackupStore.Qdrant), StringComparison.Ordinal) ? BackupStore.Qdrant
        : BackupStore.Postgres;

    /// <summary>Parses a <c>yyyyMMddTHHmmssZ</c> time stamp as UTC.</summary>
    public static bool TryParseTimestamp(string text, out DateTimeOffset timestamp) =>
        DateTimeOffset.TryParseExact(text, TimestampFormat, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out timestamp);

    /// <summary>Formats a time stamp the way backup names carry it.</summary>
    public static string FormatTimestamp(DateTimeOffset timestamp) =>
        timestamp.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(?<prefix>[a-z][a-z0-9_]*)-(?<ts>\d{8}T\d{6}Z)$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
