namespace Gittensory.Drills.Preflight;

/// <summary>The extensions an archive needs on the server it is restored into, read from its table of contents.</summary>
public static class PgArchiveExtensions
{
    /// <summary>The names of the archive's EXTENSION entries (what its <c>CREATE EXTENSION</c> statements create), distinct, in archive order.</summary>
    public static IReadOnlyList<string> Required(PgArchive archive)
    {
        ArgumentNullException.ThrowIfNull(archive);
        return [.. archive.Entries.Where(e => e.Desc == "EXTENSION" && e.Tag.Length > 0).Select(e => e.Tag).Distinct(StringComparer.Ordinal)];
    }
}
