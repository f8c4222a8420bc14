# Sourced by the benchmark scripts: a throwaway PostgreSQL cluster (fsync=off) in a temp directory, from the server
# binaries on PATH or under /usr/lib/postgresql/*/bin (as root, run as the postgres user). start_cluster sets
# $connection (admin, database postgres), $cluster_port and $pg_bin, and stops and deletes the cluster on exit.
cluster_dir=""
pg_bin=""
cluster_port=""

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
    echo "$(basename "$0"): no --connection and no PostgreSQL server binaries (install e.g. the postgresql package)" >&2; exit 1; }

  cluster_dir="$(mktemp -d -t streamvault-bench-pg-XXXXXX)"
  trap stop_cluster EXIT
  [ "$(id -u)" -ne 0 ] || chown postgres: "$cluster_dir"
  as_postgres "$pg_bin/initdb" -D "$cluster_dir/data" -A trust -U postgres --encoding=UTF8 --locale=C --no-sync >/dev/null

  # A port can be taken between probing and binding: try a few random ones.
  for _ in 1 2 3 4 5; do
    cluster_port=$((20000 + RANDOM % 20000))
    (echo >"/dev/tcp/127.0.0.1/$cluster_port") 2>/dev/null && continue
    # fsync=off: durability is irrelevant for a throwaway cluster; the results report the setting.
    if as_postgres "$pg_bin/pg_ctl" -D "$cluster_dir/data" -l "$cluster_dir/postgres.log" -w -t 60 \
        -o "-c fsync=off -c listen_addresses=127.0.0.1 -p $cluster_port -k $cluster_dir -c max_connections=100" start >/dev/null; then
      connection="Host=127.0.0.1;Port=$cluster_port;Username=postgres;Database=postgres"
      echo "$(basename "$0"): throwaway cluster in $cluster_dir on port $cluster_port (fsync=off)" >&2
      return
    fi
  done
  echo "$(basename "$0"): could not start PostgreSQL; see $cluster_dir/postgres.log" >&2
  cat "$cluster_dir/postgres.log" >&2 || true
  exit 1
}
