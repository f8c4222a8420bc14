# The main job from PowerShell (Windows, or pwsh anywhere): apply every pending StreamVault migration.
#   migrations-bundle/migrate.ps1 [-Connection "<Npgsql connection string>"] [-Verbose] [target migration]
# The connection comes from -Connection, else STREAMVAULT_CONNECTION. Unlike migrate.sh this script does not
# start a local server. Exit codes are streamvault-db's: 0 ok, 1 a migration failed, 2 usage or
# configuration, 3 cannot connect or authenticate. Builds streamvault-db when it is missing (build.sh does
# it on Linux and macOS; on Windows the same dotnet publish arguments for win-x64).
[CmdletBinding()]
param(
    [string] $Connection = $env:STREAMVAULT_CONNECTION,
    [Parameter(Position = 0)] [string] $Target
)
$ErrorActionPreference = 'Stop'

$here = $PSScriptRoot
$root = Split-Path -Parent $here
$exe = if ($IsWindows -or $env:OS -eq 'Windows_NT') { Join-Path $here 'out/streamvault-db.exe' } else { Join-Path $here 'out/streamvault-db' }

if ([string]::IsNullOrWhiteSpace($Connection)) {
    [Console]::Error.WriteLine('migrate.ps1: no connection configured: pass -Connection or set STREAMVAULT_CONNECTION')
    exit 2
}

if ($IsWindows -or $env:OS -eq 'Windows_NT') {
    if (-not (Test-Path $exe)) {
        [Console]::Error.WriteLine('migrate.ps1: building out/streamvault-db.exe ...')
        $publish = Join-Path $here 'out/.publish-streamvault-db'
        & dotnet publish (Join-Path $root 'StreamVault.Cli/StreamVault.Cli.csproj') `
            --configuration Release --runtime win-x64 --self-contained `
            -p:PublishSingleFile=true -p:PublishReadyToRun=true -p:InvariantGlobalization=true `
            -p:IncludeNativeLibrariesForSelfExtract=true -p:DebugType=none --output $publish | Out-Null
        if ($LASTEXITCODE -ne 0) { [Console]::Error.WriteLine('migrate.ps1: building streamvault-db failed'); exit 1 }
        Move-Item -Force (Join-Path $publish 'streamvault-db.exe') $exe
        Remove-Item -Recurse -Force $publish
    }
}
else {
    # build.sh skips when nothing changed, exactly as migrate.sh relies on.
    & bash (Join-Path $here 'build.sh') 2>&1 | ForEach-Object { [Console]::Error.WriteLine($_) }
    if ($LASTEXITCODE -ne 0) { exit 1 }
}

$arguments = @('migrate')
if ($VerbosePreference -eq 'Continue') { $arguments += '--verbose' }
if ($Target) { $arguments += $Target }

# Through the environment, not the command line, so the password does not show in the process list.
$env:STREAMVAULT_CONNECTION = $Connection
& $exe @arguments
exit $LASTEXITCODE
