using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using DotNet.Testcontainers.Networks;
using Gittensory.Drills.Checks;
using Gittensory.Drills.Pipeline;
using Gittensory.Drills.Reporting;
using Gittensory.Drills.Sandbox;

namespace Gittensory.Drills.Boot;

/// <summary>
/// Boots the application on a restored database that has already been measured (boot changes it): the scratch Postgres, or a
/// writable copy of the restored SQLite database; with the drill's one restored Qdrant when there is one. Polls <c>/ready</c>, then
/// measures the ledger again: phases <c>boot-services</c> (scratch Redis, internal network, prober), <c>boot</c> (start to ready)
/// and <c>after-boot</c> (health, stop, logs, ledger), with the checks app.isolation, app.ready, app.health and app.migrations.
/// </summary>
internal sealed class AppBoot
{
    private const string InternalNetworkRole = "internal";
    private const UnixFileMode Writable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
    private readonly DrillOptions options;
    private readonly AppBootOptions boot;
    private readonly LegRecorder leg;
    private readonly DrillSandbox sandbox;
    private readonly IRestoredDatabase database;
    private readonly DatabaseFacts before;
    private readonly AppQdrant? qdrant;
    private readonly BootInputs inputs;
    private AppDatabase? target;
    private string? hostNetworkUnavailable;
    private InternalAddresses? addresses;

    /// <param name="options">The drill's options; <see cref="DrillOptions.BootApp"/> carries <c>QDRANT_URL</c> and <c>QDRANT_DIM</c> in its extra environment when <paramref name="qdrant"/> is given.</param>
    /// <param name="sandbox">The drill's sandbox, which removes what the boot creates.</param>
    /// <param name="database">The restored, measured database the application boots on.</param>
    /// <param name="inputs">What the boot options name on disk, read once by <see cref="Validate"/>.</param>
    /// <param name="qdrant">The drill's restored scratch Qdrant, which joins the application's internal network as <c>qdrant</c> (image form); null = none.</param>
    /// <param name="withoutQdrant">Why the application boots without Qdrant, for the report's notes.</param>
    public AppBoot(DrillOptions options, DrillSandbox sandbox, IRestoredDatabase database, BootInputs inputs, AppQdrant? qdrant = null, string? withoutQdrant = null)
    {
        this.inputs = inputs;
        this.qdrant = qdrant;
        this.options = options;
        boot = options.BootApp ?? throw new ArgumentException("DrillOptions.BootApp is not set.", nameof(options));
        leg = new LegRecorder("app", options.Log);
        this.sandbox = sandbox;
        this.database = database;
        before = database.Facts;
        Report = new AppReport
        {
            Form = boot.IsHostCommand ? "host" : "container",
            Image = boot.IsHostCommand ? null : ImageName,
            Command = boot.IsHostCommand ? Secrets.Redact(string.Join(' ', boot.Command!)) : null,
            WorkingDirectory = boot.IsHostCommand ? Path.GetFullPath(boot.WorkingDirectory ?? System.Environment.CurrentDirectory) : null,
            ReadyTimeoutSeconds = boot.ReadyTimeout.TotalSeconds,
            LedgerBefore = before.Ledger,
            Notes = [
                $"Booted on the restored {database.Store} database ({database.Backup.RelativePath}).",
                .. qdrant is not null
                    ? [$"Given the drill's restored scratch Qdrant (from '{qdrant.Snapshot}', collection '{qdrant.Collection}', vectors of size {qdrant.Dimension}, measured before the boot), " +
                       $"in QDRANT_URL and QDRANT_DIM={qdrant.Dimension}, so /ready must report qdrant=true."]
                    : withoutQdrant is not null ? [withoutQdrant] : Array.Empty<string>(),
            ],
        };
    }

    /// <summary>The boot's checks (app.*), in the order they were made.</summary>
    public IReadOnlyList<CheckResult> Checks => leg.Checks;

    /// <summary>The boot's phases (boot-services, boot, after-boot).</summary>
    public IReadOnlyList<PhaseTiming> Phases => leg.Phases;

    /// <summary>The containers the boot created so far (names), for the sandbox's report.</summary>
    public List<string> Containers { get; } = [];

    /// <summary>What the boot has found so far (kept when the drill stops part-way).</summary>
    public AppReport Report { get; private set; }

    private string ImageName => boot.Image ?? options.Images.App;

    // A host command in the prober's network namespace on the internal network (HostNetworkNamespace), rather than on this host's network.
    private bool Namespaced => boot.IsHostCommand && hostNetworkUnavailable is null;

    /// <summary>
    /// Checks the boot options before anything is created, and reads what they name on disk (the env file, the release's
    /// migrations) once for the whole drill; refuses a bad env file, release migrations, command or timeout.
    /// </summary>
    public static BootInputs Validate(AppBootOptions? boot)
    {
        if (boot is null)
        {
            return BootInputs.None;
        }

        if (boot.ReadyTimeout <= TimeSpan.Zero)
        {
            throw new AppBootRefusedException($"The ready timeout must be positive; it is {boot.ReadyTimeout.TotalSeconds} s.");
        }

        if (boot.Command is { Count: 0 })
        {
            throw new AppBootRefusedException("The application command is empty; give the program and its arguments (-AppCommand 'node dist/server.mjs'), or leave it out to boot the image.");
        }

        if (boot.IsHostCommand && boot.WorkingDirectory is { } folder && !Directory.Exists(folder))
        {
            throw new AppBootRefusedException($"The application's working directory '{folder}' does not exist (-AppWorkingDirectory).");
        }

        return new BootInputs(
            boot.EnvFile is null ? null : Path.GetFileName(boot.EnvFile),
            boot.EnvFile is null ? [] : AppEnvironment.ReadEnvFile(boot.EnvFile),
            boot.ReleaseMigrations is null ? null : ReleaseMigrations.Read(boot.ReleaseMigrations));
    }

    /// <summary>Boots, polls and judges; the checks go to the leg, the facts to <see cref="Report"/>.</summary>
    public async Task RunAsync(CancellationToken ct = default)
    {
        var profile = options.Profile;
        var release = inputs.ReleaseMigrations;
        var recorded = (before.Ledger ?? []).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        Report = Report with
        {
            PendingSource = release is null ? $"profile '{profile.Name}' ({profile.Migrations.Count} migrations)" : $"the release's migrations '{boot.ReleaseMigrations}' ({release.Count})",
            PendingBeforeBoot = [.. (release ?? profile.Migrations).Where(n => !recorded.Contains(n))],
        };

        if (AppMigrationsCheck.RefusalReason(profile, before.Ledger) is { } refusal)
        {
            const string notBooted = "not booted: the restored database has no usable migration ledger (see app.migrations)";
            await options.Log.WriteLineAsync($"Not booting the application: {refusal}");
            leg.Checks.Add(AppIsolationCheck.NotRun(notBooted));
            leg.Checks.Add(AppReadyCheck.NotRun(notBooted));
            leg.Checks.Add(AppHealthCheck.NotRun(notBooted));
            leg.Checks.Add(AppMigrationsCheck.Refused(refusal));
            Report = Report with { NotStartedReason = $"not booted: {refusal}" };
            return;
        }

        hostNetworkUnavailable = boot.IsHostCommand
            ? HostNetworkNamespace.Unavailable(boot.IsolateHostCommand, sandbox.EngineIsRemote, qdrant is { Server.ContainerName: null } ? ["the scratch Qdrant"] : [])
            : null;
        var (redis, isolated, prober) = await leg.TimedAsync("boot-services", async token =>
        {
            target = await database.PrepareForBootAsync(sandbox, boot.IsHostCommand, token);
            return await StartServicesAsync(token);
        }, ct);
        var environment = BuildEnvironment(redis);
        var port = environment.Variables.TryGetValue("PORT", out var p) && int.TryParse(p, out var given) ? given : boot.Port;
        Report = Report with { Environment = environment.Described, NotExercised = environment.NotExercised(), Prober = prober is null ? null : $"{prober.Image} via {prober.Method}" };

        IAppUnderDrill? app = null;
        try
        {
            var watch = new Stopwatch();
            var outcome = await leg.TimedAsync("boot", async token =>
            {
                app = prober is null ? StartHostCommand(environment, port, watch)
                    : boot.IsHostCommand ? await StartInNamespaceAsync(environment, prober, port, watch, token)
                    : await CreateContainerAsync(environment, isolated!, prober, port, token);
                if (app is null)
                {
                    return null;
                }

                if (app is ContainerApp container)
                {
                    if (Report.NotStartedReason is not null)
                    {
                        return null;
                    }

                    Report = Report with { StartedAt = options.Clock.GetUtcNow(), Started = true };
                    watch.Start();
                    await container.StartAsync(token);
                }

                await options.Log.WriteLineAsync($"Polling /ready for up to {boot.ReadyTimeout.TotalSeconds:0} s");
                return await ReadinessPoller.PollAsync(app, watch, boot.ReadyTimeout, environment.Redact, options.Log, token);
            }, ct);

            if (outcome?.Ready is { } ready)
            {
                Report = Report with { ReadyAt = Report.StartedAt?.AddSeconds(ready.AtSeconds), SecondsToReady = ready.AtSeconds };
                await options.Log.WriteLineAsync($"The application is ready: /ready answered 200 {ready.AtSeconds:0.0} s after it started");
            }

            await leg.TimedAsync("after-boot", token => AfterBootAsync(app!, outcome, watch, environment, release, token), ct);
        }
        finally
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }
    }

    private async Task<(ScratchRedis Redis, INetwork? Isolated, ReadyProber? Prober)> StartServicesAsync(CancellationToken ct)
    {
        var redisImage = options.Images.Redis;
        ScratchRedis redis;
        await options.Log.WriteLineAsync($"Starting a scratch Redis '{redisImage}' for the application");
        try
        {
            Containers.Add(sandbox.ContainerName("redis"));
            redis = await ScratchRedis.StartAsync(sandbox, redisImage, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new DrillAbortedException(DrillVerdict.Error,
                $"The scratch Redis from image '{redisImage}' did not start: {e.Message}. Without a registry, build one offline with fixtures/engine/ensure-engine.sh (DRILL_REDIS_IMAGE).");
        }

        if (boot.IsHostCommand && !Namespaced)
        {
            return (redis, null, null);
        }

        // The application's only network: internal, holding the scratch services under the aliases it is given. They keep
        // their place on the drill's own network too, with their loopback ports, for the harness.
        var isolated = await sandbox.CreateNetworkAsync(InternalNetworkRole, isInternal: true, ct);
        if (target!.ContainerId is { } databaseContainer)
        {
            await EngineApi.ConnectAsync(isolated.Name, databaseContainer, [target.Alias ?? "postgres"], ct);
        }

        await EngineApi.ConnectAsync(isolated.Name, redis.Container.Id, ["redis"], ct);
        if (qdrant?.Server.ContainerName is { } qdrantContainer)
        {
            await EngineApi.ConnectAsync(isolated.Name, qdrantContainer, [AppQdrant.Alias], ct);
        }

        var proberImage = boot.ProberImage ?? redisImage;
        try
        {
            Containers.Add(sandbox.ContainerName("prober"));
            var prober = await ReadyProber.StartAsync(sandbox, proberImage, isolated.Name, ct);
            if (Namespaced)
            {
                addresses = await InternalAddresses.ReadAsync(
                    isolated.Name, new[] { target.ContainerId, redis.Container.Id, qdrant?.Server.ContainerName }.OfType<string>(), ct);
            }

            return (redis, isolated, prober);
        }
        catch (AppBootRefusedException e)
        {
            throw new DrillAbortedException(DrillVerdict.Error, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new DrillAbortedException(DrillVerdict.Error, $"The prober container from image '{proberImage}' did not start: {e.Message}.");
        }
    }

    private AppEnvironment BuildEnvironment(ScratchRedis redis)
    {
        var host = boot.IsHostCommand;
        var redisUrl = host ? redis.Url("127.0.0.1", redis.LoopbackPort) : redis.Url("redis", ScratchRedis.Port);
        var database = target!;
        var extra = boot.ExtraEnvironment;
        if (addresses is not null)
        {
            // In the namespace the loopback ports are the prober's, not this host's: each service by its internal address instead.
            redisUrl = addresses.Rewrite(redisUrl);
            database = database with { Variables = database.Variables.ToDictionary(v => v.Key, v => addresses.Rewrite(v.Value), StringComparer.Ordinal) };
            extra = extra.ToDictionary(v => v.Key, v => addresses.Rewrite(v.Value), StringComparer.Ordinal);
        }

        var inherited = host
            ? AppEnvironment.InheritedByHostCommand
                .Select(n => (Name: n, Value: System.Environment.GetEnvironmentVariable(n)))
                .Where(v => v.Value is not null)
                .ToDictionary(v => v.Name, v => v.Value!, StringComparer.Ordinal)
            : null;
        try
        {
            return AppEnvironment.Build(database, redisUrl, redis.Password, host ? FreeLoopbackPort() : null, inputs, extra, inherited);
        }
        catch (AppBootRefusedException e)
        {
            throw new DrillAbortedException(DrillVerdict.Error, e.Message);
        }
    }

    private async Task<ContainerApp> CreateContainerAsync(AppEnvironment environment, INetwork isolated, ReadyProber prober, int port, CancellationToken ct)
    {
        var image = ImageName;
        await options.Log.WriteLineAsync($"Creating the application container from '{image}' on the internal network {isolated.Name}");
        ContainerApp app;
        try
        {
            app = await ContainerApp.CreateAsync(sandbox, image, environment.Variables, target!.Binds, isolated.Name, boot.ExtraNetworks, port, prober, ct);
        }
        catch (ContainerImageMissingException e)
        {
            var message = $"The application image '{image}' is not on this engine ({e.Message}). The drill does not pull it: docker pull it " +
                          "(or docker load a saved copy where there is no registry), or name another with -AppImage / DRILL_APP_IMAGE.";
            throw new DrillAbortedException(DrillVerdict.Error, message,
                CheckResult.Fail(AppReadyCheck.Name, AppReadyCheck.Title, $"the application image '{image}' on this engine", message));
        }

        Containers.Add(app.Name);
        foreach (var copy in target.Copies ?? [])
        {
            // A remote engine cannot mount the writable copy's folder: its files go in before the start (writable by the image's user).
            foreach (var file in Directory.GetFiles(copy.HostFolder))
            {
                await BackupCopy.CopyInAsync(app.Id, file, $"{copy.ContainerFolder}/{Path.GetFileName(file)}", Writable, ct);
            }
        }

        var networks = await app.NetworksAsync(ct);
        Report = Report with { Networks = networks };
        var isolation = AppIsolationCheck.Evaluate(app.Name, networks);
        leg.Checks.Add(isolation);
        if (isolation.Verdict == CheckVerdict.Failed)
        {
            Report = Report with { NotStartedReason = "not started: its container is attached to a network that is not internal (see app.isolation)" };
            await options.Log.WriteLineAsync($"Not starting the application: {isolation.Found}");
        }

        return app;
    }

    private async Task<IAppUnderDrill?> StartInNamespaceAsync(AppEnvironment environment, ReadyProber prober, int port, Stopwatch watch, CancellationToken ct)
    {
        var networks = await ContainerApp.NetworksOfAsync(prober.ContainerId, ct);
        Report = Report with { Networks = networks };
        var isolation = AppIsolationCheck.HostCommandInNamespace(Report.Command!, prober.Name, networks);
        leg.Checks.Add(isolation);
        if (isolation.Verdict == CheckVerdict.Failed)
        {
            Report = Report with { NotStartedReason = "not started: the container whose network namespace it would share is attached to a network that is not internal (see app.isolation)" };
            await options.Log.WriteLineAsync($"Not starting the application: {isolation.Found}");
            return null;
        }

        var pid = await EngineApi.ContainerPidAsync(prober.ContainerId, ct);
        if (pid <= 0)
        {
            throw new DrillAbortedException(DrillVerdict.Error, $"The prober container {prober.Name} is not running, so the host command has no network namespace to run in.");
        }

        var command = HostNetworkNamespace.Wrap(boot.Command!, pid);
        return new NamespacedHostApp(StartHostCommand(environment, port, watch, command), prober, port);
    }

    private HostCommandApp StartHostCommand(AppEnvironment environment, int port, Stopwatch watch, IReadOnlyList<string>? wrapped = null)
    {
        if (wrapped is null)
        {
            var inherited = environment.Described.Where(v => v.Source.StartsWith("host:", StringComparison.Ordinal)).Select(v => v.Name);
            leg.Checks.Add(AppIsolationCheck.HostCommand(Report.Command!, hostNetworkUnavailable ?? "", inherited));
        }

        options.Log.WriteLine($"Starting the application on this host: {Report.Command} (in {Report.WorkingDirectory}), port {port}{(wrapped is null ? "" : ", in the prober's network namespace")}");
        Report = Report with { StartedAt = options.Clock.GetUtcNow(), Started = true };
        watch.Start();
        try
        {
            return HostCommandApp.Start(wrapped ?? boot.Command!, boot.WorkingDirectory, environment.Variables, port);
        }
        catch (AppBootRefusedException e)
        {
            throw new DrillAbortedException(DrillVerdict.Error, e.Message, CheckResult.Fail(AppReadyCheck.Name, AppReadyCheck.Title, "the application command starts", e.Message));
        }
    }

    private async Task AfterBootAsync(IAppUnderDrill app, ReadinessOutcome? outcome, Stopwatch watch, AppEnvironment environment, IReadOnlyList<string>? release, CancellationToken ct)
    {
        if (outcome is null)
        {
            var notStarted = Report.NotStartedReason ?? "not started (see app.isolation)";
            leg.Checks.Add(AppReadyCheck.NotRun(notStarted));
            leg.Checks.Add(AppHealthCheck.NotRun(notStarted));
            leg.Checks.Add(AppMigrationsCheck.NotRun(notStarted));
            return;
        }

        var exitCode = outcome.ExitCode ?? await app.ExitCodeAsync(ct);
        AppAnswer? health = null;
        var notes = new List<string>(Report.Notes);
        if (exitCode is null)
        {
            health = ReadinessPoller.ToAnswer("/health", watch.Elapsed.TotalSeconds, await app.GetAsync("/health", ct), environment.Redact);
            if (sandbox.Keep && app is ContainerApp kept)
            {
                notes.Add($"The application container {kept.Name} was kept running for inspection (-KeepSandbox).");
            }
            else
            {
                await app.StopAsync(ct);
            }
        }

        var logs = (await app.LogTailAsync(boot.LogLines, ct)).Select(environment.Redact).ToList();
        if (app is HostCommandApp && sandbox.Keep)
        {
            notes.Add("The host command was stopped: -KeepSandbox keeps containers only.");
        }

        if (app is ContainerApp copiedInto)
        {
            // ... and come back after the stop, so the ledger after boot is read from what the application wrote.
            foreach (var copy in target!.Copies ?? [])
            {
                await BackupCopy.CopyOutAsync(copiedInto.Id, copy.ContainerFolder, copy.HostFolder, ct);
            }
        }

        var after = await database.MeasureAfterBootAsync(ct);

        var recorded = (before.Ledger ?? []).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        Report = Report with
        {
            Answers = outcome.Answers,
            Health = health,
            Exited = exitCode is not null,
            ExitCode = exitCode,
            LogTail = logs,
            LedgerAfter = after.Ledger,
            AppliedAtBoot = [.. (after.Ledger ?? []).Select(r => r.Name).Where(n => !recorded.Contains(n)).Distinct(StringComparer.Ordinal)],
            TablesChangedByBoot = TableChanges(before, after),
            Notes = notes,
        };

        leg.Checks.Add(AppReadyCheck.Evaluate(outcome, environment.ExpectedReadyChecks(), logs));
        leg.Checks.Add(health is null
            ? AppHealthCheck.NotRun($"the application had exited (code {exitCode}) before /health could be asked; see app.ready")
            : AppHealthCheck.Evaluate(health));
        leg.Checks.Add(AppMigrationsCheck.Evaluate(options.Profile, before.Ledger!, after.Ledger, release, bootFinished: outcome.Ready is not null));
    }

    private static List<TableChange> TableChanges(DatabaseFacts before, DatabaseFacts after)
    {
        var old = before.Tables.ToDictionary(t => t.Key, t => t.Rows);
        var now = after.Tables.ToDictionary(t => t.Key, t => t.Rows);
        return [.. old.Keys.Union(now.Keys).Order()
            .Select(n => new TableChange(n.ToString(), old.TryGetValue(n, out var b) ? b : null, now.TryGetValue(n, out var a) ? a : null))
            .Where(c => c.RowsBefore != c.RowsAfter)];
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
