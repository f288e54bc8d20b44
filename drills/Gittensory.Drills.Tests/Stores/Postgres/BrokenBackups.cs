using System.Security.Cryptography;
using Gittensory.Drills.Fixtures;

namespace Gittensory.Drills.Tests.Stores.Postgres;

/// <summary>Backups roots made from the committed sample set, each with one thing broken, for the drill's negative controls.</summary>
internal static class BrokenBackups
{
    public const string DumpName = "loopover-20260704T090939Z.dump";

    public static string SampleDump => Path.Combine(RepoPaths.SampleBackups, "postgres", DumpName);

    /// <summary>A fresh root holding only <c>postgres/&lt;DumpName&gt;</c> with <paramref name="content"/>; returns the root.</summary>
    public static string RootWithDump(byte[] content, string fileName = DumpName)
    {
        var root = Directory.CreateTempSubdirectory("gdrill-test-broken-").FullName;
        Directory.CreateDirectory(Path.Combine(root, "postgres"));
        File.WriteAllBytes(Path.Combine(root, "postgres", fileName), content);
        return root;
    }

    /// <summary>A copy of the whole committed sample set (manifest included).</summary>
    public static string CopyOfSampleSet()
    {
        var root = Directory.CreateTempSubdirectory("gdrill-test-sample-").FullName;
        foreach (var file in Directory.GetFiles(RepoPaths.SampleBackups, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(root, Path.GetRelativePath(RepoPaths.SampleBackups, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        return root;
    }

    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The sample dump with its "dumped from" version claiming PostgreSQL 16 (same length, so the archive stays readable).</summary>
    public static byte[] DumpClaimingPostgres16()
    {
        var bytes = File.ReadAllBytes(SampleDump);
        var from = System.Text.Encoding.ASCII.GetBytes("15.");
        var at = bytes.AsSpan(0, 512).IndexOf(from);
        if (at < 0)
        {
            throw new InvalidOperationException("The sample dump's header holds no '15.' version string; regenerate the sample set with PostgreSQL 15.");
        }

        bytes[at + 1] = (byte)'6';
        return bytes;
    }
}
