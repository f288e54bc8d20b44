using System.IO.Compression;
using System.Text;
using Gittensory.Drills.Preflight;

namespace Gittensory.Drills.Tests.Preflight;

/// <summary>
/// Writes small custom-format archives of any version from 1.12 to 1.16, the way pg_dump's WriteHead, WriteToc,
/// _WriteExtraToc and the custom data writer do (pg_backup_archiver.c, pg_backup_custom.c), for the versions and
/// compressions the local pg_dump 15 cannot produce. Its 1.14 output is checked against the real pg_restore.
/// lz4 and zstd payloads are written uncompressed: the reader only walks past them, which is what is tested.
/// </summary>
internal sealed class SyntheticArchive
{
    private readonly List<Entry> entries = [];
    private int nextId = 200;

    public Version Version { get; init; } = new(1, 15, 0);

    public PgCompression Compression { get; init; } = PgCompression.Gzip;

    /// <summary>False writes every offset as "not set", like pg_dump writing to a pipe.</summary>
    public bool RecordOffsets { get; init; } = true;

    public string DumpedFrom { get; init; } = "16.4 (Debian 16.4-1.pgdg120+2)";

    /// <summary>Drops this many bytes from the end of each zlib stream, keeping the chunk framing whole (a damaged, not a cut, file).</summary>
    public int DropFromZlibEnd { get; init; }

    public string DumpedBy { get; init; } = "16.4 (Debian 16.4-1.pgdg120+2)";

    /// <summary>Adds a TABLE and its TABLE DATA with the given COPY text (rows ending in newlines; the end marker is added).</summary>
    public SyntheticArchive Table(string schema, string name, string copyRows)
    {
        var table = new Entry(nextId++, "TABLE", schema, name, 2)
        {
            Defn = $"CREATE TABLE {schema}.{name} (v text);\n",
            RelKind = 'r',
            TableAm = "heap",
        };
        entries.Add(table);
        entries.Add(new Entry(nextId++, "TABLE DATA", schema, name, 3)
        {
            CopyStmt = $"COPY {schema}.{name} (v) FROM stdin;\n",
            Dependencies = [table.DumpId],
            Data = Encoding.UTF8.GetBytes(copyRows + "\\.\n\n\n"),
        });
        return this;
    }

    /// <summary>Adds a SEQUENCE SET entry.</summary>
    public SyntheticArchive SequenceSet(string schema, string name, long value, bool isCalled)
    {
        entries.Add(new Entry(nextId++, "SEQUENCE SET", schema, name, 3)
        {
            Defn = $"SELECT pg_catalog.setval('{schema}.{name}', {value}, {(isCalled ? "true" : "false")});\n",
        });
        return this;
    }

    /// <summary>Adds a BLOBS entry holding the given large objects.</summary>
    public SyntheticArchive LargeObjects(params byte[][] objects)
    {
        entries.Add(new Entry(nextId++, "BLOBS", null, "BLOBS", 3) { LargeObjects = objects });
        return this;
    }

    public byte[] Build()
    {
        // Offsets are fixed-width, so the TOC is as long with placeholders as with the real offsets: lay out once, then write again.
        var data = entries.Select(DataBlock).ToList();
        var head = HeadAndToc(new long[entries.Count]);
        var offsets = new long[entries.Count];
        var at = (long)head.Length;
        for (var i = 0; i < entries.Count; i++)
        {
            offsets[i] = data[i] is null ? 0 : at;
            at += data[i]?.Length ?? 0;
        }

        using var output = new MemoryStream();
        output.Write(HeadAndToc(offsets));
        foreach (var block in data.OfType<byte[]>())
        {
            output.Write(block);
        }

        return output.ToArray();
    }

    private byte[] HeadAndToc(long[] offsets)
    {
        using var s = new MemoryStream();
        s.Write("PGDMP"u8);
        s.WriteByte((byte)Version.Major);
        s.WriteByte((byte)Version.Minor);
        s.WriteByte((byte)Version.Build);
        s.WriteByte(4); // intSize
        s.WriteByte(8); // offSize
        s.WriteByte(1); // archCustom
        if (Version >= new Version(1, 15))
        {
            s.WriteByte((byte)Compression);
        }
        else
        {
            WriteInt(s, Compression == PgCompression.None ? 0 : -1);
        }

        foreach (var tm in new[] { 39, 9, 9, 4, 6, 126, 0 })
        {
            WriteInt(s, tm); // 2026-07-04 09:09:39
        }

        WriteStr(s, "loopover");
        WriteStr(s, DumpedFrom);
        WriteStr(s, DumpedBy);

        WriteInt(s, entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            WriteInt(s, e.DumpId);
            WriteInt(s, e.HasData ? 1 : 0);
            WriteStr(s, e.Desc == "TABLE" ? "1259" : "0");
            WriteStr(s, (16384 + e.DumpId).ToString(System.Globalization.CultureInfo.InvariantCulture));
            WriteStr(s, e.Tag);
            WriteStr(s, e.Desc);
            WriteInt(s, e.Section);
            WriteStr(s, e.Defn ?? "");
            WriteStr(s, "");
            WriteStr(s, e.CopyStmt ?? "");
            WriteStr(s, e.Namespace ?? "");
            WriteStr(s, "");
            if (Version >= new Version(1, 14))
            {
                WriteStr(s, e.TableAm);
            }

            if (Version >= new Version(1, 16))
            {
                WriteInt(s, e.RelKind ?? 0);
            }

            WriteStr(s, "postgres");
            WriteStr(s, "false");
            foreach (var dependency in e.Dependencies)
            {
                WriteStr(s, dependency.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            WriteStr(s, null);
            var (flag, offset) = !e.HasData ? (3, 0L) : RecordOffsets ? (2, offsets[i]) : (1, 0L);
            s.WriteByte((byte)flag);
            for (var b = 0; b < 8; b++)
            {
                s.WriteByte((byte)(offset >> (8 * b)));
            }
        }

        return s.ToArray();
    }

    private byte[]? DataBlock(Entry e)
    {
        if (!e.HasData)
        {
            return null;
        }

        using var s = new MemoryStream();
        s.WriteByte((byte)(e.LargeObjects is null ? 1 : 3));
        WriteInt(s, e.DumpId);
        if (e.LargeObjects is null)
        {
            WriteChunks(s, e.Data!);
        }
        else
        {
            var oid = 16400;
            foreach (var lo in e.LargeObjects)
            {
                WriteInt(s, oid++);
                WriteChunks(s, lo);
            }

            WriteInt(s, 0);
        }

        return s.ToArray();
    }

    private void WriteChunks(Stream s, byte[] raw)
    {
        var payload = Compression == PgCompression.Gzip ? Zlib(raw)[..^DropFromZlibEnd] : raw;
        for (var i = 0; i < payload.Length; i += 4096)
        {
            var n = Math.Min(4096, payload.Length - i);
            WriteInt(s, n);
            s.Write(payload, i, n);
        }

        WriteInt(s, 0);
    }

    private static byte[] Zlib(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal))
        {
            zlib.Write(raw);
        }

        return output.ToArray();
    }

    private static void WriteInt(Stream s, long value)
    {
        s.WriteByte((byte)(value < 0 ? 1 : 0));
        value = Math.Abs(value);
        for (var b = 0; b < 4; b++)
        {
            s.WriteByte((byte)(value & 0xff));
            value >>= 8;
        }
    }

    private static void WriteStr(Stream s, string? text)
    {
        if (text is null)
        {
            WriteInt(s, -1);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        WriteInt(s, bytes.Length);
        s.Write(bytes);
    }

    private sealed record Entry(int DumpId, string Desc, string? Namespace, string Tag, int Section)
    {
        public string? Defn { get; init; }

        public string? CopyStmt { get; init; }

        public string? TableAm { get; init; }

        public char? RelKind { get; init; }

        public int[] Dependencies { get; init; } = [];

        public byte[]? Data { get; init; }

        public byte[][]? LargeObjects { get; init; }

        public bool HasData => Data is not null || LargeObjects is not null;
    }
}
