#!/usr/bin/env bash
# Cold-start benchmark of issue #13: whole-process CPU time (user+sys, from wait4) and wall time of one no-op run
# against an up-to-date database, each command a fresh process, the commands alternating, medians printed as a
# Markdown table (benchmarks/ColdStart/measure.py). Compares streamvault-db migrate/status (the native front) and the
# full CLI behind it with psql, EF's bundle, and two floors (a hello world; one Npgsql SELECT 1) published like each
# (NativeAOT; single file ReadyToRun); and an app's cold start with and
# without the startup no-op (MigrateStreamVaultDatabaseAsync) or one plain SELECT 1, published as is and ReadyToRun.
#   benchmarks/coldstart.sh [--rounds N] [--connection "<admin connection string>"]
# The connection must be allowed to CREATE/DROP DATABASE (STREAMVAULT_BENCH_CONNECTION when --connection is absent;
# with neither, a throwaway local cluster with fsync=off and trust login, as run.sh). psql gets the same host, port,
# user and database (set PGPASSWORD yourself for a password login).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
connection="${STREAMVAULT_BENCH_CONNECTION:-}"
rounds=15

while [ $# -gt 0 ]; do
  case "$1" in
    --connection) [ $# -ge 2 ] || { echo "coldstart.sh: --connection needs a value" >&2; exit 2; }; connection="$2"; shift 2 ;;
    --rounds) [ $# -ge 2 ] || { echo "coldstart.sh: --rounds needs a value" >&2; exit 2; }; rounds="$2"; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "coldstart.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
  esac
done

source "$repo/benchmarks/lib/cluster.sh"
source "$repo/migrations-bundle/lib/cli-publish.sh"
if [ -z "$connection" ]; then
  start_cluster
fi
psql_bin="$(command -v psql || true)"
# Debian's psql on PATH is a Perl wrapper (pg_wrapper) around the real binary: both are measured, the target is
# stated against what `psql` runs.
psql_real="$(ls -d /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -n 1)"
[ -n "$psql_bin" ] || psql_bin="$psql_real"
[ -n "$psql_bin" ] || { echo "coldstart.sh: psql not found (install e.g. postgresql-client)" >&2; exit 1; }

cd "$repo"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 EnableSingleFileAnalyzer=false
out="$repo/benchmarks/ColdStart/out"
echo "coldstart.sh: building migrations-bundle/out (build.sh), the floors and the startup app ..." >&2
migrations-bundle/build.sh >&2
dotnet publish benchmarks/ColdStart/Floor/ColdStart.Floor.csproj -c Release -r linux-x64 --self-contained \
  "${cli_publish_properties[@]}" -o "$out/floor" -nologo -v q >&2
dotnet publish benchmarks/ColdStart/FloorNative/ColdStart.FloorNative.csproj -c Release -r linux-x64 -o "$out/floor-native" -nologo -v q >&2
dotnet publish benchmarks/ColdStart/StartupApp/ColdStart.StartupApp.csproj -c Release -o "$out/app" -nologo -v q >&2
# The same app published ReadyToRun (framework-dependent), as an app that cares about its start would be.
dotnet publish benchmarks/ColdStart/StartupApp/ColdStart.StartupApp.csproj -c Release -r linux-x64 --self-contained false \
  -p:PublishReadyToRun=true -o "$out/app-r2r" -nologo -v q >&2

# One database, migrated once: every measured run finds it up to date.
database="svbench_coldstart_$$"
db="$(dotnet "$out/app/coldstart-app.dll" --create "$connection" "$database")"
trap 'dotnet "$out/app/coldstart-app.dll" --drop "$connection" "$database" >/dev/null 2>&1 || true; stop_cluster' EXIT
migrations-bundle/out/streamvault-db migrate --connection "$db" >/dev/null
eval "$(dotnet "$out/app/coldstart-app.dll" --psql-env "$db")"

q() { printf "'%s'" "${1//\'/\'\\\'\'}"; }
sv="$repo/migrations-bundle/out/streamvault-db"
full="$repo/migrations-bundle/out/streamvault-db-full"
echo "coldstart.sh: measuring $rounds rounds ..." >&2
echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) CPUs; $("$psql_bin" -Atc 'SHOW server_version' 2>/dev/null | sed 's/^/PostgreSQL /'); .NET $(dotnet --version) SDK"
commands=("psql -c 'select 1'=$(q "$psql_bin") -c $(q 'select 1')")
if [ -n "$psql_real" ] && [ "$psql_real" != "$psql_bin" ]; then
  commands+=("$psql_real -c 'select 1'=$(q "$psql_real") -c $(q 'select 1')")
fi
commands+=(
  "streamvault-db migrate=$(q "$sv") migrate --connection $(q "$db")"
  "streamvault-db status=$(q "$sv") status --connection $(q "$db")"
  "streamvault-db --version (handed to the full CLI)=$(q "$sv") --version"
  "streamvault-db-full migrate=$(q "$full") migrate --connection $(q "$db")"
  "streamvault-db-full status=$(q "$full") status --connection $(q "$db")"
  "streamvault-db-full --version=$(q "$full") --version"
  "efbundle=$(q "$repo/migrations-bundle/out/efbundle") --connection $(q "$db")"
  "floor native: hello world=$(q "$out/floor-native/coldstart-floor-native")"
  "floor native: Npgsql SELECT 1=$(q "$out/floor-native/coldstart-floor-native") select1 $(q "$db")"
  "floor ReadyToRun: hello world=$(q "$out/floor/coldstart-floor")"
  "floor ReadyToRun: Npgsql SELECT 1=$(q "$out/floor/coldstart-floor") select1 $(q "$db")"
  "app: host built=dotnet $(q "$out/app/coldstart-app.dll") $(q "$db")"
  "app: host built + startup no-op=dotnet $(q "$out/app/coldstart-app.dll") $(q "$db") migrate"
  "app: host built + one Npgsql SELECT 1=dotnet $(q "$out/app/coldstart-app.dll") $(q "$db") select1"
  "app R2R: host built=$(q "$out/app-r2r/coldstart-app") $(q "$db")"
  "app R2R: host built + startup no-op=$(q "$out/app-r2r/coldstart-app") $(q "$db") migrate"
  "app R2R: host built + one Npgsql SELECT 1=$(q "$out/app-r2r/coldstart-app") $(q "$db") select1"
)
python3 benchmarks/ColdStart/measure.py "$rounds" "${commands[@]}"
