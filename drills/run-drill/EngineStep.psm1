# The first-run step of run-drill.ps1: when no container engine answers and this machine allows it (root on Debian),
# run fixtures/engine/ensure-engine.sh (or DRILL_ENSURE_ENGINE) with its progress shown; otherwise name the one command
# to run. The drill itself then says, as always, what it could and could not do.
Set-StrictMode -Version Latest

function Test-EngineAnswer {
    <# True when the engine named by DOCKER_HOST (default the local socket) answers /_ping within 3 s; a tcp:// engine is
       somebody else's to start and is taken as it is. #>
    [OutputType([bool])]
    param([string] $DockerHost = $env:DOCKER_HOST)
    if ($DockerHost -and -not $DockerHost.StartsWith('unix://')) { return $true }
    $socket = if ($DockerHost) { $DockerHost.Substring('unix://'.Length) } else { '/var/run/docker.sock' }
    if (-not (Test-Path -LiteralPath $socket)) { return $false }
    $client = [System.Net.Sockets.Socket]::new([System.Net.Sockets.AddressFamily]::Unix, [System.Net.Sockets.SocketType]::Stream, [System.Net.Sockets.ProtocolType]::Unspecified)
    try {
        $connect = $client.ConnectAsync([System.Net.Sockets.UnixDomainSocketEndPoint]::new($socket))
        if (-not $connect.Wait(3000)) { return $false }
        [void]$client.Send([System.Text.Encoding]::ASCII.GetBytes("GET /_ping HTTP/1.0`r`nHost: docker`r`n`r`n"))
        $buffer = [byte[]]::new(256)
        $receive = $client.ReceiveAsync([ArraySegment[byte]]::new($buffer), [System.Net.Sockets.SocketFlags]::None)
        if (-not $receive.Wait(3000)) { return $false }
        return [System.Text.Encoding]::ASCII.GetString($buffer, 0, $receive.Result).StartsWith('HTTP/1.')
    } catch {
        return $false
    } finally {
        $client.Dispose()
    }
}

function Get-EngineStep {
    <# What to do before a drill that needs an engine: 'none' (one answers), 'run' the ensure script (root on Debian, the
       script present), or 'advise' the one command to run. Pure: every fact is a parameter. #>
    param(
        [Parameter(Mandatory)] [bool] $EngineAnswers,
        [Parameter(Mandatory)] [bool] $IsRoot,
        [Parameter(Mandatory)] [bool] $IsDebian,
        [Parameter(Mandatory)] [string] $Script
    )
    $command = "sudo bash $Script"
    if ($EngineAnswers) {
        return [pscustomobject]@{ Action = 'none'; Command = $null; Message = $null }
    }
    if (-not (Test-Path -LiteralPath $Script)) {
        return [pscustomobject]@{ Action = 'advise'; Command = $null; Message = "No container engine answers, and the script that brings one up ('$Script') does not exist. Start Docker, or set DOCKER_HOST to an engine that runs." }
    }
    if ($IsRoot -and $IsDebian) {
        return [pscustomobject]@{ Action = 'run'; Command = "bash $Script"; Message = "No container engine answers: bringing one up with $Script (first run: several minutes)." }
    }
    $why = if (-not $IsDebian) { 'this is not a Debian machine' } else { 'this is not root' }
    return [pscustomobject]@{ Action = 'advise'; Command = $command; Message = "No container engine answers, and the drill does not start one itself here ($why). Run once: $command" }
}

function Invoke-EngineStep {
    <# Decides with the machine's own facts and acts: runs the script with its output shown (exit code 2 when it fails),
       or writes the advice. Returns the exit code to stop with, or $null to go on. #>
    param([Parameter(Mandatory)] [string] $DefaultScript)
    $script = if ($env:DRILL_ENSURE_ENGINE) { $env:DRILL_ENSURE_ENGINE } else { $DefaultScript }
    $isRoot = (& id -u 2>$null) -eq '0'
    $step = Get-EngineStep -EngineAnswers (Test-EngineAnswer) -IsRoot $isRoot -IsDebian (Test-Path -LiteralPath '/etc/debian_version') -Script $script
    switch ($step.Action) {
        'run' {
            Write-Host $step.Message
            Write-Progress -Activity 'Restore drill' -Status "Bringing up a container engine ($script)"
            & bash $script 2>&1 | ForEach-Object { Write-Host "$_" }
            if ($LASTEXITCODE -ne 0) {
                Write-Host "$script failed (exit code $LASTEXITCODE); the lines above say why. The drill did not run (exit code 2)."
                return 2
            }
        }
        'advise' { Write-Warning $step.Message }
    }
    return $null
}

Export-ModuleMember -Function Test-EngineAnswer, Get-EngineStep, Invoke-EngineStep
