using System.Globalization;
using System.Text.RegularExpressions;

namespace Gittensory.Drills.Sandbox;

/// <summary>
/// Which Postgres image restores a dump, and why: the operator's <c>DRILL_POSTGRES_IMAGE</c> when set; else, among the
/// machine's local images (<c>DRILL_POSTGRES_IMAGES</c>), the one of exactly the major wanted, else the smallest newer one
/// (a 16 dump restores into 17); else the official image. <see cref="Image"/> is null when no local image is new enough.
/// </summary>
/// <param name="Image">The image to start, or null when none is suitable (then <paramref name="Reason"/> says what to build or set).</param>
/// <param name="Major">The image's PostgreSQL major as its tag gives it, or null when the tag does not say.</param>
/// <param name="Reason">Why this image, in words, for the report; or, without an image, the message to stop with.</param>
public sealed partial record PostgresImageChoice(string? Image, int? Major, string Reason)
{
    /// <summary>The newest image fixtures/engine/ensure-engine.sh builds, named when no local image is new enough.</summary>
    public const string NewestBuiltLocally = "gittensory-drills/postgres:17";

    /// <summary>The major of <see cref="NewestBuiltLocally"/>.</summary>
    public const int NewestBuiltLocallyMajor = 17;

    /// <summary>
    /// Chooses the image for a dump that needs PostgreSQL <paramref name="major"/> or newer (the highest of its server, its
    /// pg_dump and its archive version's minimum); <paramref name="why"/>, when given, says what raised it (e.g. booting the application).
    /// </summary>
    public static PostgresImageChoice For(DrillImages images, int major, string? why = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        var wanted = $"major {major}" + (why is null ? "" : $" ({why})");
        if (images.Postgres is { } pinned)
        {
            var image = pinned.Replace("{major}", major.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            var filled = image == pinned ? "" : $", {{major}} = {major}";
            return new PostgresImageChoice(image, MajorOf(image), $"set by DRILL_POSTGRES_IMAGE ('{pinned}'{filled})");
        }

        if (images.LocalPostgres.Count == 0)
        {
            var image = DrillImages.DefaultPostgres.Replace("{major}", major.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            return new PostgresImageChoice(image, major,
                $"the official image for {wanted}: neither DRILL_POSTGRES_IMAGE nor a list of local images (DRILL_POSTGRES_IMAGES) is set");
        }

        var local = images.LocalPostgres.Select(i => (Image: i, Major: MajorOf(i))).ToList();
        if (local.FirstOrDefault(l => l.Major == major) is { Image: not null } exact)
        {
            return new PostgresImageChoice(exact.Image, exact.Major, $"the local image of {wanted}");
        }

        if (local.Where(l => l.Major > major).OrderBy(l => l.Major).FirstOrDefault() is { Image: not null } newer)
        {
            return new PostgresImageChoice(newer.Image, newer.Major, $"no local image of {wanted}; using {newer.Image}, the smallest newer one");
        }

        var listed = string.Join(", ", local.Select(l => l.Image));
        var fix = major <= NewestBuiltLocallyMajor
            ? $"Run fixtures/engine/ensure-engine.sh, which builds {NewestBuiltLocally}, or set DRILL_POSTGRES_IMAGE to an image of major {major} or newer."
            : $"Bring an image of major {major} or newer (e.g. docker load a saved pgvector/pgvector:pg{major}) and set DRILL_POSTGRES_IMAGE.";
        return new PostgresImageChoice(null, null, $"No local Postgres image of {wanted} or newer: the images file lists {listed} (DRILL_POSTGRES_IMAGES). {fix}");
    }

    /// <summary>The PostgreSQL major an image's tag begins with (<c>postgres:17</c>, <c>pgvector/pgvector:pg16</c>, <c>postgres:16.4-bookworm</c>), or null.</summary>
    public static int? MajorOf(string image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var match = TagMajor().Match(image);
        return match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? major : null;
    }

    // The tag is what follows the last ':' after the last '/' (a registry host may carry a port).
    [GeneratedRegex(@":(?:pg)?(\d+)(?:[.\-][^/:]*)?$")]
    private static partial Regex TagMajor();
}
