using Gittensory.Drills.Reporting;
using Gittensory.Drills.Sandbox;

namespace Gittensory.Drills.Pipeline;

/// <summary>
/// The drill's one sandbox, created by the pipeline while the stores read their backups offline: a store awaits it only when it
/// needs a container, and every store of the drill gets the same network. A drill that needs no container never asks the engine.
/// </summary>
internal sealed class SandboxLease
{
    private Task<DrillSandbox>? creating;

    /// <summary>A lease for a drill that starts no container (SQLite only, no boot).</summary>
    public static SandboxLease None { get; } = new();

    /// <summary>The engine's version line, once the engine answered.</summary>
    public string? EngineVersion { get; private set; }

    /// <summary>Where the engine runs, once it answered (null before).</summary>
    public EngineLocation? Location { get; private set; }

    /// <summary>The report's line about the engine's place and how backups reach the containers, once it answered.</summary>
    public string? EngineNote => Location is null ? null
        : Location.IsRemote ? $"engine is remote: backups copied into the containers ({Location.Reason})"
        : $"engine is local: backups bind-mounted read-only ({Location.Reason})";

    /// <summary>Starts creating the sandbox (engine probe, then the drill's network) without waiting for it.</summary>
    public static SandboxLease Start(string runId, bool keep, bool? engineIsRemote, TextWriter log, CancellationToken ct)
    {
        // The lease exists before its work starts: the probe is cached, so the work may run to its first await at once.
        var lease = new SandboxLease();
        lease.creating = Task.Run(async () =>
        {
            var engine = await ContainerEngine.PrepareAsync(ct);
            if (!engine.Answers)
            {
                throw new DrillAbortedException(DrillVerdict.Error, engine.Problem!);
            }

            lease.EngineVersion = $"{engine.Version} (API {engine.ApiVersion})";
            lease.Location = EngineLocation.Decide(engine.Endpoint, engineIsRemote);

            // Bounded: an engine that answered /version may still hang on every later call (Testcontainers waits 100 s per call).
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
            bound.CancelAfter(EngineStall.NetworkTimeout);
            DrillSandbox sandbox;
            try
            {
                sandbox = await DrillSandbox.CreateAsync(runId, keep, lease.Location, bound.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new DrillAbortedException(DrillVerdict.Error, EngineStall.Message($"creating the drill's network '{DrillSandbox.NamePrefix}-{runId}'", EngineStall.NetworkTimeout));
            }

            await log.WriteLineAsync($"Sandbox: network {sandbox.Network.Name} on engine {lease.EngineVersion}; {lease.EngineNote}");
            return sandbox;
        }, ct);
        return lease;
    }

    /// <summary>The sandbox, once created; throws the engine's problem as a "could not run" abort when there is none.</summary>
    public async Task<DrillSandbox> GetAsync(CancellationToken ct = default)
    {
        if (creating is null)
        {
            throw new InvalidOperationException("This drill was planned without containers, yet a store asked for one.");
        }

        return await creating.WaitAsync(ct);
    }

    /// <summary>The sandbox when it was created, else null (no engine, not needed, or still failing); never throws.</summary>
    public async Task<DrillSandbox?> CreatedAsync()
    {
        if (creating is null)
        {
            return null;
        }

        try
        {
            return await creating;
        }
        catch (Exception)
        {
            // Its failure is each store's to report (GetAsync rethrows it); teardown only needs to know there is nothing to remove.
            return null;
        }
    }
}
