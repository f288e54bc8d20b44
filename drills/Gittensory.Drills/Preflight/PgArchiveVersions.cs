using System.Globalization;
using System.Text.RegularExpressions;

namespace Gittensory.Drills.Preflight;

/// <summary>
/// Archive format versions and the PostgreSQL releases behind them. The K_VERS_* constants and what each added are in
/// src/bin/pg_dump/pg_backup_archiver.h; which release first wrote each is recorded in the comments below.
/// </summary>
internal static partial class PgArchiveVersions
{
    /// <summary>K_VERS_1_12 (separate BLOB entries, PostgreSQL 9.0): the oldest archive this reader accepts.</summary>
    public static readonly Version Oldest = new(1, 12, 0);

    /// <summary>K_VERS_1_16 (BLOB METADATA, multiple BLOBS, relkind): written by pg_dump 17 and 18; pg_restore reads up to revision 255 of its own minor.</summary>
    public static readonly Version Newest = new(1, 16, 0);

    public static readonly Version V1_13 = new(1, 13, 0);
    public static readonly Version V1_14 = new(1, 14, 0);
    public static readonly Version V1_15 = new(1, 15, 0);
    public static readonly Version V1_16 = new(1, 16, 0);

    /// <summary>True when pg_restore's check (version &lt;= K_VERS_MAX, i.e. 1.16.255) passes for a reader that knows up to 1.16.</summary>
    public static bool IsNewerThanKnown(int major, int minor) => major > Newest.Major || (major == Newest.Major && minor > Newest.Minor);

    /// <summary>
    /// The oldest major whose current pg_restore reads <paramref name="version"/>. 1.13 came with the search_path fix of
    /// February 2018 (CVE-2018-1058), shipped in 10.3 and the 9.3 to 9.6 minor releases of that day, so a current 10.x reads it.
    /// </summary>
    public static int MinimumRestoreMajor(Version version) => version.Minor switch
    {
        <= 12 => 9,
        13 => 10,
        14 => 12,
        15 => 16,
        _ => 17,
    };

    /// <summary>Which pg_dump releases write <paramref name="version"/>, for messages.</summary>
    public static string WrittenBy(Version version) => version.Minor switch
    {
        12 => "pg_dump 9.0 to 10.2",
        13 => "pg_dump 10.3 to 11",
        14 => "pg_dump 12 to 15",
        15 => "pg_dump 16",
        16 => "pg_dump 17 and 18",
        _ => "an unknown pg_dump",
    };

    /// <summary>The leading major number of a version string ("15.18 (Debian 15.18-0+deb12u1)" gives 15, "17beta1" 17), or null.</summary>
    public static int? MajorOf(string? versionString) => Sandbox.PgVersion.Major(versionString);

    /// <summary>Reads a SEQUENCE SET definition: <c>SELECT pg_catalog.setval('public.x_id_seq', 42, true);</c>.</summary>
    public static (long Value, bool IsCalled)? ParseSetval(string? defn)
    {
        if (defn is null)
        {
            return null;
        }

        var match = Setval().Match(defn);
        if (!match.Success || !long.TryParse(match.Groups["value"].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            return null;
        }

        return (value, match.Groups["called"].Value == "true");
    }

    [GeneratedRegex(@"setval\('(?:[^']|'')*',\s*(?<value>-?\d+),\s*(?<called>true|false)\)", RegexOptions.CultureInvariant)]
    private static partial Regex Setval();
}
