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

    Everything it creates is named gdrill-<run id>-* and removed at the end, also on failure, unless -KeepSandbox.
    A report (report.json and report.md) is written to a dated folder under -ReportDir, whatever the verdict.

    With no arguments it drills the bundled sample set (fixtures/sample-backups). Needs a container engine; on a machine
    without a registry run fixtures/engine/ensure-engine.sh once (see README.md).

.PARAMETER BackupRoot
    The backups root: the folder holding postgres/, sqlite/, qdrant/ and manifest.json (LoopOver's loopover-backups
    volume). Default: the bundled sample set. Use it to drill real backups.

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
      Backup         [string]   the backup drilled, relative to the root
      Sha256         [string]   the backup's SHA-256
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
    ./run-drill.ps1 -BackupRoot /backups -WhatIf
    Shows which backup would be drilled, the images, and what would be created; touches nothing.
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [ValidateNotNullOrEmpty()]
    [string] $BackupRoot,

    [ValidateNotNullOrEmpty()]
    [string] $Backup,

    [ValidateNotNullOrEmpty()]
    [string] $ReportDir = (Join-Path $PSScriptRoot 'reports'),

    [ValidateRange(0.01, 100000)]
    [double] $MaxBackupAge,

    [ValidatePattern('^(postgres(ql)?://|Host=)', Options = 'IgnoreCase')]
    [string] $LiveDatabaseUrl,

    [switch] $KeepSandbox,

    [ValidateScript({ Test-Path -LiteralPath $_ -PathType Leaf })]
    [string] $Profile
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$project = Join-Path $PSScriptRoot 'drills/Gittensory.Drills.Cli/Gittensory.Drills.Cli.csproj'
$cli = Join-Path $PSScriptRoot 'drills/Gittensory.Drills.Cli/bin/Release/net10.0/gittensory-drill.dll'

$arguments = [System.Collections.Generic.List[string]]::new()
if ($BackupRoot) {
    $arguments.AddRange([string[]]@('--backup-root', $BackupRoot))
} else {
    $arguments.AddRange([string[]]@('--backup-root', (Join-Path $PSScriptRoot 'fixtures/sample-backups'), '--bundled-sample'))
}
if ($Backup) { $arguments.AddRange([string[]]@('--backup', $Backup)) }
$arguments.AddRange([string[]]@('--report-dir', $ReportDir))
if ($PSBoundParameters.ContainsKey('MaxBackupAge')) { $arguments.AddRange([string[]]@('--max-backup-age', $MaxBackupAge.ToString([cultureinfo]::InvariantCulture))) }
if ($LiveDatabaseUrl) { $arguments.AddRange([string[]]@('--live-database-url', $LiveDatabaseUrl)) }
if ($KeepSandbox) { $arguments.Add('--keep-sandbox') }
if ($Profile) { $arguments.AddRange([string[]]@('--profile', $Profile)) }

Write-Progress -Activity 'Restore drill' -Status 'Building the drill command'
$buildArguments = @{
    FilePath     = 'dotnet'
    ArgumentList = @('build', $project, '-c', 'Release', '-nologo', '-v', 'quiet')
    NoNewWindow  = $true
    Wait         = $true
    PassThru     = $true
}
$build = Start-Process @buildArguments
if ($build.ExitCode -ne 0) {
    Write-Error "Building $project failed (exit code $($build.ExitCode)); run 'dotnet build $project' to see why." -ErrorAction Continue
    exit 2
}

$target = if ($BackupRoot) { $BackupRoot } else { 'the bundled sample set' }
if (-not $PSCmdlet.ShouldProcess($target, 'Restore the newest PostgreSQL backup into a scratch container and check it')) {
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
        Backup       = $report.backup?.file
        Sha256       = $report.backup?.sha256
        Failed       = @($report.checks | Where-Object verdict -EQ 'failed' | ForEach-Object name)
        ReportFolder = $folder
    }
}
exit $exitCode
