using System.Globalization;
using Gittensory.Drills.Preflight;
using Gittensory.Drills.Profiles;
using Gittensory.Drills.Restore;

namespace Gittensory.Drills.Checks;

/// <summary>The Qdrant leg's checks: the snapshot against the profile, the restored collection, and the collection against the restored rows.</summary>
public static class QdrantChecks
{
    /// <summary>Name of the check on the time between the Postgres dump and the snapshot.</summary>
    public const string Skew = "qdrant.skew";

    /// <summary>Name of the offline check that the snapshot is a whole snapshot in Qdrant's layout.</summary>
    public const string Snapshot = "qdrant.snapshot";

    /// <summary>Name of the check against the <c>.checksum</c> file beside the snapshot.</summary>
    public const string Checksum = "qdrant.checksum";

    /// <summary>Name of the offline check of the snapshot's own collection configuration against the profile.</summary>
    public const string SnapshotConfig = "qdrant.snapshot-config";

    /// <summary>Name of the check that Qdrant restored the snapshot.</summary>
    public const string Restore = "qdrant.restore";

    /// <summary>Name of the check that the profile's collection exists.</summary>
    public const string Collections = "qdrant.collections";

    /// <summary>Name of the check on the collection's status.</summary>
    public const string Status = "qdrant.status";

    /// <summary>Name of the check on vector size and distance as served.</summary>
    public const string Vectors = "qdrant.vectors";

    /// <summary>Name of the check on the number of points.</summary>
    public const string Points = "qdrant.points";

    /// <summary>Name of the cross-store check of points against the restored rows.</summary>
    public const string PointsVsChunks = "qdrant.points-vs-chunks";

    /// <summary>Name of the cross-store check that sampled points have their row.</summary>
    public const string Orphans = "qdrant.orphans";

    /// <summary>The snapshot was taken soon after the database backup (a Postgres dump or a SQLite backup): the stores' recovery points differ by the skew.</summary>
    public static CheckResult SkewCheck(DateTimeOffset? snapshotTaken, DateTimeOffset? dumpTaken, string? dumpFile, double? maxMinutes)
    {
        const string title = "The snapshot was taken soon after the database backup (the stores' recovery points)";
        var (noun, named) = dumpFile is not null && dumpFile.EndsWith(".dump", StringComparison.Ordinal) ? ("dump", "Postgres dump") : ("SQLite backup", "SQLite backup");
        if (dumpTaken is not { } dump)
        {
            return CheckResult.NotApplicable(Skew, title, dumpFile is null ? "no Postgres dump or SQLite backup to pair the snapshot with" : $"the {noun} '{dumpFile}' carries no time stamp in its name");
        }

        if (snapshotTaken is not { } taken)
        {
            return CheckResult.NotApplicable(Skew, title, "the snapshot's name carries no time stamp (Qdrant names them <name>-YYYY-MM-DD-HH-MM-SS.snapshot)");
        }

        var skew = (taken - dump).TotalMinutes;
        var found = $"taken {Minutes(Math.Abs(skew))} minutes {(skew >= 0 ? "after" : "before")} the {noun} '{dumpFile}' ({taken:u} vs {dump:u})";
        if (maxMinutes is not { } max)
        {
            return CheckResult.NotApplicable(Skew, title, found + "; the profile sets no maxSkewMinutes");
        }

        var expected = $"taken within {Minutes(max)} minutes after the {noun} ({dump:u})";
        if (skew < -max)
        {
            return CheckResult.Fail(Skew, title, expected,
                $"the snapshot was taken {Minutes(-skew)} minutes before the {named} '{dumpFile}' ({taken:u} vs {dump:u}), more than the {Minutes(max)} allowed. " +
                "LoopOver snapshots Qdrant after the database, so this snapshot belongs to an older backup run: the two stores would come back from different points in time. " +
                "Drill the snapshot of the database backup's own run (-Backup), or find why this run's snapshot is missing.");
        }

        if (skew > max)
        {
            return CheckResult.Fail(Skew, title, expected,
                $"the snapshot was taken {Minutes(skew)} minutes after the {named} '{dumpFile}' ({taken:u} vs {dump:u}), more than the {Minutes(max)} allowed: " +
                $"the stores would come back from points in time that far apart. Was this run's {noun} lost, or the snapshot taken by another run?");
        }

        return CheckResult.Pass(Skew, title, expected, found);
    }

    /// <summary>The snapshot's SHA-256 equals the one in the <c>.checksum</c> file beside it, when there is one.</summary>
    public static CheckResult ChecksumCheck(string display, string sha256, string checksumDisplay, string? checksumText)
    {
        const string title = "The snapshot's SHA-256 matches the .checksum file beside it";
        if (checksumText is null)
        {
            return CheckResult.NotApplicable(Checksum, title, $"no '{checksumDisplay}' beside it (LoopOver's backup job writes none; Qdrant keeps one beside the snapshots it stores)");
        }

        var recorded = checksumText.Trim().Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.ToLowerInvariant() ?? "";
        var expected = $"the SHA-256 recorded in '{checksumDisplay}'";
        if (recorded.Length != 64 || !recorded.All(Uri.IsHexDigit))
        {
            return CheckResult.Fail(Checksum, title, expected,
                $"'{checksumDisplay}' does not hold a SHA-256 (64 hex digits) but \"{Shorten(checksumText.Trim())}\": it is not Qdrant's checksum file. Remove or fix it.");
        }

        return recorded == sha256
            ? CheckResult.Pass(Checksum, title, expected, $"SHA-256 {sha256}, as recorded")
            : CheckResult.Fail(Checksum, title, expected,
                $"Snapshot '{display}' has SHA-256 {sha256}, but '{checksumDisplay}' beside it says {recorded}: the file changed after Qdrant wrote it " +
                "(a partial or damaged copy). Use an older snapshot.");
    }

    /// <summary>The snapshot holds the profile's collection, configured with the profile's vector size and distance (read offline).</summary>
    public static CheckResult SnapshotConfigCheck(QdrantProfile? profile, QdrantSnapshot snapshot)
    {
        const string title = "The snapshot's own configuration has the profile's collection, vector size and distance";
        if (profile is null || profile.Collections.Count == 0)
        {
            return CheckResult.NotApplicable(SnapshotConfig, title, "the profile names no Qdrant collection");
        }

        var collection = profile.Collections.Select(snapshot.Collection).FirstOrDefault(c => c is not null);
        var expected = Expected(profile);
        if (collection is null)
        {
            return CheckResult.Fail(SnapshotConfig, title, expected,
                $"the snapshot holds {Names(snapshot.Collections.Select(c => c.Collection))}, not {string.Join(" or ", profile.Collections.Select(c => $"'{c}'"))}: " +
                "is it the snapshot of another Qdrant?");
        }

        return VectorFound(SnapshotConfig, title, expected, profile, collection.Collection, collection.Vector, collection.NamedVectors, "its config.json says");
    }

    /// <summary>One of the profile's collections exists after the restore; returns the check and that collection's name.</summary>
    public static (CheckResult Check, string? Collection) CollectionsCheck(QdrantProfile? profile, IReadOnlyList<string> present)
    {
        const string title = "The application's collection exists after the restore";
        if (profile is null || profile.Collections.Count == 0)
        {
            return (CheckResult.NotApplicable(Collections, title, "the profile names no Qdrant collection"), present.FirstOrDefault());
        }

        var expected = $"{string.Join(" or ", profile.Collections.Select(c => $"'{c}'"))} (older sets have the pre-rename name)";
        var chosen = profile.Collections.FirstOrDefault(present.Contains);
        return chosen is null
            ? (CheckResult.Fail(Collections, title, expected, $"none of them exists after the restore; Qdrant has {Names(present)}"), null)
            : (CheckResult.Pass(Collections, title, expected, $"'{chosen}' exists" + (present.Count > 1 ? $" (Qdrant has {Names(present)})" : "")), chosen);
    }

    /// <summary>The collection is green (yellow or grey: optimizers still at work, a warning; red: failed operations).</summary>
    public static CheckResult StatusCheck(QdrantCollectionInfo info)
    {
        const string title = "The collection is green";
        const string expected = "status green";
        return info.Status switch
        {
            "green" => CheckResult.Pass(Status, title, expected, $"collection '{info.Name}' is green"),
            "yellow" or "grey" => new CheckResult(Status, title, expected,
                $"collection '{info.Name}' is {info.Status}: optimizations are running or pending after the restore; the points are there", CheckVerdict.Warning, []),
            _ => CheckResult.Fail(Status, title, expected,
                $"collection '{info.Name}' is {info.Status}: some operations failed and were not recovered (Qdrant's definition of red). Read the Qdrant container's log."),
        };
    }

    /// <summary>The collection serves vectors of the profile's size and distance, and of the snapshot's own configuration.</summary>
    public static CheckResult VectorsCheck(QdrantProfile? profile, QdrantCollectionInfo info, QdrantCollectionSnapshot? fromSnapshot)
    {
        const string title = "The collection's vectors have the configured size and distance";
        if (profile?.VectorSize is null && profile?.Distance is null && fromSnapshot is null)
        {
            return CheckResult.NotApplicable(Vectors, title, "the profile sets no vector size or distance");
        }

        var expected = profile is null ? "as the snapshot's config.json says" : Expected(profile) + (fromSnapshot is null ? "" : ", as the snapshot's config.json says");
        var served = VectorFound(Vectors, title, expected, profile ?? new QdrantProfile(), info.Name, info.Vector, info.NamedVectors, "Qdrant serves");
        if (served.Verdict == CheckVerdict.Failed || fromSnapshot?.Vector is not { } snap || info.Vector is not { } vector)
        {
            return served;
        }

        return snap == vector
            ? served
            : CheckResult.Fail(Vectors, title, expected,
                $"collection '{info.Name}' serves vectors of size {vector.Size}, {vector.Distance}, but the snapshot's own config.json says size {snap.Size}, {snap.Distance}: " +
                "the restored collection is not the one in the snapshot.");
    }

    /// <summary>The collection holds at least the profile's minimum of points.</summary>
    public static CheckResult PointsCheck(QdrantProfile? profile, QdrantCollectionInfo info)
    {
        const string title = "The collection holds points";
        if (profile?.MinPoints is not { } min)
        {
            return CheckResult.NotApplicable(Points, title, $"the profile sets no minPoints ({info.PointsCount?.ToString("N0") ?? "no"} points)");
        }

        var expected = $"at least {min:N0} points";
        return info.PointsCount is not { } count
            ? CheckResult.Fail(Points, title, expected, $"collection '{info.Name}' did not report points_count")
            : CheckResult.From(count >= min, Points, title, expected,
                count >= min ? $"{count:N0} points" : $"collection '{info.Name}' holds {count:N0} points, fewer than the profile's minimum of {min:N0}: the vectors were lost or never written.");
    }

    /// <summary>points_count is within the profile's tolerance of the restored table's row count.</summary>
    public static CheckResult PointsVsChunksCheck(QdrantProfile? profile, QdrantCollectionInfo info, RestoredChunks? chunks, string? notApplicable)
    {
        const string title = "The collection holds about one point per restored chunk row";
        if (chunks is null)
        {
            return CheckResult.NotApplicable(PointsVsChunks, title, notApplicable ?? "no restored chunk rows to compare with");
        }

        if (profile?.PointsDriftFraction is not { } fraction)
        {
            return CheckResult.NotApplicable(PointsVsChunks, title, $"the profile sets no pointsDriftFraction ({info.PointsCount:N0} points, {chunks.RowCount:N0} rows)");
        }

        var allowed = Math.Max(profile.PointsDriftMinimum, (long)Math.Ceiling(fraction * chunks.RowCount));
        var expected = $"points_count within {allowed:N0} of the {chunks.RowCount:N0} rows of {chunks.Table} ({Percent(fraction)}, at least {profile.PointsDriftMinimum:N0}; the snapshot is taken after the dump)";
        if (info.PointsCount is not { } points)
        {
            return CheckResult.Fail(PointsVsChunks, title, expected, $"collection '{info.Name}' did not report points_count");
        }

        var drift = points - chunks.RowCount;
        return Math.Abs(drift) <= allowed
            ? CheckResult.Pass(PointsVsChunks, title, expected, $"{points:N0} points, {chunks.RowCount:N0} rows: drift {Signed(drift)}")
            : CheckResult.Fail(PointsVsChunks, title, expected,
                $"collection '{info.Name}' holds {points:N0} points but {chunks.Table} has {chunks.RowCount:N0} rows: a drift of {Signed(drift)} is beyond the {allowed:N0} allowed. " +
                (drift > 0 ? "Points without rows are search hits the application cannot show." : "Rows without points are chunks code search cannot find."));
    }

    /// <summary>The sampled points' row ids exist in the restored table; the orphan rate is reported and bounded.</summary>
    public static CheckResult OrphansCheck(QdrantProfile? profile, string collection, IReadOnlyList<QdrantPoint>? sample, RestoredChunks? chunks, string? notApplicable)
    {
        const string title = "Sampled points belong to rows of the restored database";
        if (chunks is null || sample is null)
        {
            return CheckResult.NotApplicable(Orphans, title, notApplicable ?? "no restored chunk rows to compare with");
        }

        if (sample.Count == 0)
        {
            return CheckResult.NotApplicable(Orphans, title, $"collection '{collection}' has no points to sample");
        }

        var key = profile?.ChunkIdPayloadKey ?? "_orig_id";
        var orphans = sample.Where(p => p.RowId is null || !chunks.Contains(p.RowId)).ToList();
        var rate = (double)orphans.Count / sample.Count;
        var found = $"{orphans.Count:N0} of {sample.Count:N0} sampled points ({Percent(rate)}) have a {key} with no row in {chunks.Table}";
        var details = orphans.Take(20).Select(p => p.RowId is null ? $"point {p.Id}: no {key} in its payload" : $"point {p.Id}: {key} '{p.RowId}' is not in {chunks.Table}").ToList();
        if (profile?.MaxOrphanRate is not { } max)
        {
            return new CheckResult(Orphans, title, "reported, not bounded (the profile sets no maxOrphanRate)", found, CheckVerdict.NotApplicable, details);
        }

        var expected = $"at most {Percent(max)} of a sample of up to {profile.OrphanSampleSize:N0} points without a row";
        return rate <= max
            ? CheckResult.Pass(Orphans, title, expected, found)
            : CheckResult.Fail(Orphans, title, expected,
                found + $", above the {Percent(max)} allowed: the vectors index chunks the restored database does not have " +
                "(a snapshot and a dump from different runs, or rows lost from the dump).", details);
    }

    private static CheckResult VectorFound(string name, string title, string expected, QdrantProfile profile, string collection,
        QdrantVectorParams? vector, IReadOnlyDictionary<string, QdrantVectorParams> named, string source)
    {
        if (vector is null)
        {
            return CheckResult.Fail(name, title, expected,
                $"collection '{collection}' has named vectors ({string.Join(", ", named.Keys)}), not one unnamed vector: {source} so, and LoopOver writes one unnamed vector.");
        }

        var sizeWrong = profile.VectorSize is { } size && vector.Size != size;
        var distanceWrong = profile.Distance is { } distance && !string.Equals(vector.Distance, distance, StringComparison.Ordinal);
        if (sizeWrong || distanceWrong)
        {
            var what = sizeWrong && distanceWrong ? $"size {vector.Size} and distance {vector.Distance}" : sizeWrong ? $"size {vector.Size}" : $"distance {vector.Distance}";
            return CheckResult.Fail(name, title, expected,
                $"collection '{collection}' has vectors of {what} ({source}), but the profile expects {Expected(profile)}: the application would refuse it " +
                "(LoopOver stops at boot on a dimension mismatch). Restore with the QDRANT_DIM the vectors were made with, or re-index.");
        }

        return CheckResult.Pass(name, title, expected, $"collection '{collection}': size {vector.Size}, {vector.Distance} ({source})");
    }

    private static string Expected(QdrantProfile profile) =>
        string.Join(", ", new[] { profile.VectorSize is { } s ? $"size {s}" : null, profile.Distance is { } d ? $"distance {d}" : null }.OfType<string>()) is { Length: > 0 } text
            ? text
            : "any size and distance";

    private static string Names(IEnumerable<string> names) =>
        names.ToList() is { Count: > 0 } list ? string.Join(", ", list.Select(n => $"'{n}'")) : "no collections";

    private static string Minutes(double minutes) => minutes.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Percent(double fraction) => (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Signed(long value) => value.ToString("+#,0;-#,0;0", CultureInfo.InvariantCulture);

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
