#Requires -Version 7.2
<#
.SYNOPSIS
    Restores the newest LoopOver (Gittensory) backup into throwaway containers and proves it whole, with a dated report.

.DESCRIPTION
    Finds the newest PostgreSQL dump under a backups root (from manifest.json when it agrees with the disk, otherwise by
    the time stamp in the file names), reads the archive offline, restores it with pg_restore into a scratch Postgres
    container that the drill creates on a network of its own (the backup mounted read-only), and checks that every
    table and every row of the archive came back, the profile's tables and seed rows, sequences, the migration ledger,
    the recovery point and the backup's age. Optionally compares row counts with the live database, which it only reads.

    With Qdrant snapshots under qdrant/ (or -Store Qdrant), it also verifies the newest snapshot offline (every tar member,
    GNU sparse ones included; its .checksum when there is one; the collection's vector size and distance), restores it
    into a scratch Qdrant (DRILL_QDRANT_IMAGE, default qdrant/qdrant:v1.18.2; --storage-snapshot for a full snapshot,
    the upload API for one collection), checks the collection, and, when the Postgres leg ran in the same drill, compares
    its points with the restored repo_chunks rows (count within the profile's tolerance, sampled _orig_id present).

    Everything it creates is named gdrill-<run id>-* and removed at the end, also on failure, unless -KeepSandbox.
    A report (report.json and report.md) is written to a dated folder under -ReportDir, whatever the verdict.

    With no arguments it drills the bundled sample set (fixtures/sample-backups). Needs a container engine; on a machine
    without a registry run fixtures/engine/ensure-engine.sh once (see README.md).

.PARAMETER BackupRoot
    The backups root: the folder holding postgres/, sqlite/, qdrant/ and manifest.json (LoopOver's loopover-backups
    volume). Default: the bundled sample set. Use it to drill real backups.

.PARAMETER Store
    Which stores to drill: Postgres, Sqlite, Qdrant or All. Default: All, every store that has backups under the root.
    A SQLite install has only sqlite/ backups, so its drill has no Postgres leg; the report says which legs ran and why.
    Qdrant drills the newest qdrant/ snapshot; with All (or Postgres,Qdrant) its points are also checked against the rows
    the Postgres leg restored, and its time stamp against the dump's. The Qdrant image must be on the engine (no registry).

.PARAMETER Backup
    One dump to drill instead of the newest (absolute, or relative to the current folder or to -BackupRoot). Use it to
    rehearse restoring an older backup.

.PARAMETER ReportDir
    Where dated report folders are written. Default: reports/ beside this script.

.PARAMETER MaxBackupAge
    The oldest the backup may be, in hours. Default: the profile's (26 h for LoopOver, its alert threshold). For the
    bundled sample set the age is not judged unless this is given.

.PARAMETER LiveDatabaseUrl
    The live database (postgres://user:password@host:port/db) to compare row counts with. It is fingerprinted and
    refused if it is, or might be, the restore target; it is only ever read, in a read-only transaction.

.PARAMETER KeepSandbox
    Keep the scratch containers and network for inspection; the report says how to reach and remove them.

.PARAMETER Profile
    A profile JSON file describing another application. Default: LoopOver's (drills/Gittensory.Drills/Profiles/loopover.json).

.OUTPUTS
    PSCustomObject, one per drill, emitted when it is done:
      Verdict        [string]   Passed, Failed or Error
      ExitCode       [int]      0 passed, 1 a check failed, 2 the drill could not run
      Legs           [string[]] the stores whose legs ran (postgres, sqlite, qdrant)
      Backups        [string[]] the backups drilled, relative to the root, one per leg
      Sha256         [string[]] their SHA-256, one per leg
      Failed         [string[]] the names of the failed checks
      ReportFolder   [string]   the folder holding report.json and report.md
    The script's exit code is ExitCode.

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
    ./run-drill.ps1 -BackupRoot /backups -Store Qdrant
    Drills only the newest Qdrant snapshot (offline verification, restore into a scratch Qdrant, collection checks).

.EXAMPLE
    ./run-drill.ps1 -BackupRoot /backups -WhatIf
    Shows which backup would be drilled, the images, and what would be created; touches nothing.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    # Parameters are checked in the script body rather than by validation attributes, so that a bad argument exits
    # with 2 ("the drill could not run") like every other reason a drill cannot run; PowerShell's binder would exit 1.
    [string] $BackupRoot,

    [ArgumentCompleter({ 'Postgres', 'Sqlite', 'Qdrant', 'All' })]
    [string] $Store = 'All',

    [string] $Backup,

    [string] $ReportDir = (Join-Path $PSScriptRoot 'reports'),

    [string] $MaxBackupAge,

    [string] $LiveDatabaseUrl,

    [switch] $KeepSandbox,

    [string] $Profile
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

function Stop-BadArgument([string] $Message) {
    [Console]::Error.WriteLine("run-drill.ps1: $Message See: Get-Help ./run-drill.ps1 -Full")
    exit 2
}

if ($Store -notin 'Postgres', 'Sqlite', 'Qdrant', 'All') { Stop-BadArgument "-Store must be Postgres, Sqlite, Qdrant or All; '$Store' is none of them." }
$maxAgeHours = 0.0
if ($PSBoundParameters.ContainsKey('MaxBackupAge') -and -not ([double]::TryParse($MaxBackupAge, [Globalization.NumberStyles]::Float, [cultureinfo]::InvariantCulture, [ref] $maxAgeHours) -and $maxAgeHours -gt 0)) {
    Stop-BadArgument "-MaxBackupAge must be a positive number of hours; '$MaxBackupAge' is not."
}
if ($LiveDatabaseUrl -and $LiveDatabaseUrl -notmatch '^(postgres(ql)?://|Host=)') {
    Stop-BadArgument '-LiveDatabaseUrl must be a postgres://user:password@host:port/database URL or an Npgsql connection string (Host=...).'
}
if ($Profile -and -not (Test-Path -LiteralPath $Profile -PathType Leaf)) { Stop-BadArgument "-Profile '$Profile' is not a file." }

$project = Join-Path $PSScriptRoot 'drills/Gittensory.Drills.Cli/Gittensory.Drills.Cli.csproj'
$cli = Join-Path $PSScriptRoot 'drills/Gittensory.Drills.Cli/bin/Release/net10.0/gittensory-drill.dll'

$arguments = [System.Collections.Generic.List[string]]::new()
if ($BackupRoot) {
    $arguments.AddRange([string[]]@('--backup-root', $BackupRoot))
} else {
    $arguments.AddRange([string[]]@('--backup-root', (Join-Path $PSScriptRoot 'fixtures/sample-backups'), '--bundled-sample'))
}
$arguments.AddRange([string[]]@('--store', $Store.ToLowerInvariant()))
if ($Backup) { $arguments.AddRange([string[]]@('--backup', $Backup)) }
$arguments.AddRange([string[]]@('--report-dir', $ReportDir))
if ($PSBoundParameters.ContainsKey('MaxBackupAge')) { $arguments.AddRange([string[]]@('--max-backup-age', $maxAgeHours.ToString([cultureinfo]::InvariantCulture))) }
if ($LiveDatabaseUrl) { $arguments.AddRange([string[]]@('--live-database-url', $LiveDatabaseUrl)) }
if ($KeepSandbox) { $arguments.Add('--keep-sandbox') }
if ($Profile) { $arguments.AddRange([string[]]@('--profile', $Profile)) }

Write-Progress -Activity 'Restore drill' -Status 'Building the drill command'
# Build quietly (it is quick when nothing changed); a build that fails is "could not run".
$buildOutput = & dotnet build $project -c Release -nologo -v quiet 2>&1
if ($LASTEXITCODE -ne 0) {
    $buildOutput | ForEach-Object { Write-Host "$_" }
    Write-Error "Building $project failed (exit code $LASTEXITCODE); the lines above say why." -ErrorAction Continue
    exit 2
}

$target = if ($BackupRoot) { $BackupRoot } else { 'the bundled sample set' }
if (-not $PSCmdlet.ShouldProcess($target, "Restore the newest backup of each store ($Store) into scratch containers and check it")) {
    # -WhatIf: show the plan, touch nothing.
    & dotnet $cli @arguments '--plan'
    exit 0
}

$reportLine = $null
& dotnet $cli @arguments 2>&1 | ForEach-Object {
    $line = "$_"
    if ($_ -is [System.Management.Automation.ErrorRecord]) {
        Write-Progress -Activity 'Restore drill' -Status $line
        Write-Host $line
    } else {
        if ($line -like 'Report: *') { $reportLine = $line.Substring(8) }
        Write-Host $line
    }
}
$exitCode = $LASTEXITCODE
Write-Progress -Activity 'Restore drill' -Completed

if ($reportLine -and (Test-Path -LiteralPath $reportLine)) {
    $folder = Split-Path -Parent $reportLine
    $report = Get-Content -Raw -LiteralPath (Join-Path $folder 'report.json') | ConvertFrom-Json
    [pscustomobject]@{
        Verdict      = $report.verdict
        ExitCode     = $exitCode
        Legs         = @($report.legs | Where-Object ran | ForEach-Object store)
        Backups      = @($report.legs | Where-Object ran | ForEach-Object { $_.backup.file })
        Sha256       = @($report.legs | Where-Object ran | ForEach-Object { $_.backup.sha256 })
        Failed       = @(@($report.setChecks) + @($report.legs | ForEach-Object checks) | Where-Object verdict -EQ 'failed' | ForEach-Object name)
        ReportFolder = $folder
    }
}
exit $exitCode
