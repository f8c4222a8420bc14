# The main job from PowerShell (Windows, or pwsh anywhere): apply every pending StreamVault migration.
#   migrations-bundle/migrate.ps1 [-Connection "<Npgsql connection string>"] [-Verbose] [target migration]
# The connection comes from -Connection, else STREAMVAULT_CONNECTION. Unlike migrate.sh this script does not
# start a local server. Exit codes are streamvault-db's: 0 ok, 1 a migration failed, 2 usage or
# configuration, 3 cannot connect or authenticate. Builds streamvault-db (framework-dependent, into out/cli/)
# when sources changed, as migrate.sh does; the self-contained binaries for deployments are build.sh's.
[CmdletBinding()]
param(
    [string] $Connection = $env:STREAMVAULT_CONNECTION,
    [Parameter(Position = 0)] [string] $Target
)
$ErrorActionPreference = 'Stop'

$here = $PSScriptRoot
$root = Split-Path -Parent $here

if ([string]::IsNullOrWhiteSpace($Connection)) {
    [Console]::Error.WriteLine('migrate.ps1: no connection configured: pass -Connection or set STREAMVAULT_CONNECTION')
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
if ($Target) { $arguments += $Target }

# Through the environment, not the command line, so the password does not show in the process list.
$env:STREAMVAULT_CONNECTION = $Connection
& dotnet $cli @arguments
exit $LASTEXITCODE
