using Gittensory.Drills.Backups;
using Gittensory.Drills.Boot;
using Gittensory.Drills.Sandbox;
using Gittensory.Drills.Stores.Postgres;

namespace Gittensory.Drills.Pipeline;

/// <summary>What a drill would do, worked out without touching anything: no container, no report, no write (for <c>-WhatIf</c>).</summary>
public static class DrillPlan
{
    /// <summary>Describes the drill <paramref name="options"/> would run, as lines for a person.</summary>
    public static async Task<IReadOnlyList<string>> DescribeAsync(DrillOptions options, CancellationToken ct = default)
    {
        var lines = new List<string> { $"Backups root: {Path.GetFullPath(options.BackupRoot)}" + (options.BundledSample ? " (the bundled sample set)" : "") };
        BackupSet set;
        try
        {
            AppBoot.Validate(options.BootApp);
            set = await BackupSetScan.ScanAsync(DrillPipeline.ScanOptions(options), ct);
        }
        catch (Exception e) when (e is BackupRejectedException or AppBootRefusedException)
        {
            lines.Add($"Would stop: {e.Message}");
            return lines;
        }

        var stores = DrillPipeline.StoresToDrill(options, set);
        lines.Add("Would first judge the backup set from names and sizes: each folder's count against the manifest's retain, the age of its newest backup, " +
                  "the manifest against the disk, and files that do not belong.");
        foreach (var store in Enum.GetValues<BackupStore>().Where(stores.Contains))
        {
            BackupSelection? selection = null;
            try
            {
                selection = set.Require(store);
                lines.Add($"Would drill: {selection.Backup.RelativePath} ({selection.Backup.Bytes:N0} bytes, taken {selection.Backup.Timestamp?.ToString("u") ?? "?"}), chosen by {selection.SelectedBy}");
                lines.Add($"Manifest: {selection.ManifestCheck.Verdict}: {selection.ManifestCheck.Found}");
                lines.AddRange(selection.Notes);
            }
            catch (BackupRejectedException e)
            {
                lines.Add($"Would stop the {BackupFinder.FolderOf(store)} leg: {e.Message}");
            }

            if (store == BackupStore.Postgres)
            {
                var engine = await ContainerEngine.ProbeAsync(ct: ct);
                lines.Add(engine.Answers ? $"Container engine: {engine.Version} (API {engine.ApiVersion})" : $"Container engine: none ({engine.Problem})");
                lines.Add(await PostgresImagePreflight.DescribeChoiceAsync(options, selection?.Backup, ct));
                lines.Add($"Would read the archive offline, then start that scratch Postgres on its own network gdrill-{options.RunId}, with the backup mounted " +
                          "read-only, check it offers the extensions the archive creates, and restore into it with pg_restore.");
                lines.Add(options.LiveDatabaseUrl is null
                    ? "No live database: no comparison."
                    : $"Would fingerprint the live database {Secrets.Redact(options.LiveDatabaseUrl)} and only read it, in a read-only transaction.");
            }
            else if (store == BackupStore.Sqlite)
            {
                var scratch = Path.Combine(Path.GetFullPath(options.TempRoot ?? Path.GetTempPath()), $"{DrillSandbox.NamePrefix}-{options.RunId}-sqlite");
                lines.Add($"Would expand the SQLite backup into {scratch} (at most {options.MaxExpansionRatio:0.##} times its size, and no more than the free space there), " +
                          "checking each gzip member's CRC-32 and length, then open the copy read-only for PRAGMA integrity_check, foreign_key_check and the " +
                          "profile's checks. No container is needed; nothing is written beside the backup.");
            }
            else
            {
                lines.Add($"Would verify the snapshot offline (tar structure, config.json, vector size and distance, its .checksum), then restore it into a " +
                          $"scratch Qdrant from '{options.Images.Qdrant}' and compare its points with the restored repo_chunks rows.");
            }
        }

        lines.AddRange(await ImagePreflight.DescribeAsync(options, stores, ct));
        if (options.BootApp is { } boot)
        {
            var databases = new[] { BackupStore.Postgres, BackupStore.Sqlite }.Where(stores.Contains).ToList();
            var on = options.BootStore is { } wanted
                ? (databases.Contains(wanted) ? wanted : (BackupStore?)null)
                : DrillPipeline.PreferredDatabase(options.Profile, databases);
            var database = on switch
            {
                BackupStore.Postgres => "the scratch Postgres (DATABASE_URL)",
                BackupStore.Sqlite => "a writable copy of the restored SQLite database (DATABASE_PATH; mounted at /data for an image), never the backup or the measured copy",
                _ => null,
            };
            if (database is null)
            {
                lines.Add("Would stop (exit 2): -BootApp needs a restored database to boot on" +
                          (options.BootStore is { } asked ? $", and this drill restores no {asked} backup (-BootStore)." : ", and this drill restores neither a Postgres dump nor a SQLite backup."));
            }
            else
            {
                lines.Add(boot.IsHostCommand
                    ? $"Would then boot the application on this host on {database}: {Secrets.Redact(string.Join(' ', boot.Command!))} (in {Path.GetFullPath(boot.WorkingDirectory ?? Environment.CurrentDirectory)}), " +
                      $"given a scratch Redis '{options.Images.Redis}'" + (HostNetworkNamespace.Unavailable(boot.IsolateHostCommand, EngineLocation.Decide(
                          Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix:///var/run/docker.sock", options.EngineIsRemote).IsRemote, []) is { } why
                          ? $" and the scratch services' loopback ports, on this host's own network (not isolated: {why})."
                          : $", in the network namespace of a prober on an internal network gdrill-{options.RunId}-internal, where it reaches only the scratch services.")
                    : $"Would then boot the application image '{boot.Image ?? options.Images.App}' on {database}, on an internal network gdrill-{options.RunId}-internal " +
                      $"with a scratch Redis '{options.Images.Redis}'{(stores.Contains(BackupStore.Qdrant) ? " and the drill's one restored Qdrant" : "")}, asked from inside by a prober from '{boot.ProberImage ?? options.Images.Redis}'.");
                lines.Add($"Would poll /ready for up to {boot.ReadyTimeout.TotalSeconds:0} s" + (boot.EnvFile is null ? "" : $", with the env file {Path.GetFullPath(boot.EnvFile)}") +
                          ", then compare the migration ledger after boot with the one measured before it.");
            }
        }

        lines.Add(Window.WindowPlan.Describe(options, set, stores));
        lines.Add(options.KeepSandbox ? "Would keep the sandbox for inspection." : "Would remove everything it created at the end.");
        lines.Add($"Would write the report under {Path.GetFullPath(options.ReportsRoot)}");
        return lines;
    }
}
