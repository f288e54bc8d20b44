using System.Globalization;
using Gittensory.Drills.Backups;

namespace Gittensory.Drills.Preflight;

/// <summary>
/// Reads the header and table of contents of a custom-format archive, following WriteHead/ReadHead and WriteToc/ReadToc
/// in src/bin/pg_dump/pg_backup_archiver.c and _WriteExtraToc/_ReadExtraToc in pg_backup_custom.c, for archive versions 1.12 to 1.16.
/// </summary>
internal static class ArchiveTocReader
{
    /// <summary>The tail of every "the file is incomplete" message.</summary>
    public const string CutShort =
        "The file was cut short (disk full while writing, a copy that stopped early, or a file taken while pg_dump was still writing): use an older backup.";

    /// <summary>The tail of every "the file is damaged" message.</summary>
    public const string Damaged =
        "pg_restore cannot read it either: use an older backup, and check the disk or storage the backups are kept on.";

    private const int HeadBytes = 512;

    /// <summary>Refuses what is not a readable custom-format file before any parsing: missing, a directory, empty, or another format.</summary>
    public static async Task CheckIsCustomArchiveAsync(string path, string file, CancellationToken ct)
    {
        if (Directory.Exists(path))
        {
            throw new BackupRejectedException(file, $"Backup '{file}' is not a pg_dump custom-format archive: {ArchiveSniffer.DescribeDirectory(path)}");
        }

        if (!File.Exists(path))
        {
            throw new BackupRejectedException(file, $"Backup '{file}' does not exist. Check the backups root and the file name (postgres/loopover-<ts>.dump).");
        }

        var head = new byte[HeadBytes];
        int read;
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous);
        await using (stream)
        {
            if (stream.Length == 0)
            {
                throw new BackupRejectedException(file,
                    $"Backup '{file}' is empty (0 bytes): pg_dump wrote nothing. Check the backup job's log (a failed connection or a full disk) and use an older backup.");
            }

            read = await stream.ReadAtLeastAsync(head, HeadBytes, throwOnEndOfStream: false, ct);
        }

        if (!head.AsSpan(0, read).StartsWith("PGDMP"u8))
        {
            throw new BackupRejectedException(file,
                $"Backup '{file}' is not a pg_dump custom-format archive (it does not start with 'PGDMP'): {ArchiveSniffer.Describe(head.AsSpan(0, read))}");
        }
    }

    /// <summary>Reads the header and TOC from the start of <paramref name="input"/>, leaving it at the first data block.</summary>
    public static async Task<(PgArchiveHeader Header, IReadOnlyList<PgTocEntry> Entries)> ReadAsync(ArchiveInput input, string file, CancellationToken ct)
    {
        var header = await ReadHeaderAsync(input, file, ct);
        var entries = await ReadTocAsync(input, file, header.ArchiveVersion, ct);
        return (header, entries);
    }

    /// <summary>Refuses data offsets that point past the end of the file (a cut-short archive, found without reading the data).</summary>
    public static void CheckDataOffsets(IReadOnlyList<PgTocEntry> entries, long dataStart, long length, string file)
    {
        var placed = entries.Where(e => e.DataOffset is not null).OrderBy(e => e.DataOffset).ToList();
        var beyond = placed.Where(e => e.DataOffset >= length).ToList();
        if (beyond.Count > 0)
        {
            var cutIn = placed.LastOrDefault(e => e.DataOffset < length);
            var where = cutIn is null
                ? "before its first data block"
                : $"inside the data of {Describe(cutIn)} (TOC entry {cutIn.DumpId}, which starts at byte {cutIn.DataOffset})";
            var others = beyond.Count > 1 ? $" and {beyond.Count - 1} more entr{(beyond.Count == 2 ? "y" : "ies")}" : "";
            throw new BackupRejectedException(file,
                $"Backup '{file}' is {length} bytes, but its table of contents places the data of {Describe(beyond[0])} (TOC entry {beyond[0].DumpId}) "
                + $"at byte {beyond[0].DataOffset}{others} beyond that: the file ends {where}. {CutShort}");
        }

        foreach (var entry in placed)
        {
            if (entry.DataOffset < dataStart)
            {
                throw new BackupRejectedException(file,
                    $"Backup '{file}' has a corrupt table of contents: it places the data of {Describe(entry)} (TOC entry {entry.DumpId}) at byte "
                    + $"{entry.DataOffset}, inside the table of contents itself (which ends at byte {dataStart}). {Damaged}");
            }
        }
    }

    /// <summary>How messages name an entry: "table public.x" for TABLE DATA, "large objects" for BLOBS, else desc and name.</summary>
    public static string Describe(PgTocEntry entry) => entry.Desc switch
    {
        "TABLE DATA" => $"table {entry.QualifiedName}",
        "BLOBS" => "large objects",
        _ => $"{entry.Desc} {entry.QualifiedName}",
    };

    private static async Task<PgArchiveHeader> ReadHeaderAsync(ArchiveInput input, string file, CancellationToken ct)
    {
        try
        {
            await input.ReadBytesAsync(5, ct); // "PGDMP", checked by CheckIsCustomArchiveAsync
            var vmaj = await input.ReadByteAsync(ct);
            var vmin = await input.ReadByteAsync(ct);
            var vrev = await input.ReadByteAsync(ct);
            if (PgArchiveVersions.IsNewerThanKnown(vmaj, vmin))
            {
                throw await TooNewAsync(input, file, vmaj, vmin, vrev, ct);
            }

            var version = new Version(vmaj, vmin, vrev);
            if (version < PgArchiveVersions.Oldest)
            {
                throw new BackupRejectedException(file,
                    $"Backup '{file}' is a pg_dump archive of format version {vmaj}.{vmin}, from pg_dump 8.4 or older; this reader reads 1.12 "
                    + $"({PgArchiveVersions.WrittenBy(PgArchiveVersions.Oldest)}) to 1.16. Restore it with a pg_restore that reads it and dump again with a current pg_dump -Fc.");
            }

            var at = input.Position;
            var intSize = await input.ReadByteAsync(ct);
            var offSize = await input.ReadByteAsync(ct);
            if (intSize is < 1 or > 8 || offSize is < 1 or > 16)
            {
                throw new ArchiveCorruptException(at, $"an integer size of {intSize} and an offset size of {offSize} bytes (pg_dump writes 4 and 8)");
            }

            input.IntSize = intSize;
            input.OffsetSize = offSize;

            at = input.Position;
            var format = await input.ReadByteAsync(ct);
            if (format != 1)
            {
                var name = format switch { 3 => "tar", 4 => "plain", 5 => "directory", _ => "unknown" };
                throw new ArchiveCorruptException(at, $"format {format} ({name}) in the header of a file that starts like a custom-format archive (format 1)");
            }

            PgCompression compression;
            int? level = null;
            at = input.Position;
            if (version >= PgArchiveVersions.V1_15)
            {
                var algorithm = await input.ReadByteAsync(ct);
                if (algorithm > 3)
                {
                    throw new ArchiveCorruptException(at, $"compression algorithm {algorithm} (known: 0 none, 1 gzip, 2 lz4, 3 zstd)");
                }

                compression = (PgCompression)algorithm;
            }
            else
            {
                level = (int)await input.ReadIntAsync(ct);
                compression = level == 0 ? PgCompression.None : PgCompression.Gzip;
            }

            var tm = new long[7];
            for (var i = 0; i < tm.Length; i++)
            {
                tm[i] = await input.ReadIntAsync(ct);
            }

            var database = await input.ReadStringAsync(ct);
            var dumpedFrom = await input.ReadStringAsync(ct);
            var dumpedBy = await input.ReadStringAsync(ct);
            return new PgArchiveHeader
            {
                ArchiveVersion = version,
                IntSize = intSize,
                OffsetSize = offSize,
                Compression = compression,
                CompressionLevel = level,
                CreatedAt = ToDate(tm),
                DatabaseName = database,
                DumpedFrom = dumpedFrom,
                DumpedBy = dumpedBy,
            };
        }
        catch (ArchiveEndOfFileException)
        {
            throw new BackupRejectedException(file,
                $"Backup '{file}' ends inside its pg_dump header, at byte {input.Length} (the file is {input.Length} bytes, too short even for the header). {CutShort}");
        }
        catch (ArchiveCorruptException e)
        {
            throw new BackupRejectedException(file, $"Backup '{file}' has a corrupt pg_dump header: byte {e.Offset} holds {e.Message}. {Damaged}", e);
        }
    }

    private static async Task<IReadOnlyList<PgTocEntry>> ReadTocAsync(ArchiveInput input, string file, Version version, CancellationToken ct)
    {
        var tocStart = input.Position;
        var index = 0;
        long count = 0;
        PgTocEntry? last = null;
        try
        {
            count = await input.ReadIntAsync(ct);
            if (count < 0 || count > (input.Length - input.Position) / (input.IntSize + 1))
            {
                throw new ArchiveCorruptException(tocStart, $"an entry count of {count}, impossible in a file of {input.Length} bytes");
            }

            var entries = new List<PgTocEntry>((int)count);
            for (index = 0; index < count; index++)
            {
                last = await ReadEntryAsync(input, version, ct);
                entries.Add(last);
            }

            return entries;
        }
        catch (ArchiveEndOfFileException)
        {
            var after = last is null ? "before its first entry was complete" : $"after entry {last.DumpId} ({last.Desc} {last.QualifiedName})";
            throw new BackupRejectedException(file,
                $"Backup '{file}' ends inside its table of contents, in entry {index + 1} of {count}, at byte {input.Length} "
                + $"(the file is {input.Length} bytes; the table of contents starts at byte {tocStart} and is complete only {after}). {CutShort}");
        }
        catch (ArchiveCorruptException e)
        {
            throw new BackupRejectedException(file,
                $"Backup '{file}' has a corrupt table of contents: at byte {e.Offset} (entry {index + 1} of {count}) it holds {e.Message}. {Damaged}", e);
        }
    }

    private static async Task<PgTocEntry> ReadEntryAsync(ArchiveInput input, Version version, CancellationToken ct)
    {
        var at = input.Position;
        var dumpId = await input.ReadIntAsync(ct);
        if (dumpId is <= 0 or > int.MaxValue)
        {
            throw new ArchiveCorruptException(at, $"entry id {dumpId} (ids start at 1)");
        }

        var hadDumper = await input.ReadIntAsync(ct) != 0;
        var tableOid = ParseOid(await input.ReadStringAsync(ct)); // K_VERS_1_8 and later
        var oid = ParseOid(await input.ReadStringAsync(ct));
        var tag = await input.ReadStringAsync(ct) ?? "";
        var desc = await input.ReadStringAsync(ct) ?? "";
        at = input.Position;
        var section = await input.ReadIntAsync(ct); // K_VERS_1_11 and later
        if (section is < 1 or > 4)
        {
            throw new ArchiveCorruptException(at, $"section {section} for entry {dumpId} (known: 1 to 4)");
        }

        var defn = await input.ReadStringAsync(ct);
        var dropStmt = await input.ReadStringAsync(ct);
        var copyStmt = await input.ReadStringAsync(ct);
        var ns = await input.ReadStringAsync(ct);
        var tablespace = await input.ReadStringAsync(ct);
        var tableAm = version >= PgArchiveVersions.V1_14 ? await input.ReadStringAsync(ct) : null;
        char? relKind = null;
        if (version >= PgArchiveVersions.V1_16)
        {
            var kind = await input.ReadIntAsync(ct);
            relKind = kind is > 0 and < 128 ? (char)kind : null;
        }

        var owner = await input.ReadStringAsync(ct);
        await input.ReadStringAsync(ct); // "false": WITH OIDS, no longer supported (K_VERS_1_9 and later)
        var dependencies = new List<int>();
        while (true)
        {
            at = input.Position;
            var dependency = await input.ReadStringAsync(ct);
            if (dependency is null)
            {
                break;
            }

            if (!int.TryParse(dependency, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
            {
                throw new ArchiveCorruptException(at, $"dependency '{dependency}' for entry {dumpId} (expected a dump id)");
            }

            dependencies.Add(id);
        }

        var (state, offset) = await input.ReadOffsetAsync(ct);
        return new PgTocEntry
        {
            DumpId = (int)dumpId,
            HadDumper = hadDumper,
            TableOid = tableOid,
            Oid = oid,
            Tag = tag,
            Desc = desc,
            Section = (PgTocSection)section,
            Defn = defn,
            DropStmt = dropStmt,
            CopyStmt = copyStmt,
            Namespace = ns,
            Tablespace = tablespace,
            TableAm = tableAm,
            RelKind = relKind,
            Owner = owner,
            Dependencies = dependencies,
            DataState = state,
            DataOffset = state == PgDataState.PositionSet ? offset : null,
        };
    }

    private static async Task<BackupRejectedException> TooNewAsync(ArchiveInput input, string file, int vmaj, int vmin, int vrev, CancellationToken ct)
    {
        // A newer header may be laid out differently: read its next bytes as 1.15/1.16 lay them out (a compression byte),
        // then as 1.14 did (a compression int), and use "dumped by" only where it reads as a version.
        var rest = new byte[(int)Math.Min(4096, input.Length - input.Position)];
        var filled = 0;
        int n;
        while (filled < rest.Length && (n = await input.ReadAsync(rest.AsMemory(filled), ct)) > 0)
        {
            filled += n;
        }

        var dumpedBy = DumpedByIn(rest.AsSpan(0, filled), compressionIsByte: true) ?? DumpedByIn(rest.AsSpan(0, filled), compressionIsByte: false);
        var byMajor = PgArchiveVersions.MajorOf(dumpedBy);
        var who = byMajor is > 18
            ? $"It was made by pg_dump {dumpedBy}; restoring it needs pg_restore {byMajor} or newer."
            : "It was made by a pg_dump newer than 18; restoring it needs a pg_restore at least as new.";
        return new BackupRejectedException(file,
            $"Backup '{file}' is a pg_dump archive of format version {vmaj}.{vmin}.{vrev}, newer than this reader knows "
            + $"(1.12 to 1.16, written by pg_dump 9.0 to 18). {who} Update Gittensory.Drills' archive reader (Preflight/) for the new format, "
            + "or make the backup with pg_dump 18 or older.");
    }

    /// <summary>The third header string after intSize, offSize, format, compression and the 7 time ints, if it reads as a version.</summary>
    private static string? DumpedByIn(ReadOnlySpan<byte> rest, bool compressionIsByte)
    {
        if (rest.Length < 3 || rest[0] is < 1 or > 8)
        {
            return null;
        }

        var intSize = rest[0];
        var at = 3 + (compressionIsByte ? 1 : intSize + 1) + (7 * (intSize + 1));
        string? text = null;
        for (var i = 0; i < 3; i++)
        {
            if (at + intSize + 1 > rest.Length)
            {
                return null;
            }

            long length = 0;
            for (var b = intSize; b >= 1; b--)
            {
                length = (length << 8) | rest[at + b];
            }

            var isNull = rest[at] != 0; // only -1 (NULL) is negative
            at += intSize + 1;
            if (isNull)
            {
                text = null;
                continue;
            }

            if (length > rest.Length - at)
            {
                return null;
            }

            text = System.Text.Encoding.UTF8.GetString(rest.Slice(at, (int)length));
            at += (int)length;
        }

        return PgArchiveVersions.MajorOf(text) is not null ? text : null;
    }

    private static uint ParseOid(string? text) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var oid) ? oid : 0;

    private static DateTime? ToDate(long[] tm)
    {
        // struct tm: sec, min, hour, mday, mon (0-11), year (since 1900), isdst.
        try
        {
            return new DateTime((int)tm[5] + 1900, (int)tm[4] + 1, (int)tm[3], (int)tm[2], (int)tm[1], (int)tm[0], DateTimeKind.Unspecified);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }
}
