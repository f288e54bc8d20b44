using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.Preflight;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Sandbox;

namespace Gittensory.Drills.Stores.Postgres;

/// <summary>
/// The Postgres leg's decisions about its restore image, each taken before any restore: which image (and why), whether the
/// application can boot on it, and whether it offers the archive's extensions. Each stops the leg with exit 2 when it cannot go on.
/// </summary>
internal static class PostgresImagePreflight
{
    /// <summary>Chooses the image for <paramref name="archive"/> (raised to the application's minimum when it is booted), records it and why in the leg.</summary>
    public static PostgresImageChoice Choose(DrillOptions options, LegRecorder leg, PgArchive archive, string backup)
    {
        // An archive that does not name its server is taken to be from LoopOver's own (16), as before the choice existed.
        var major = archive.ServerMajor is null ? Math.Max(archive.RestoreMajor, 16) : archive.RestoreMajor;
        string? why = null;
        if (BootsOnPostgres(options) && options.Profile.AppMinimumPostgresMajor is { } minimum && minimum > major)
        {
            (major, why) = (minimum, $"-BootApp: the application needs PostgreSQL {minimum} or newer");
        }

        var choice = PostgresImageChoice.For(options.Images, major, why);
        if (choice.Image is null)
        {
            var message = $"Backup '{backup}' needs a PostgreSQL {major} or newer server to restore into. {choice.Reason}";
            throw new DrillAbortedException(DrillVerdict.Error, message, CheckResult.Fail(PostgresCheckNames.Image, "The restore image can read the archive",
                $"a Postgres image of major {major} or newer", message));
        }

        leg.Images["postgres"] = choice.Image;
        leg.Notes.Add($"Postgres image '{choice.Image}': {choice.Reason}.");
        return choice;
    }

    /// <summary>For <c>-WhatIf</c>: the image the leg would choose for <paramref name="backup"/> and why, from its header and TOC only (read, never written).</summary>
    public static async Task<string> DescribeChoiceAsync(DrillOptions options, BackupFile? backup, CancellationToken ct = default)
    {
        if (backup is null)
        {
            return "Postgres image: not chosen, there is no dump to drill.";
        }

        PgArchive archive;
        try
        {
            archive = await PgArchiveReader.ReadHeaderAndTocAsync(backup.FullPath, backup.RelativePath, ct);
        }
        catch (BackupRejectedException e)
        {
            return $"Postgres image: not chosen, the archive's header cannot be read (the drill would fail its preflight): {e.Message}";
        }

        var leg = new LegRecorder("postgres", TextWriter.Null);
        try
        {
            var choice = Choose(options, leg, archive, backup.RelativePath);
            var extensions = archive.Extensions.Count == 0 ? "" : $" The archive creates the extension(s) {string.Join(", ", archive.Extensions)}, which the image must offer.";
            return $"Postgres image: '{choice.Image}' ({choice.Reason}), for a dump from PostgreSQL {archive.Header.DumpedFrom} by pg_dump {archive.Header.DumpedBy}, archive {archive.Header.ArchiveVersion}.{extensions}";
        }
        catch (DrillAbortedException e)
        {
            return $"Would stop before any restore (exit 2): {e.Message}";
        }
    }

    /// <summary>With <c>-BootApp</c>, refuses a restore server older than the application boots on; without it, or when the major is unknown, does nothing.</summary>
    public static void RequireBootableServer(DrillOptions options, LegRecorder leg, string image, int? imageMajor)
    {
        if (!BootsOnPostgres(options) || imageMajor is not { } major || AppServerVersionCheck.Evaluate(options.Profile, image, major) is not { } check)
        {
            return;
        }

        if (check.Verdict == CheckVerdict.Failed)
        {
            throw new DrillAbortedException(DrillVerdict.Error, check.Found, check);
        }

        leg.Checks.RemoveAll(c => c.Name == check.Name);
        leg.Checks.Add(check);
    }

    /// <summary>Asks the started scratch server which extensions it offers and stops, naming the first fix, when one the archive creates is missing.</summary>
    public static async Task RequireExtensionsAsync(LegRecorder leg, PgArchive archive, string backup, ScratchPostgres scratch, CancellationToken ct = default)
    {
        var available = await PostgresExtensions.AvailableAsync(scratch.ConnectionString, ct);
        var check = ExtensionCheck.Evaluate(backup, scratch.Image, archive.Extensions, available);
        if (check.Verdict == CheckVerdict.Failed)
        {
            throw new DrillAbortedException(DrillVerdict.Error, check.Found, check);
        }

        lock (leg.Checks)
        {
            leg.Checks.Add(check);
        }
    }

    // The application boots on the scratch Postgres unless -BootStore sends it to SQLite (the Postgres store exists only when
    // Postgres is drilled, and the profile prefers it when the set holds both).
    private static bool BootsOnPostgres(DrillOptions options) => options.BootApp is not null && options.BootStore is null or BackupStore.Postgres;
}
