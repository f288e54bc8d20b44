using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Gittensory.Drills.Checks;

/// <summary>
/// The ids of the restored table that holds one row per Qdrant point (LoopOver: <c>repo_chunks</c>), kept as sorted 64-bit
/// hashes (8 bytes a row) so the Postgres leg can hand them to the Qdrant leg after its scratch database is gone.
/// A false "present" needs two ids whose SHA-256 share their first 64 bits: about n²/2⁶⁵, nil for any real table.
/// </summary>
public sealed class RepoChunkIndex
{
    private readonly ulong[] hashes;

    private RepoChunkIndex(string source, string table, ulong[] hashes)
    {
        Source = source;
        Table = table;
        this.hashes = hashes;
    }

    /// <summary>The leg whose restored database the ids come from (<c>postgres</c>, <c>sqlite</c>).</summary>
    public string Source { get; }

    /// <summary>The table, e.g. <c>public.repo_chunks</c>.</summary>
    public string Table { get; }

    /// <summary>How many rows the table holds.</summary>
    public long RowCount => hashes.LongLength;

    /// <summary>Builds the index from every id of the table.</summary>
    public static RepoChunkIndex Create(string source, string table, IEnumerable<string> ids)
    {
        var list = new List<ulong>();
        foreach (var id in ids)
        {
            list.Add(Hash(id));
        }

        var array = list.ToArray();
        Array.Sort(array);
        return new RepoChunkIndex(source, table, array);
    }

    /// <summary>Whether a row with this id exists.</summary>
    public bool Contains(string id) => Array.BinarySearch(hashes, Hash(id)) >= 0;

    private static ulong Hash(string id)
    {
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(id), digest);
        return BinaryPrimitives.ReadUInt64BigEndian(digest);
    }
}
