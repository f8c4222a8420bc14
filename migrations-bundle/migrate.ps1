# The main job from PowerShell (Windows, or pwsh anywhere): apply every pending StreamVault migration.
#   migrations-bundle/migrate.ps1 [-Connection "<Npgsql connection string>" | -ConnectionFile <file>] [-CreateDatabase]
#                                 [-Verbose] [target migration]
# The connection comes from -Connection or -ConnectionFile, else STREAMVAULT_CONNECTION or STREAMVAULT_CONNECTION_FILE
# (streamvault-db reads the file; -ConnectionFile keeps the password off every command line). Unlike migrate.sh this
# script does not start a local server, and a missing database is created only with -CreateDatabase. Exit codes are streamvault-db's: 0 ok, 1 a migration failed, 2 usage or
# configuration, 3 cannot connect or authenticate. Builds streamvault-db (framework-dependent, into out/cli/)
# when sources changed, as migrate.sh does; the self-contained binaries for deployments are build.sh's.
[CmdletBinding()]
param(
    [string] $Connection,
    [string] $ConnectionFile,
    [switch] $CreateDatabase,
    [Parameter(Position = 0)] [string] $Target
)
$ErrorActionPreference = 'Stop'

$here = $PSScriptRoot
$root = Split-Path -Parent $here

if ($Connection -and $ConnectionFile) {
    [Console]::Error.WriteLine('migrate.ps1: pass either -Connection or -ConnectionFile, not both')
    exit 2
}
if (-not $Connection -and -not $ConnectionFile -and -not $env:STREAMVAULT_CONNECTION -and -not $env:STREAMVAULT_CONNECTION_FILE) {
    [Console]::Error.WriteLine('migrate.ps1: no connection configured: pass -Connection or -ConnectionFile, or set STREAMVAULT_CONNECTION or STREAMVAULT_CONNECTION_FILE')
    exit 2
}

if ($IsWindows -or $env:OS -eq 'Windows_NT') {
    # No bash here: MSBuild's incremental build decides (seconds when nothing changed).
    [Console]::Error.WriteLine('migrate.ps1: building streamvault-db (framework-dependent, into out/cli) ...')
    & dotnet build (Join-Path $root 'StreamVault.Cli/StreamVault.Cli.csproj') --configuration Release `
        --output (Join-Path $here 'out/cli') -nologo -v q | ForEach-Object { [Console]::Error.WriteLine($_) }
    if ($LASTEXITCODE -ne 0) { [Console]::Error.WriteLine('migrate.ps1: building streamvault-db failed'); exit 1 }
    $cli = Join-Path $here 'out/cli/streamvault-db.dll'
}
else {
    # The same build as migrate.sh: skipped when nothing changed; its progress goes to stderr, the dll's path to stdout.
    $cli = & bash (Join-Path $here 'lib/build-cli.sh')
    if ($LASTEXITCODE -ne 0) { exit 1 }
}

$arguments = @('migrate')
if ($VerbosePreference -eq 'Continue') { $arguments += '--verbose' }
if ($CreateDatabase) { $arguments += '--create-database' }
if ($Target) { $arguments += $Target }

# Through the environment, not the command line, so the password does not show in the process list. A parameter
# replaces both variables, as an option beats the environment in streamvault-db.
if ($Connection) {
    $env:STREAMVAULT_CONNECTION = $Connection
    Remove-Item Env:STREAMVAULT_CONNECTION_FILE -ErrorAction SilentlyContinue
}
elseif ($ConnectionFile) {
    $env:STREAMVAULT_CONNECTION_FILE = $ConnectionFile
    Remove-Item Env:STREAMVAULT_CONNECTION -ErrorAction SilentlyContinue
}
& dotnet $cli @arguments
exit $LASTEXITCODE
