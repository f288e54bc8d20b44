using Gittensory.Drills.Sandbox;

namespace Gittensory.Drills.Checks;

/// <summary>Before any restore: the restore image offers every extension the archive creates, so pg_restore cannot fail at a <c>CREATE EXTENSION</c>.</summary>
public static class ExtensionCheck
{
    /// <summary>The check's name in reports.</summary>
    public const string Name = "postgres.extensions";

    /// <summary>What the check proves.</summary>
    public const string Title = "The restore image offers every extension the archive creates";

    // Where a well-known extension's package is named differently from the extension.
    private static readonly Dictionary<string, string> Packages = new(StringComparer.Ordinal) { ["vector"] = "pgvector" };

    /// <summary>Judges <paramref name="required"/> (from the archive's TOC) against <paramref name="available"/> (the image's <c>pg_available_extensions</c>).</summary>
    public static CheckResult Evaluate(string backup, string image, IReadOnlyList<string> required, IReadOnlyDictionary<string, string?> available)
    {
        ArgumentNullException.ThrowIfNull(required);
        ArgumentNullException.ThrowIfNull(available);
        var expected = required.Count == 0 ? "the extensions the archive creates, in pg_available_extensions" : $"{string.Join(", ", required)} in pg_available_extensions";
        var missing = required.Where(e => !available.ContainsKey(e)).ToList();
        if (missing.Count == 0)
        {
            return CheckResult.Pass(Name, Title, expected, required.Count == 0
                ? "the archive creates no extension"
                : $"'{image}' offers {string.Join(", ", required.Select(e => available[e] is { } version ? $"{e} {version}" : e))}");
        }

        var names = string.Join(", ", missing.Select(e => $"'{e}'"));
        var fix = missing.Contains("vector")
            ? $"Use {PostgresImageChoice.NewestBuiltLocally}, which has pgvector (fixtures/engine/ensure-engine.sh builds it), or another image with the extension (set DRILL_POSTGRES_IMAGE, e.g. pgvector/pgvector:pg{{major}})."
            : "Use an image that has the extension (set DRILL_POSTGRES_IMAGE).";
        var packages = missing.Where(Packages.ContainsKey).Select(e => $"{e} comes with {Packages[e]}").ToList();
        var message = $"Backup '{backup}' creates the PostgreSQL extension{(missing.Count > 1 ? "s" : "")} {names} (CREATE EXTENSION in its table of contents), " +
                      $"but the restore image '{image}' does not offer {(missing.Count > 1 ? "them" : "it")} (pg_available_extensions{(packages.Count > 0 ? "; " + string.Join(", ", packages) : "")}), " +
                      $"so pg_restore would fail there and every check after it would be about that failure, not the backup. {fix}";
        return CheckResult.Fail(Name, Title, expected, message);
    }
}
