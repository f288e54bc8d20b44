# Imported by run-drill.ps1 (`using module`), which PowerShell does before it binds the script's parameters. Under
# `pwsh -File run-drill.ps1 ...` (the README's `dotnet pwsh ./run-drill.ps1`) a binding error - an unknown parameter, a
# missing value, `-KeepSandbox:maybe`, a value outside a [ValidateSet] - would end pwsh with exit code 1, the code for
# "a check failed". This guard binds the same arguments first, with PowerShell's own binder, against run-drill.ps1's
# own param block (read from the file, so there is no second list of parameters), and on an error prints it and exits
# with 2, "the drill could not run". Inside an interactive session (tab completion, Get-Help) it does nothing.
# It invokes no script block of its own: with pwsh 7.6.9, `& { }` during a `using module` import made pwsh -File exit 0
# whatever the script's own `exit`. The probe runs in a runspace of its own ([powershell]::Create()).
Set-StrictMode -Version Latest

$script = [System.IO.Path]::GetFullPath((Join-Path $PSScriptRoot '../../run-drill.ps1'))
$argv = [Environment]::GetCommandLineArgs()
$at = -1
for ($i = 1; $i -lt $argv.Count; $i++) {
    $candidate = $argv[$i]
    if ($candidate.StartsWith('-')) { continue }
    try { $full = [System.IO.Path]::GetFullPath($candidate) } catch { continue }
    if ($full -eq $script) { $at = $i; break }
}

if ($at -ge 0) {
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($script, [ref]$null, [ref]$null)
    # The param block with its [CmdletBinding(...)], each parameter with its type and attributes but no default value (a
    # default may use $PSScriptRoot), and no body: binding it runs nothing.
    $declared = foreach ($parameter in $ast.ParamBlock.Parameters) {
        (@($parameter.Attributes | ForEach-Object { $_.Extent.Text }) + $parameter.Name.Extent.Text) -join ' '
    }
    $probe = (@($ast.ParamBlock.Attributes | ForEach-Object { $_.Extent.Text }) -join "`n") + "`nparam(`n" + ($declared -join ",`n") + "`n)"
    # The arguments as pwsh -File passes them - -Name, -Name:value (true/false become booleans), plain values - written
    # as a command line of quoted literals, so that the binder pairs each name with its value as it will for the script.
    $line = for ($i = $at + 1; $i -lt $argv.Count; $i++) {
        $token = $argv[$i]
        if ($token -match '^-([A-Za-z_][A-Za-z0-9_]*):?$') { "-$($Matches[1])" }
        elseif ($token -match '^-([A-Za-z_][A-Za-z0-9_]*):(.+)$') {
            $flag = $false
            if ([bool]::TryParse($Matches[2], [ref]$flag)) { "-$($Matches[1]):`$$flag" } else { "-$($Matches[1]):'" + ($Matches[2] -replace "'", "''") + "'" }
        }
        else { "'" + ($token -replace "'", "''") + "'" }
    }
    $ps = [powershell]::Create()
    try {
        [void]$ps.AddScript("& {`n$probe`n} " + ($line -join ' '))
        [void]$ps.Invoke()
        $problem = if ($ps.Streams.Error.Count -gt 0) { $ps.Streams.Error[0].Exception.Message } else { $null }
    } catch {
        $problem = $_.Exception
        while ($problem -is [System.Management.Automation.MethodInvocationException] -and $problem.InnerException) { $problem = $problem.InnerException }
        $problem = $problem.Message
    } finally {
        $ps.Dispose()
    }

    if ($problem) {
        [Console]::Error.WriteLine("run-drill.ps1: $problem")
        [Console]::Error.WriteLine('The drill did not run (exit code 2). Get-Help ./run-drill.ps1 -Full lists the parameters.')
        [Environment]::Exit(2)
    }
}
