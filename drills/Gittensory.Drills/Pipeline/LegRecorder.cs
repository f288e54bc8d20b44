using System.Diagnostics;
using Gittensory.Drills.Backups;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Sandbox;

namespace Gittensory.Drills.Pipeline;

/// <summary>What a leg has found so far: its checks, timed phases, images and notes, and the verdict they add up to.</summary>
internal sealed class LegRecorder(string store, TextWriter log)
{
    public string Store { get; } = store;

    public TextWriter Log { get; } = log;

    public List<CheckResult> Checks { get; } = [];

    public List<PhaseTiming> Phases { get; } = [];

    public Dictionary<string, string> Images { get; } = [];

    public List<string> Notes { get; } = [];

    public DrillVerdict? StoppedWith { get; private set; }

    /// <summary>The application booted on this store's restored database, when it was.</summary>
    public AppReport? App { get; set; }

    public string? Problem { get; private set; }

    /// <summary>Adds a check made by a later stage of the drill (cross-store, boot), and recomputes the leg's problem when it failed.</summary>
    public void Add(CheckResult check)
    {
        Checks.Add(check);
        if (StoppedWith is null && check.Verdict == CheckVerdict.Failed)
        {
            Problem ??= $"{check.Title}: {check.Found}";
        }
    }

    /// <summary>Runs the leg's body, turning an abort, a cancellation or an unexpected exception into a verdict with its reason.</summary>
    public async Task RunAsync(Func<CancellationToken, Task> body, CancellationToken ct)
    {
        try
        {
            await body(ct);
        }
        catch (DrillAbortedException e)
        {
            (StoppedWith, Problem) = (e.Verdict, e.Message);
            if (e.Check is not null)
            {
                Checks.RemoveAll(c => c.Name == e.Check.Name);
                Checks.Add(e.Check);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            (StoppedWith, Problem) = (DrillVerdict.Cancelled, "The drill was cancelled before this leg finished.");
        }
        catch (OperationCanceledException e)
        {
            // Not the drill's own cancellation: a call's own timeout fired (an engine that stopped answering, most often).
            (StoppedWith, Problem) = (DrillVerdict.Error, EngineStall.LegMessage(Store, e));
            await Log.WriteLineAsync($"{Store}: {Secrets.Redact(e.ToString())}");
        }
        catch (Exception e)
        {
            (StoppedWith, Problem) = (DrillVerdict.Error, $"The {Store} leg stopped on an unexpected {e.GetType().Name}: {Secrets.Redact(e.Message)}");
            await Log.WriteLineAsync($"{Store}: {Secrets.Redact(e.ToString())}");
        }

        if (StoppedWith is null && Checks.FirstOrDefault(c => c.Verdict == CheckVerdict.Failed) is { } failed)
        {
            Problem = $"{failed.Title}: {failed.Found}";
        }

        await Log.WriteLineAsync($"{Store} leg {Verdict}" + (Problem is null ? "" : $": {Problem}"));
    }

    /// <summary>The leg's verdict: how it stopped, else failed when any check failed, else passed.</summary>
    public DrillVerdict Verdict => StoppedWith ?? (Checks.Any(c => c.Verdict == CheckVerdict.Failed) ? DrillVerdict.Failed : DrillVerdict.Passed);

    /// <summary>The parts of the leg's report every leg has; each leg adds its own with <c>with</c>.</summary>
    public LegReport Report(BackupSelection? selection, string? sha256) => new()
    {
        Store = Store,
        Ran = selection is not null,
        Reason = selection is null ? Problem ?? $"no {Store} backup" : $"{selection.Backup.RelativePath}, chosen by {selection.SelectedBy}",
        Verdict = Verdict,
        Problem = Problem,
        Backup = selection is null ? null : new BackupReport(
            selection.Backup.RelativePath, selection.Backup.Bytes, sha256, selection.Backup.Timestamp, selection.SelectedBy, [.. selection.Notes]),
        Images = Images,
        Phases = Phases,
        Checks = Checks,
        Notes = Notes,
        App = App,
    };

    /// <summary>Runs one phase and records its duration, also when it fails.</summary>
    public async Task<T> TimedAsync<T>(string name, Func<CancellationToken, Task<T>> phase, CancellationToken ct)
    {
        // Listed in the order the phases start (some run side by side), each filled in when it ends.
        int slot;
        var start = PhaseClock.Now;
        lock (Phases)
        {
            slot = Phases.Count;
            Phases.Add(new PhaseTiming(name, 0, false, start));
        }

        var watch = Stopwatch.StartNew();
        var completed = false;
        try
        {
            var result = await phase(ct);
            completed = true;
            return result;
        }
        finally
        {
            lock (Phases)
            {
                Phases[slot] = new PhaseTiming(name, Math.Round(watch.Elapsed.TotalSeconds, 3), completed, start);
            }
        }
    }

    /// <summary>Runs one phase that returns nothing and records its duration.</summary>
    public Task TimedAsync(string name, Func<CancellationToken, Task> phase, CancellationToken ct) =>
        TimedAsync(name, async token =>
        {
            await phase(token);
            return true;
        }, ct);
}
