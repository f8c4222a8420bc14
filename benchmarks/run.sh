#!/usr/bin/env bash
# Runs the migration benchmarks of issue #4 and prints a Markdown results table.
#   benchmarks/run.sh [--connection "<admin connection string>"] [benchmark options, e.g. --iterations 200 --repeats 3]
# The connection must be allowed to CREATE/DROP DATABASE; STREAMVAULT_BENCH_CONNECTION is used when
# --connection is absent. With neither, a throwaway local PostgreSQL cluster (fsync=off) is started in a temp
# directory from the server binaries (PATH or /usr/lib/postgresql/*/bin) and removed at the end.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
connection="${STREAMVAULT_BENCH_CONNECTION:-}"
args=()

while [ $# -gt 0 ]; do
  case "$1" in
    --connection) [ $# -ge 2 ] || { echo "run.sh: --connection needs a value" >&2; exit 2; }; connection="$2"; shift 2 ;;
    --connection=*) connection="${1#--connection=}"; shift ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) args+=("$1"); shift ;;
  esac
done

# The throwaway cluster (fsync=off, trust login, removed on exit) is shared with coldstart.sh.
source "$repo/benchmarks/lib/cluster.sh"

if [ -z "$connection" ]; then
  start_cluster
fi

cd "$repo"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
dotnet run -c Release --project benchmarks/StreamVault.Benchmarks -- --connection "$connection" "${args[@]}"
