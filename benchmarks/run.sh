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

cluster_dir=""
pg_bin=""

as_postgres() {
  # PostgreSQL refuses to run as root, so as root the cluster belongs to the postgres service user.
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_cluster() {
  if [ -n "$cluster_dir" ] && [ -d "$cluster_dir" ]; then
    as_postgres "$pg_bin/pg_ctl" -D "$cluster_dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$cluster_dir"
  fi
}

start_cluster() {
  if command -v initdb >/dev/null 2>&1; then
    pg_bin="$(dirname "$(command -v initdb)")"
  else
    pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  fi
  [ -n "$pg_bin" ] && [ -x "$pg_bin/initdb" ] || {
    echo "run.sh: no --connection and no PostgreSQL server binaries (install e.g. the postgresql package)" >&2; exit 1; }

  cluster_dir="$(mktemp -d -t streamvault-bench-pg-XXXXXX)"
  trap stop_cluster EXIT
  [ "$(id -u)" -ne 0 ] || chown postgres: "$cluster_dir"
  as_postgres "$pg_bin/initdb" -D "$cluster_dir/data" -A trust -U postgres --encoding=UTF8 --locale=C --no-sync >/dev/null

  # A port can be taken between probing and binding: try a few random ones.
  for _ in 1 2 3 4 5; do
    port=$((20000 + RANDOM % 20000))
    (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
    # fsync=off: durability is irrelevant for a throwaway cluster; the results table reports the setting.
    if as_postgres "$pg_bin/pg_ctl" -D "$cluster_dir/data" -l "$cluster_dir/postgres.log" -w -t 60 \
        -o "-c fsync=off -c listen_addresses=127.0.0.1 -p $port -k $cluster_dir -c max_connections=100" start >/dev/null; then
      connection="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
      echo "run.sh: throwaway cluster in $cluster_dir on port $port (fsync=off)" >&2
      return
    fi
  done
  echo "run.sh: could not start PostgreSQL; see $cluster_dir/postgres.log" >&2
  cat "$cluster_dir/postgres.log" >&2 || true
  exit 1
}

if [ -z "$connection" ]; then
  start_cluster
fi

cd "$repo"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
dotnet run -c Release --project benchmarks/StreamVault.Benchmarks -- --connection "$connection" "${args[@]}"
