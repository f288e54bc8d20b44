#Requires -Version 7.2

<#
.SYNOPSIS
    Restores the newest LoopOver (Gittensory) backups somewhere throwaway and proves them whole, with a dated report.

.DESCRIPTION
    First judges the backup set as a whole, from names and sizes only: how many backups each folder keeps against the
    manifest's retain, the age of each folder's newest backup, whether manifest.json agrees with the disk and names the
    newest run, whether every folder has a backup of the newest run, and which files do not belong.

    Then drills each store (a "leg"), choosing its newest backup from manifest.json when it agrees with the disk,
    otherwise by the time stamp in the file names:
    - Postgres: reads the archive offline, restores it with pg_restore into a scratch Postgres container that the drill
      creates on a network of its own (the backup mounted read-only), and checks that every table and every row of the
      archive came back, sequences, and optionally row counts against the live database, which it only reads.
    - SQLite: expands the .sqlite.gz into a scratch folder of its own (checking each gzip member's CRC-32 and length,
      and capping the expansion against a decompression bomb), opens the copy read-only, and runs SQLite's full
      integrity_check, foreign_key_check and an exact row count of every table. Needs no container engine.
    Both legs check the profile's tables and seed rows, the migration ledger, the recovery point and the backup's age.

    With Qdrant snapshots under qdrant/ (or -Store Qdrant), it also verifies the newest snapshot offline (every tar member,
    GNU sparse ones included; its .checksum when there is one; the collection's vector size and distance), restores it
    into a scratch Qdrant (DRILL_QDRANT_IMAGE, default qdrant/qdrant:v1.18.2; --storage-snapshot for a full snapshot,
    the upload API for one collection), checks the collection, and, when the Postgres leg ran in the same drill, compares
    its points with the restored repo_chunks rows (count within the profile's tolerance, sampled _orig_id present).

    Everything it creates is named gdrill-<run id>-* and removed at the end, also on failure, unless -KeepSandbox.
    A report (report.json and report.md) is written to a dated folder under -ReportDir, whatever the verdict.

    With no arguments it drills the bundled sample set (fixtures/sample-backups). The Postgres leg needs a container
    engine; on a machine without a registry run fixtures/engine/ensure-engine.sh once (see README.md).

.PARAMETER BackupRoot
    The backups root: the folder holding postgres/, sqlite/, qdrant/ and manifest.json (LoopOver's loopover-backups
    volume). Default: the bundled sample set. Use it to drill real backups.

.PARAMETER Store
    Which stores to drill: Postgres, Sqlite, Qdrant or All, one or several (-Store Postgres,Qdrant; also from bash, where
    pwsh -File passes 'Postgres,Qdrant' as one string). Tab completes. Default: All, every store that has backups under the root.
    A SQLite install has only sqlite/ backups, so its drill has no Postgres leg; the report says which legs ran and why.
    Qdrant drills the newest qdrant/ snapshot; with All (or Postgres,Qdrant) its points are also checked against the rows
    the Postgres leg restored, and its time stamp against the dump's. The Qdrant image must be on the engine (no registry).

.PARAMETER Backup
    One backup to drill instead of the newest, a .dump or a .sqlite.gz (absolute, or relative to the current folder or
    to -BackupRoot). Use it to rehearse restoring an older backup.

.PARAMETER ReportDir
    Where dated report folders are written. Default: reports/ beside this script.

.PARAMETER MetricsFile
    A Prometheus textfile (*.prom) to write the drill's metrics to, atomically, for node_exporter's textfile collector
    (last successful drill, verdict, phase durations, recovery point, backup age, rows restored). See docs/reports.md.

.PARAMETER MaxBackupAge
    The oldest the backup may be, in hours. Default: the profile's (26 h for LoopOver, its alert threshold). For the
    bundled sample set the age is not judged unless this is given.

.PARAMETER LiveDatabaseUrl
    The live database (postgres://user:password@host:port/db) to compare row counts with. It is fingerprinted and
    refused if it is, or might be, the restore target; it is only ever read, in a read-only transaction.

.PARAMETER KeepSandbox
    Keep the scratch containers and network, and the SQLite leg's expanded copy, for inspection; the report says where
    they are and how to remove them.

.PARAMETER TempDir
    Where the SQLite leg expands its copy, in a folder gdrill-<run id>-sqlite of its own. Default: the system's temporary
    folder. Use it when that disk is too small for the expanded database (the drill stops at its free space, less 64 MiB).

.PARAMETER MaxExpansionRatio
    The most a SQLite backup may expand, as a multiple of its compressed size. Default: 200. A guard against a
    decompression bomb; raise it only for a database that really compresses better than that.

.PARAMETER RestoreTimeout
    How long, in seconds, pg_restore may run before the drill stops it and says why (exit 2). Default: 7200 (2 h), far above
    what a LoopOver-sized dump needs; it bounds a paused or starved scratch container. Raise it for a much larger dump.

.PARAMETER ScratchStorage
    Where the scratch Postgres keeps the restored copy: Auto (default: in memory, a tmpfs on the image's PGDATA, when ten times
    the dump fits in a quarter of the engine's memory; else on disk), Memory or Disk. See docs/pipeline.md.

.PARAMETER Profile
    A profile JSON file describing another application. Default: LoopOver's (drills/Gittensory.Drills/Profiles/loopover.json).

.PARAMETER RestorePoint
    Which complete backup of each store to restore: Newest (default), Oldest, Random (from the retention window, repeatable
    with -RestorePointSeed; the seed is in the report), or a backup's time stamp yyyyMMddTHHmmssZ. See docs/window.md.

.PARAMETER RestorePointSeed
    The seed of -RestorePoint Random: the same seed over the same window restores the same backup. Default: drawn, and reported.

.PARAMETER WindowBudget
    The most bytes of retained Postgres and SQLite backups read offline by the window check (default 32GiB; KiB, MiB, GiB,
    TiB suffixes; 0 turns it off). Backups past the budget are listed as not read. See docs/window.md.

.PARAMETER BootApp
    After the restored copy is measured (boot changes the database), boot the application on it with a scratch Redis and poll
    its /ready until 200 or -ReadyTimeout; then compare the migration ledger with the one measured before. By default the
    application is the image DRILL_APP_IMAGE (else ghcr.io/jsonbored/loopover-selfhost:latest) on an internal network that
    holds only the scratch Postgres and Redis. Adds the checks app.isolation, app.ready, app.health and app.migrations, the
    phases boot-services, boot and after-boot, and the full recovery time. On a SQLite install (LoopOver's default) the
    application boots on a writable copy of the restored database (DATABASE_PATH), never the backup or the measured copy;
    with a Qdrant snapshot it is given the drill's one restored Qdrant. If it cannot boot, the drill says why and exits 2.
    See docs/boot-app.md.

.PARAMETER BootStore
    With -BootApp, when the set holds both a Postgres dump and a SQLite backup: Postgres or Sqlite, the database the
    application boots on. Default: the profile's preference (LoopOver: Postgres, then SQLite).

.PARAMETER AppImage
    With -BootApp: the application image to boot, e.g. a release candidate for a pre-release gate. The engine must have it
    (the drill does not pull; docker pull or docker load it first). Default: DRILL_APP_IMAGE.

.PARAMETER AppCommand
    With -BootApp: run the application as a command on this host instead of an image, e.g. 'node dist/server.mjs' from a source
    checkout. As root on Linux (nsenter) it runs in the network namespace of a container on the drill's internal network and
    gets the scratch services' addresses there: it can reach them and nothing else, and app.isolation is proved as for an image.
    Otherwise (or with -AppHostNetwork) it runs on this host's network with the services' loopback ports, and app.isolation is a
    warning saying what it could reach. Not with -AppImage.

.PARAMETER AppHostNetwork
    With -AppCommand: run the command on this host's own network, not isolated (app.isolation is then a warning). By default,
    as root on Linux, it runs in the network namespace of a container on the drill's internal network (docs/boot-app.md).

.PARAMETER EngineIsRemote
    The container engine (DOCKER_HOST) runs on another machine: the backups are copied into the containers instead of being
    bind-mounted. Default: detected from DOCKER_HOST (tcp:// to a host that is not loopback), or DRILL_ENGINE_REMOTE=true|false.

.PARAMETER AppWorkingDirectory
    With -AppCommand: the folder the command runs in (e.g. the checkout). Default: the current folder.

.PARAMETER AppEnvFile
    With -BootApp: a file of KEY=VALUE lines added to the application's environment (e.g. AI_PROVIDER to exercise that part).
    Nothing of the live deployment reaches the application unless it is named here. It may not set DATABASE_URL, REDIS_URL,
    SELFHOST_DEPLOYMENT_MODE or ORB_AIR_GAP: the drill pins those.

.PARAMETER ReadyTimeout
    With -BootApp: how long, in seconds from the start, /ready may take to answer 200. Default: 120.

.PARAMETER AppMigrations
    With -BootApp: the migrations of the release under test, a folder of *.sql or a file of names (one a line). The drill then
    says which are pending before boot, and fails unless exactly those are applied. Default: judged against the profile.

.OUTPUTS
    Gittensory.Drills.DrillResult (a PSCustomObject), one per drill, emitted when it is done; none with -WhatIf, or when
    the arguments are refused (exit code 2 before anything runs):
      Verdict        [string]   Passed, Failed or Error
      ExitCode       [int]      0 passed, 1 a check failed, 2 the drill could not run
      Legs           [string[]] the stores whose legs ran (postgres, sqlite, qdrant)
      Backups        [string[]] the backups drilled, relative to the root, one per leg
      Sha256         [string[]] their SHA-256, one per leg
      Failed         [string[]] the names of the failed checks
      ReportFolder   [string]   the folder holding report.json and report.md
      RecoveryTimeSeconds [double] with -BootApp: seconds from the drill's start to the application's first 200 from /ready (null if never)
    The script's exit code is ExitCode. SIGINT (Ctrl+C) or SIGTERM sent to the script are passed on to the drill, which
    removes what it created, writes a report whose verdict is "cancelled", and exits 130 (SIGINT) or 143 (SIGTERM); the
    script then emits no object and exits with that code.

.NOTES
    Exit codes: 0 every check passed (or did not apply); 1 a check failed, the backup is not proven restorable; 2 the drill
    could not run (no engine, no backup, a refused argument - also a typo in a parameter's name, a missing value or a
    value outside a set -, an image too old for the dump).

    Environment variables (each used only where the matching parameter is not given):
      DRILL_POSTGRES_IMAGE   Postgres image for every dump ({major} is the major the dump needs); overrides the choice
      DRILL_POSTGRES_IMAGES  local Postgres images to choose from per dump (comma-separated, each tagged with its major)
      DRILL_REDIS_IMAGE      Redis image for the booted application (default redis:7-alpine)
      DRILL_QDRANT_IMAGE     Qdrant image (default qdrant/qdrant:v1.18.2)
      DRILL_APP_IMAGE        the application image for -BootApp (default ghcr.io/jsonbored/loopover-selfhost:latest)
      DRILL_IMAGES_FILE      machine-wide image names (default /etc/gittensory-drills/images.env, written by ensure-engine.sh)
      DRILL_ENSURE_ENGINE    the script run to bring up an engine when none answers (default fixtures/engine/ensure-engine.sh)
      DOCKER_HOST            the container engine (default unix:///var/run/docker.sock)
      NO_COLOR               set (to anything): the console summary has no colour; colour is only used on a terminal anyway
    Requires PowerShell 7.2 or newer (`dotnet tool restore` installs it as `dotnet pwsh`) and the .NET 10 SDK. It works
    from any folder: paths are resolved against the current folder, the checkout's files against the script's own.

.LINK
    README.md (the two commands, the checks, the report)

.LINK
    docs/pipeline.md

.LINK
    docs/boot-app.md

.LINK
    docs/schemas/report.schema.json

.EXAMPLE
    ./run-drill.ps1
    Drills the bundled sample set; exit code 0 and a report under reports/.

.EXAMPLE
    ./run-drill.ps1 -BackupRoot /var/lib/docker/volumes/loopover-backups/_data
    Drills the newest real backup; fails when it is older than 26 hours.

.EXAMPLE
    ./run-drill.ps1 -BackupRoot /backups -LiveDatabaseUrl $env:DATABASE_URL -KeepSandbox
    Also compares row counts with production (read only) and keeps the restored copy for inspection.

.EXAMPLE
    ./run-drill.ps1 -BackupRoot /backups -Store Sqlite
    Drills only the newest SQLite backup (LoopOver's default install); runs where no container engine is.

.EXAMPLE
    ./run-drill.ps1 -BackupRoot /backups -Store Qdrant
    Drills only the newest Qdrant snapshot (offline verification, restore into a scratch Qdrant, collection checks).

.EXAMPLE
    ./run-drill.ps1 -BootApp
    Drills the bundled sample set, then boots DRILL_APP_IMAGE on it on an internal network and waits for /ready.

.EXAMPLE
    ./run-drill.ps1 -BackupRoot /backups -BootApp -AppImage ghcr.io/jsonbored/loopover-selfhost:next -AppMigrations ./loopover/migrations
    A pre-release gate: boots the next release on last night's backup and checks it applies exactly its new migrations, once.

.EXAMPLE
    ./run-drill.ps1 -BackupRoot /backups -BootApp -AppCommand 'node dist/server.mjs' -AppWorkingDirectory ~/loopover -AppEnvFile ./drill.env -ReadyTimeout 60
    Boots a source checkout on this host (not isolated; the report says so) with extra variables from drill.env.

.EXAMPLE
    ./run-drill.ps1 -BackupRoot /backups -WhatIf
    Shows which backup would be drilled, the images, and what would be created; touches nothing.
#>
# Imported before the parameters are bound: makes a refused argument exit 2 (see the module).
using module ./drills/run-drill/ArgumentGuard.psm1

[CmdletBinding(SupportsShouldProcess, PositionalBinding = $false)]
[OutputType('Gittensory.Drills.DrillResult')]
param(
    # Typed for tab completion and Get-Help. A binding error (an unknown name, a missing value, -KeepSandbox:maybe, a value
    # outside a set) exits 2, "the drill could not run", through drills/run-drill/ArgumentGuard.psm1 (imported above);
    # what the values mean is checked once, by the drill command (gittensory-drill), which also exits 2.
    [string] $BackupRoot,

    # Not a [ValidateSet]: `pwsh -File run-drill.ps1 -Store Postgres,Qdrant` (from bash, CI, cron) passes one string
    # 'Postgres,Qdrant', which a set would refuse; the drill command splits it and names a store it does not know.
    [ArgumentCompleter({ param($c, $p, $word) 'Postgres', 'Sqlite', 'Qdrant', 'All' | Where-Object { $_ -like "$word*" } })]
    [string[]] $Store = @('All'),

    [string] $Backup,

    [string] $ReportDir = (Join-Path $PSScriptRoot 'reports'),

    [double] $MaxBackupAge,

    [string] $MetricsFile,

    [string] $LiveDatabaseUrl,

    [switch] $KeepSandbox,

    [string] $TempDir,

    [double] $MaxExpansionRatio,

    [double] $RestoreTimeout,

    [ValidateSet('Auto', 'Memory', 'Disk')]
    [string] $ScratchStorage,

    [string] $Profile,

    [ArgumentCompleter({ 'Newest', 'Oldest', 'Random' })]
    [string] $RestorePoint,

    [string] $RestorePointSeed,

    [string] $WindowBudget,

    [switch] $BootApp,

    [ValidateSet('Postgres', 'Sqlite')]
    [string] $BootStore,

    [string] $AppImage,

    [string] $AppCommand,

    [string] $AppWorkingDirectory,

    [string] $AppEnvFile,

    [double] $ReadyTimeout,

    [string] $AppMigrations,

    [switch] $AppHostNetwork,

    [switch] $EngineIsRemote
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'


# Every argument is checked once, by the drill command itself (gittensory-drill), which exits 2 with the reason; this
# script only passes them through and maps the exit codes.

$project = Join-Path $PSScriptRoot 'drills/Gittensory.Drills.Cli/Gittensory.Drills.Cli.csproj'
$cli = Join-Path $PSScriptRoot 'drills/Gittensory.Drills.Cli/bin/Release/net10.0/gittensory-drill.dll'

$arguments = [System.Collections.Generic.List[string]]::new()
if ($BackupRoot) {
    $arguments.AddRange([string[]]@('--backup-root', $BackupRoot))
} else {
    $arguments.AddRange([string[]]@('--backup-root', (Join-Path $PSScriptRoot 'fixtures/sample-backups'), '--bundled-sample'))
}
$arguments.AddRange([string[]]@('--store', ($Store -join ',').ToLowerInvariant()))
if ($Backup) { $arguments.AddRange([string[]]@('--backup', $Backup)) }
$arguments.AddRange([string[]]@('--report-dir', $ReportDir))
if ($PSBoundParameters.ContainsKey('MaxBackupAge')) { $arguments.AddRange([string[]]@('--max-backup-age', $MaxBackupAge.ToString('R', [System.Globalization.CultureInfo]::InvariantCulture))) }
if ($MetricsFile) { $arguments.AddRange([string[]]@('--metrics-file', $MetricsFile)) }
if ($LiveDatabaseUrl) { $env:DRILL_LIVE_DATABASE_URL = $LiveDatabaseUrl }  # by the environment: never in an argument list
if ($KeepSandbox) { $arguments.Add('--keep-sandbox') }
if ($TempDir) { $arguments.AddRange([string[]]@('--temp-dir', $TempDir)) }
if ($PSBoundParameters.ContainsKey('MaxExpansionRatio')) { $arguments.AddRange([string[]]@('--max-expansion-ratio', $MaxExpansionRatio.ToString('R', [System.Globalization.CultureInfo]::InvariantCulture))) }
if ($ScratchStorage) { $arguments.AddRange([string[]]@('--scratch-storage', $ScratchStorage.ToLowerInvariant())) }
if ($PSBoundParameters.ContainsKey('RestoreTimeout')) { $arguments.AddRange([string[]]@('--restore-timeout', $RestoreTimeout.ToString('R', [System.Globalization.CultureInfo]::InvariantCulture))) }
if ($Profile) { $arguments.AddRange([string[]]@('--profile', $Profile)) }
if ($PSBoundParameters.ContainsKey('RestorePoint')) { $arguments.AddRange([string[]]@('--restore-point', $RestorePoint)) }
if ($PSBoundParameters.ContainsKey('RestorePointSeed')) { $arguments.AddRange([string[]]@('--restore-point-seed', $RestorePointSeed)) }
if ($PSBoundParameters.ContainsKey('WindowBudget')) { $arguments.AddRange([string[]]@('--window-budget', $WindowBudget)) }
if ($BootApp) { $arguments.Add('--boot-app') }
if ($PSBoundParameters.ContainsKey('BootStore')) { $arguments.AddRange([string[]]@('--boot-store', $BootStore)) }
if ($PSBoundParameters.ContainsKey('AppImage')) { $arguments.AddRange([string[]]@('--app-image', $AppImage)) }
if ($PSBoundParameters.ContainsKey('AppCommand')) { $arguments.AddRange([string[]]@('--app-command', $AppCommand)) }
if ($PSBoundParameters.ContainsKey('AppWorkingDirectory')) { $arguments.AddRange([string[]]@('--app-workdir', $AppWorkingDirectory)) }
if ($PSBoundParameters.ContainsKey('AppEnvFile')) { $arguments.AddRange([string[]]@('--app-env-file', $AppEnvFile)) }
if ($PSBoundParameters.ContainsKey('ReadyTimeout')) { $arguments.AddRange([string[]]@('--ready-timeout', $ReadyTimeout.ToString('R', [System.Globalization.CultureInfo]::InvariantCulture))) }
if ($PSBoundParameters.ContainsKey('AppMigrations')) { $arguments.AddRange([string[]]@('--app-migrations', $AppMigrations)) }
if ($AppHostNetwork) { $arguments.Add('--app-host-network') }
if ($EngineIsRemote) { $arguments.Add('--engine-is-remote') }

Write-Progress -Activity 'Restore drill' -Status 'Building the drill command'
# Build quietly (it is quick when nothing changed), compiled ahead of time for this machine (ReadyToRun: the drill spends no
# time of its own in the JIT). That needs two packages of this machine's runtime from NuGet (Microsoft.NETCore.App.Crossgen2
# and .Runtime); where they cannot be had (offline), the plain build runs the same drill a little slower to start. A build
# that fails both ways is "could not run".
$buildOutput = & dotnet build $project -c Release -nologo -v quiet -p:DrillReadyToRun=true 2>&1
if ($LASTEXITCODE -ne 0) {
    $readyToRunProblem = @($buildOutput | Where-Object { "$_" -match 'error' } | Select-Object -First 1) -join ''
    $buildOutput = & dotnet build $project -c Release -nologo -v quiet 2>&1
    if ($LASTEXITCODE -eq 0) {
        Write-Warning "The drill command was built without ReadyToRun (it starts about 0.7 s slower): $readyToRunProblem"
    }
}
if ($LASTEXITCODE -ne 0) {
    $buildOutput | ForEach-Object { Write-Host "$_" }
    Write-Error "Building $project failed (exit code $LASTEXITCODE); the lines above say why." -ErrorAction Continue
    exit 2
}

$target = if ($BackupRoot) { $BackupRoot } else { 'the bundled sample set' }
$action = switch ($Store -join ',') {
    'Postgres' { 'Restore the newest PostgreSQL backup into a scratch container and check it' }
    'Sqlite' { 'Expand the newest SQLite backup into a scratch folder and check it' }
    'Qdrant' { 'Verify the newest Qdrant snapshot offline, restore it into a scratch Qdrant and check it' }
    default { 'Check the backup set, then restore and check the newest backup of every store that has one' }
}
if ($BootApp) { $action += ', then boot the application on the restored database the install uses (Postgres or SQLite)' }
if (-not $PSCmdlet.ShouldProcess($target, $action)) {
    # -WhatIf: show the plan, touch nothing.
    & dotnet $cli @arguments '--plan'
    exit $LASTEXITCODE
}

# First run on a fresh machine: a drill that needs a container engine brings one up when it may (drills/run-drill/EngineStep.psm1).
if ($BootApp -or @($Store | ForEach-Object { "$_" -split ',' } | Where-Object { $_ -in 'All', 'Postgres', 'Qdrant' }).Count -gt 0) {
    Import-Module (Join-Path $PSScriptRoot 'drills/run-drill/EngineStep.psm1')
    $stop = Invoke-EngineStep -DefaultScript (Join-Path $PSScriptRoot 'fixtures/engine/ensure-engine.sh')
    if ($null -ne $stop) { exit $stop }
}

# The drill command runs as a child process that this script waits for. SIGINT (Ctrl+C) and SIGTERM sent to this script are
# passed on to it instead of ending the script: the drill then tears down what it created, writes a report that says
# "cancelled", and exits 130 or 143, which this script returns. (Run as a pipeline, PowerShell would kill the command on
# Ctrl+C, leaving its containers, and exit 0; on SIGTERM the command would be orphaned.)
if (-not ('GittensoryDrills.DrillChildProcess' -as [type])) {
    Add-Type -TypeDefinition @'
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Tasks;

namespace GittensoryDrills
{
    /// <summary>The drill command as a child process: its output lines as they come, SIGINT and SIGTERM passed on to it.</summary>
    public sealed class DrillChildProcess : IDisposable
    {
        private readonly Process process;
        private readonly List<PosixSignalRegistration> registrations = new List<PosixSignalRegistration>();
        private readonly Task drained;

        public DrillChildProcess(string fileName, IEnumerable<string> arguments)
        {
            var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments) { start.ArgumentList.Add(argument); }
            process = new Process { StartInfo = start };
            process.OutputDataReceived += (_, e) => { if (e.Data != null) { Lines.Add(new KeyValuePair<bool, string>(false, e.Data)); } };
            process.ErrorDataReceived += (_, e) => { if (e.Data != null) { Lines.Add(new KeyValuePair<bool, string>(true, e.Data)); } };
            // Registered before the child starts, so no signal falls between; handled, so the runtime does not end this process.
            registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Forward(context, 2, "SIGINT")));
            registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Forward(context, 15, "SIGTERM")));
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            // WaitForExit() without a timeout also waits for both streams to end.
            drained = Task.Run(() => { process.WaitForExit(); Lines.CompleteAdding(); });
        }

        private BlockingCollection<KeyValuePair<bool, string>> Lines { get; } = new BlockingCollection<KeyValuePair<bool, string>>();

        /// <summary>The line taken by <see cref="MoveNext"/> and not yet marked <see cref="Shown"/> (Key true for standard error), or null.</summary>
        public KeyValuePair<bool, string>? Current { get; private set; }

        /// <summary>Waits for the command's next line; false once it has exited and every line was taken.</summary>
        public bool MoveNext()
        {
            KeyValuePair<bool, string> item;
            var taken = Lines.TryTake(out item, System.Threading.Timeout.Infinite);
            Current = taken ? item : (KeyValuePair<bool, string>?)null;
            return taken;
        }

        /// <summary>Marks <see cref="Current"/> as shown, so that a script stopped in between shows it once more, not never.</summary>
        public void Shown() { Current = null; }

        /// <summary>The signals passed on to the command, in order.</summary>
        public List<string> Forwarded { get; } = new List<string>();

        /// <summary>Waits for the command (and its output) to end and returns its exit code.</summary>
        public int WaitForExit()
        {
            drained.Wait();
            return process.ExitCode;
        }

        public void Dispose()
        {
            foreach (var registration in registrations) { registration.Dispose(); }
            process.Dispose();
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int kill(int pid, int signal);

        private void Forward(PosixSignalContext context, int number, string name)
        {
            context.Cancel = true;
            lock (Forwarded) { Forwarded.Add(name); }
            try { if (!process.HasExited) { kill(process.Id, number); } } catch (InvalidOperationException) { }
        }
    }
}
'@
}

$reportLine = $null
$child = [GittensoryDrills.DrillChildProcess]::new('dotnet', [string[]](@($cli) + $arguments))
try {
    while ($child.MoveNext()) {
        $line = $child.Current.Value
        if ($child.Current.Key) {
            Write-Progress -Activity 'Restore drill' -Status $line
        } elseif ($line -like 'Report: *') {
            $reportLine = $line.Substring(8)
        }
        Write-Host $line
        $child.Shown()
    }
} finally {
    # Also when a signal stopped the loop (PowerShell stops the script on Ctrl+C): the drill is still tearing down; show the
    # rest of its output, and its exit code is this script's.
    if ($null -ne $child.Current) { Write-Host $child.Current.Value }
    while ($child.MoveNext()) { Write-Host $child.Current.Value }
    $exitCode = $child.WaitForExit()
    $forwarded = @($child.Forwarded)
    $child.Dispose()
    if ($forwarded.Count -gt 0) {
        Write-Host "run-drill.ps1: passed $($forwarded -join ', ') on to the drill command, which exited with $exitCode"
        # Not 'exit': in a script stopped by Ctrl+C, 'exit' from a finally block ends the process with 0.
        [Environment]::Exit($exitCode)
    }
}
Write-Progress -Activity 'Restore drill' -Completed

if ($reportLine -and (Test-Path -LiteralPath $reportLine)) {
    $folder = Split-Path -Parent $reportLine
    $report = Get-Content -Raw -LiteralPath (Join-Path $folder 'report.json') | ConvertFrom-Json
    [pscustomobject]@{
        PSTypeName   = 'Gittensory.Drills.DrillResult'
        Verdict      = switch ($report.verdict) { 'passed' { 'Passed' } 'failed' { 'Failed' } default { 'Error' } }
        ExitCode     = $exitCode
        Legs         = @($report.legs | Where-Object ran | ForEach-Object store)
        Backups      = @($report.legs | Where-Object ran | ForEach-Object { $_.backup.file })
        Sha256       = @($report.legs | Where-Object ran | ForEach-Object { $_.backup.sha256 })
        Failed       = @(@($report.setChecks) + @($report.legs | ForEach-Object checks) | Where-Object verdict -EQ 'failed' | ForEach-Object name)
        ReportFolder = $folder
        RecoveryTimeSeconds = $report.recoveryTimeSeconds
    }
}
exit $exitCode
