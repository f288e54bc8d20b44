using Gittensory.Drills.Backups;
using Gittensory.Drills.Sandbox;

namespace Gittensory.Drills.Drills;

/// <summary>What a drill would do, worked out without touching anything: no container, no report, no write (for <c>-WhatIf</c>).</summary>
public static class DrillPlan
{
    /// <summary>Describes the drill <paramref name="options"/> would run, as lines for a person.</summary>
    public static async Task<IReadOnlyList<string>> DescribeAsync(DrillOptions options, CancellationToken ct = default)
    {
        var lines = new List<string> { $"Backups root: {Path.GetFullPath(options.BackupRoot)}" + (options.BundledSample ? " (the bundled sample set)" : "") };
        try
        {
            var selection = await BackupFinder.FindAsync(options.BackupRoot, BackupStore.Postgres, options.Profile.BackupPrefixes, options.Backup, ct);
            lines.Add($"Would drill: {selection.Backup.RelativePath} ({selection.Backup.Bytes:N0} bytes, taken {selection.Backup.Timestamp?.ToString("u") ?? "?"}), chosen by {selection.SelectedBy}");
            lines.Add($"Manifest: {selection.ManifestCheck.Verdict}: {selection.ManifestCheck.Found}");
            lines.AddRange(selection.Notes);
        }
        catch (BackupRejectedException e)
        {
            lines.Add($"Would stop: {e.Message}");
        }

        var engine = await ContainerEngine.ProbeAsync(ct: ct);
        lines.Add(engine.Answers ? $"Container engine: {engine.Version} (API {engine.ApiVersion})" : $"Container engine: none ({engine.Problem})");
        lines.Add($"Would read the archive offline, then start a scratch Postgres from '{options.Images.Postgres}' ({{major}} = the dump's server major) " +
                  $"on its own network gdrill-{options.RunId}, with the backup mounted read-only, and restore into it with pg_restore.");
        lines.Add(options.LiveDatabaseUrl is null
            ? "No live database: no comparison."
            : $"Would fingerprint the live database {Secrets.Redact(options.LiveDatabaseUrl)} and only read it, in a read-only transaction.");
        if (options.BootApp is { } boot)
        {
            lines.Add(boot.IsHostCommand
                ? $"Would then boot the application on this host: {Secrets.Redact(string.Join(' ', boot.Command!))} (in {Path.GetFullPath(boot.WorkingDirectory ?? Environment.CurrentDirectory)}), " +
                  $"given a scratch Redis '{options.Images.Redis}' and the scratch services' loopback ports; a host command cannot be isolated."
                : $"Would then boot the application image '{boot.Image ?? options.Images.App}' on an internal network gdrill-{options.RunId}-internal with the scratch Postgres " +
                  $"and a scratch Redis '{options.Images.Redis}', asked from inside by a prober from '{boot.ProberImage ?? options.Images.Redis}'.");
            lines.Add($"Would poll /ready for up to {boot.ReadyTimeout.TotalSeconds:0} s" + (boot.EnvFile is null ? "" : $", with the env file {Path.GetFullPath(boot.EnvFile)}") +
                      ", then compare the migration ledger after boot with the one measured before it.");
        }

        lines.Add(options.KeepSandbox ? "Would keep the sandbox for inspection." : "Would remove everything it created at the end.");
        lines.Add($"Would write the report under {Path.GetFullPath(options.ReportsRoot)}");
        return lines;
    }
}
