using System.Text;
using Gittensory.Drills.Checks;

namespace Gittensory.Drills.Reporting;

/// <summary>Renders a drill report as Markdown that reads well in a terminal and as a CI job summary.</summary>
public static class MarkdownReport
{
    /// <summary>The report as Markdown, with what changed since the previous drill (<paramref name="change"/>; null: the first drill of its backups root).</summary>
    public static string Render(DrillReport report, DrillChange? change = null)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Restore drill {Word(report.Verdict)}");
        md.AppendLine();
        md.AppendLine($"- Run {Code(report.RunId)}, profile {Code(report.Profile)}, started {report.StartedAt:u}, took {(report.FinishedAt - report.StartedAt).TotalSeconds:0.0} s, exit code {report.ExitCode}.");
        if (report.Engine is { } engine)
        {
            md.AppendLine($"- Container engine: {Cell(engine)}.");
        }

        md.AppendLine($"- Backups root: {Code(report.BackupRoot)}");
        md.AppendLine($"- Restore point: {Cell(report.RestorePoint)}.");
        if (report.RecoveryTimeSeconds is { } recovery)
        {
            md.AppendLine($"- Full recovery time: {recovery:0.0} s from the drill's start to the booted application's first 200 from /ready.");
        }

        foreach (var leg in report.Legs)
        {
            md.AppendLine($"- Leg {Cell(leg.Store)}: {(leg.Ran ? $"ran, {Word(leg.Verdict)}" : "did not run")} ({Cell(leg.Reason)})");
        }

        if (report.Problem is not null)
        {
            md.AppendLine();
            md.AppendLine($"> **Why:** {Cell(report.Problem)}");
        }

        md.Append(ChangeMarkdown.Render(change));
        md.Append(RenderBody(report));
        return md.ToString();
    }

    /// <summary>The checks of the set and each store's section, without the heading and summary (the HTML report renders these).</summary>
    public static string RenderBody(DrillReport report)
    {
        var md = new StringBuilder();
        AppendChecks(md, "Backup set", report.SetChecks);
        WindowMarkdown.Append(md, report.Window);
        foreach (var leg in report.Legs.Where(l => l.Ran || l.Checks.Count > 0))
        {
            AppendLeg(md, leg);
        }

        return md.ToString();
    }

    private static string Word(DrillVerdict verdict) => verdict switch
    {
        DrillVerdict.Passed => "PASSED",
        DrillVerdict.Failed => "FAILED",
        DrillVerdict.Cancelled => "CANCELLED",
        _ => "COULD NOT RUN",
    };

    private static void AppendLeg(StringBuilder md, LegReport leg)
    {
        md.AppendLine();
        md.AppendLine($"## {Cell(leg.Store)}: {Word(leg.Verdict)}");
        md.AppendLine();
        if (leg.Backup is { } backup)
        {
            md.AppendLine($"- Backup: {Code(backup.File)}, {backup.Bytes:N0} bytes, taken {(backup.Timestamp is { } ts ? ts.ToString("u") : "(no time stamp in its name)")}, chosen by {Cell(backup.SelectedBy)}.");
            md.AppendLine($"- SHA-256: {Code(backup.Sha256 ?? "not computed")}");
        }

        if (leg.RecoveryPointMinutes is { } rpo)
        {
            md.AppendLine($"- Recovery point: {rpo:0} minutes before the backup's time stamp.");
        }

        foreach (var (role, image) in leg.Images)
        {
            md.AppendLine($"- Image ({Cell(role)}): {Code(image)}");
        }

        foreach (var note in leg.Backup?.Notes.Concat(leg.Notes) ?? leg.Notes)
        {
            md.AppendLine($"- Note: {Cell(note)}");
        }

        if (leg.Problem is not null)
        {
            md.AppendLine();
            md.AppendLine($"> **Why:** {Cell(leg.Problem)}");
        }

        AppendChecks(md, "Checks", leg.Checks);
        AppendPhases(md, leg.Phases);
        if (leg.App is { } app)
        {
            AppendApp(md, app);
        }

        AppendTables(md, leg.Tables);
        if (leg.Archive is { } archive)
        {
            md.AppendLine();
            md.AppendLine("### Archive");
            md.AppendLine();
            md.AppendLine($"{archive.Format} archive {archive.ArchiveVersion}, compression {archive.Compression}, created {archive.CreatedAt:u}, database {Code(archive.Database)}, dumped from PostgreSQL {Cell(archive.DumpedFrom)} by pg_dump {Cell(archive.DumpedBy)}.");
            md.AppendLine();
            md.AppendLine("Entries: " + string.Join(", ", archive.Entries.OrderByDescending(e => e.Value).Select(e => $"{Cell(e.Key)} {e.Value}")));
        }

        if (leg.Qdrant is { } qdrant)
        {
            AppendQdrant(md, qdrant);
        }

        if (leg.Restore is { StderrTail.Count: > 0 } restore)
        {
            md.AppendLine();
            md.AppendLine("### pg_restore's last lines");
            md.AppendLine();
            var fence = MarkdownText.BlockFence(restore.StderrTail);
            md.AppendLine(fence);
            foreach (var line in restore.StderrTail)
            {
                md.AppendLine(MarkdownText.BlockLine(line));
            }

            md.AppendLine(fence);
        }

        if (leg.Sandbox is { } sandbox)
        {
            md.AppendLine();
            md.AppendLine($"Sandbox: network {Code(sandbox.Network)}, containers {string.Join(", ", sandbox.Containers.Select(Code))}, " +
                          (sandbox.Kept ? $"**kept for inspection** ({Code($"docker exec -it {sandbox.Containers.FirstOrDefault()} psql -U drill drill_restore")}); remove with `docker rm -f` when done." : "removed."));
        }
    }

    private static void AppendQdrant(StringBuilder md, QdrantLegReport qdrant)
    {
        md.AppendLine();
        md.AppendLine("### Qdrant");
        md.AppendLine();
        md.AppendLine($"{(qdrant.Kind == "Full" ? "Full-storage" : "Collection")} snapshot, {qdrant.Members:N0} tar members ({qdrant.SparseMembers:N0} GNU sparse), read offline to the end.");
        md.AppendLine();
        md.AppendLine("| Collection in the snapshot | Vector size | Distance | Shards | Segments | Bytes |");
        md.AppendLine("|---|---:|---|---:|---:|---:|");
        foreach (var c in qdrant.SnapshotCollections)
        {
            md.AppendLine($"| {Cell(c.Name)} | {c.VectorSize?.ToString() ?? "named vectors"} | {Cell(c.Distance ?? "-")} | {c.Shards} | {c.Segments} | {c.Bytes:N0} |");
        }

        md.AppendLine();
        if (qdrant.DumpFile is not null)
        {
            md.AppendLine($"- Paired with {Code(qdrant.DumpFile)}: " + (qdrant.SkewMinutes is { } skew ? $"the snapshot is {Math.Abs(skew):0.#} minutes {(skew >= 0 ? "after" : "before")} the dump (the stores' recovery points differ by that much)." : "no time stamp to compare."));
        }

        if (qdrant.Collection is not null)
        {
            md.AppendLine($"- Restored collection {Code(qdrant.Collection)}: {Cell(qdrant.Status)}, {qdrant.Points?.ToString("N0") ?? "?"} points" +
                          (qdrant.ChunkRows is { } rows ? $", {rows:N0} rows in the restored chunk table; {qdrant.Orphans} of {qdrant.Sampled} sampled points without a row." : "; no restored rows to compare with."));
        }

        if (qdrant.Dimension is { } dimension)
        {
            md.AppendLine($"- To boot the application against it: QDRANT_DIM={dimension}" + (qdrant.NetworkUrl is { } url ? $", QDRANT_URL={Code(url)} on the drill network." : "."));
        }
    }

    private static void AppendApp(StringBuilder md, AppReport app)
    {
        md.AppendLine();
        md.AppendLine("### Application boot");
        md.AppendLine();
        md.AppendLine(app.Form == "host"
            ? app.Networks.Count > 0
                ? $"- Host command {Code(app.Command)} in {Code(app.WorkingDirectory)}, in the network namespace of a container on {string.Join(", ", app.Networks.Select(n => $"{Code(n.Name)} (Internal={(n.Internal ? "true" : "false")})"))}; asked from inside by {Cell(app.Prober)}."
                : $"- Host command {Code(app.Command)} in {Code(app.WorkingDirectory)} (not isolated: a host process on this host's network)."
            : $"- Image {Code(app.Image)} on {string.Join(", ", app.Networks.Select(n => $"{Code(n.Name)} (Internal={(n.Internal ? "true" : "false")})"))}; asked from inside by {Cell(app.Prober)}.");
        if (app.NotStartedReason is not null)
        {
            md.AppendLine($"- **{Cell(app.NotStartedReason)}**");
        }
        else if (app.SecondsToReady is { } toReady)
        {
            md.AppendLine($"- Ready: /ready answered 200 {toReady:0.00} s after the start ({app.Answers.Count} requests, timeout {app.ReadyTimeoutSeconds:0} s).");
        }
        else if (app.Started)
        {
            var last = app.Answers.Count > 0 ? app.Answers[^1] : null;
            md.AppendLine($"- **Not ready**: {(app.Exited ? $"exited with code {app.ExitCode}" : $"still not ready after {app.ReadyTimeoutSeconds:0} s")}; last answer: {(last is null ? "none" : $"{Cell(last.Describe())} at {last.AtSeconds:0.0} s")}.");
        }

        if (app.Health is { } health)
        {
            md.AppendLine($"- /health: {Cell(health.Describe())}");
        }

        if (app.Environment.Count > 0)
        {
            md.AppendLine($"- Environment (names only): {string.Join(", ", app.Environment.Select(v => $"{Code(v.Name)} ({Cell(v.Source)})"))}.");
        }

        foreach (var gate in app.NotExercised)
        {
            md.AppendLine($"- Not exercised: {Cell(gate)}");
        }

        md.AppendLine($"- Migrations pending before boot per {Cell(app.PendingSource)}: {(app.PendingBeforeBoot.Count == 0 ? "none" : $"{app.PendingBeforeBoot.Count} ({Names(app.PendingBeforeBoot)})")}; " +
                      $"applied at boot: {(app.AppliedAtBoot.Count == 0 ? "none" : $"{app.AppliedAtBoot.Count} ({Names(app.AppliedAtBoot)})")}; " +
                      $"ledger rows before {app.LedgerBefore?.Count.ToString() ?? "(no ledger)"}, after {app.LedgerAfter?.Count.ToString() ?? "(not measured)"}.");
        if (app.TablesChangedByBoot.Count > 0)
        {
            md.AppendLine($"- Rows the boot changed (the restored counts above were measured before it): {string.Join(", ", app.TablesChangedByBoot.Select(t => $"{Cell(t.Name)} {t.RowsBefore?.ToString("N0") ?? "(none)"} -> {t.RowsAfter?.ToString("N0") ?? "(gone)"}"))}.");
        }

        foreach (var note in app.Notes)
        {
            md.AppendLine($"- Note: {Cell(note)}");
        }

        if (app.Answers.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("| /ready at (s) | Status | ok | Checks | Answer |");
            md.AppendLine("|---:|---|---|---|---|");
            var shown = app.Answers.Count <= 20 ? app.Answers : [.. app.Answers.Take(10), .. app.Answers.TakeLast(10)];
            foreach (var answer in shown)
            {
                var checks = answer.Checks is null ? "" : string.Join(", ", answer.Checks.Select(c => $"{c.Key}={(c.Value ? "true" : "false")}"));
                md.AppendLine($"| {answer.AtSeconds:0.00} | {answer.Status?.ToString() ?? "-"} | {answer.Ok?.ToString().ToLowerInvariant() ?? "-"} | {Cell(checks)} | {Cell(answer.Status is null ? answer.Error ?? "" : answer.Body ?? "")} |");
            }

            if (app.Answers.Count > 20)
            {
                md.AppendLine($"| ... | | | | {app.Answers.Count - 20} more in report.json |");
            }
        }

        if (app.LogTail.Count > 0 && (app.SecondsToReady is null || app.Exited))
        {
            md.AppendLine();
            md.AppendLine($"#### The application's last {app.LogTail.Count} log lines (secrets redacted)");
            md.AppendLine();
            var fence = MarkdownText.BlockFence(app.LogTail);
            md.AppendLine(fence);
            foreach (var line in app.LogTail)
            {
                md.AppendLine(MarkdownText.BlockLine(line));
            }

            md.AppendLine(fence);
        }
    }

    private static string Names(IReadOnlyList<string> names) =>
        string.Join(", ", names.Take(10).Select(Cell)) + (names.Count > 10 ? $", ... {names.Count - 10} more" : "");

    private static void AppendChecks(StringBuilder md, string heading, IReadOnlyList<CheckResult> checks)
    {
        if (checks.Count == 0)
        {
            return;
        }

        md.AppendLine();
        md.AppendLine($"### {heading} ({checks.Count(c => c.Verdict == CheckVerdict.Passed)} passed, {checks.Count(c => c.Verdict == CheckVerdict.Failed)} failed, " +
                      $"{checks.Count(c => c.Verdict == CheckVerdict.Warning)} warnings, {checks.Count(c => c.Verdict == CheckVerdict.NotApplicable)} not applicable)");
        md.AppendLine();
        md.AppendLine("| Verdict | Check | Expected | Found |");
        md.AppendLine("|---|---|---|---|");
        foreach (var check in checks)
        {
            var mark = check.Verdict switch
            {
                CheckVerdict.Passed => "PASS",
                CheckVerdict.Failed => "**FAIL**",
                CheckVerdict.Warning => "WARN",
                _ => "n/a",
            };
            md.AppendLine($"| {mark} | {Cell(check.Title)} ({Code(check.Name)}) | {Cell(check.Expected)} | {Cell(check.Found)} |");
        }

        foreach (var check in checks.Where(c => c.Verdict is CheckVerdict.Failed or CheckVerdict.Warning && c.Details.Count > 0))
        {
            md.AppendLine();
            md.AppendLine($"**{Cell(check.Name)}**:");
            foreach (var detail in check.Details.Take(50))
            {
                md.AppendLine($"- {Cell(detail)}");
            }

            if (check.Details.Count > 50)
            {
                md.AppendLine($"- ... and {check.Details.Count - 50} more (see report.json)");
            }
        }
    }

    private static void AppendPhases(StringBuilder md, IReadOnlyList<PhaseTiming> phases)
    {
        if (phases.Count == 0)
        {
            return;
        }

        md.AppendLine();
        md.AppendLine("### Phases");
        md.AppendLine();
        md.AppendLine("| Phase | Seconds | |");
        md.AppendLine("|---|---:|---|");
        foreach (var phase in phases)
        {
            md.AppendLine($"| {Cell(phase.Name)} | {phase.Seconds:0.00} | {(phase.Completed ? "" : "did not complete")} |");
        }
    }

    private static void AppendTables(StringBuilder md, IReadOnlyList<TableReport> tables)
    {
        if (tables.Count == 0)
        {
            return;
        }

        md.AppendLine();
        md.AppendLine($"### Tables ({tables.Count} tables, {tables.Sum(t => t.RestoredRows ?? 0):N0} rows restored)");
        md.AppendLine();
        md.AppendLine("| Table | Rows in backup | Rows restored |");
        md.AppendLine("|---|---:|---:|");
        foreach (var table in tables)
        {
            var flag = table.ArchivedRows != table.RestoredRows ? " **differs**" : "";
            md.AppendLine($"| {Cell(table.Name)} | {table.ArchivedRows?.ToString("N0") ?? "-"} | {table.RestoredRows?.ToString("N0") ?? "-"}{flag} |");
        }
    }

    // Text from data, escaped for a table cell or a line (MarkdownText.Inline); a name or value shown as code (MarkdownText.Code).
    private static string Cell(string? text) => MarkdownText.Inline(text);

    private static string Code(string? text) => MarkdownText.Code(text);
}
