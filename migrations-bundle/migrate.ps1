# The main job on Windows: apply every pending StreamVault migration (or migrate to a target).
#   migrations-bundle\migrate.ps1 [-Connection "<Npgsql connection string>"] [-Verbose] [target migration]
# The connection comes from -Connection, else STREAMVAULT_CONNECTION. Unlike migrate.sh this script does not
# start a local server. Exit codes are streamvault-db's: 0 ok, 1 a migration failed, 2 usage or
# configuration, 3 cannot connect or authenticate. Builds out\streamvault-db.exe with build.sh's
# dotnet publish arguments when it is missing.
[CmdletBinding()]
param(
    [string] $Connection = $env:STREAMVAULT_CONNECTION,
    [Parameter(Position = 0)] [string] $Target
)
$ErrorActionPreference = 'Stop'

$here = $PSScriptRoot
$root = Split-Path -Parent $here
$exe = Join-Path $here 'out\streamvault-db.exe'

if (-not (Test-Path $exe)) {
    Write-Host 'migrate.ps1: building out\streamvault-db.exe ...'
    $publish = Join-Path $here 'out\.publish-streamvault-db'
    & dotnet publish (Join-Path $root 'StreamVault.Cli\StreamVault.Cli.csproj') `
        --configuration Release --runtime win-x64 --self-contained `
        -p:PublishSingleFile=true -p:PublishReadyToRun=true -p:InvariantGlobalization=true `
        -p:IncludeNativeLibrariesForSelfExtract=true -p:DebugType=none --output $publish | Out-Null
    if ($LASTEXITCODE -ne 0) { Write-Error 'migrate.ps1: building streamvault-db failed'; exit 1 }
    Move-Item -Force (Join-Path $publish 'streamvault-db.exe') $exe
    Remove-Item -Recurse -Force $publish
}

if ([string]::IsNullOrWhiteSpace($Connection)) {
    [Console]::Error.WriteLine('migrate.ps1: no connection configured: pass -Connection or set STREAMVAULT_CONNECTION')
    exit 2
}

$arguments = @('migrate')
if ($VerbosePreference -eq 'Continue') { $arguments += '--verbose' }
if ($Target) { $arguments += $Target }

# Through the environment, not the command line, so the password does not show in the process list.
$env:STREAMVAULT_CONNECTION = $Connection
& $exe @arguments
exit $LASTEXITCODE
