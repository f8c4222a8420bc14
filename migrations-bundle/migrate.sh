#!/usr/bin/env bash
# The main job: apply every pending StreamVault migration (or migrate to a target) with streamvault-db.
#   migrations-bundle/migrate.sh [--connection "<Npgsql connection string>"] [--verbose] [target migration]
# The connection comes from --connection, else STREAMVAULT_CONNECTION, else a local PostgreSQL that this
# script starts (or reuses) under .streamvault/ in the repository. Exit codes are streamvault-db's:
# 0 ok, 1 a migration failed, 2 usage or configuration, 3 cannot connect or authenticate.
# The first run builds streamvault-db (framework-dependent, into out/cli/); later runs reuse it until sources change.

set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
connection="${STREAMVAULT_CONNECTION:-}"
args=()

while [ $# -gt 0 ]; do
  case "$1" in
    --connection|-c) [ $# -ge 2 ] || { echo "migrate.sh: --connection needs a value" >&2; exit 2; }; connection="$2"; shift 2 ;;
    --connection=*) connection="${1#--connection=}"; shift ;;
    --verbose|-v) args+=("--verbose"); shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    -*) echo "migrate.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

# Without a configured connection the local server starts while streamvault-db builds (both take seconds).
local_server=""
if [ -z "$connection" ]; then
  local_server="$(mktemp)"
  "$here/lib/local-postgres.sh" start >"$local_server" &
  starting=$!
fi

# Skips in a moment when out/cli is up to date; a failed build is not a database problem, so it is reported as such.
if ! cli="$("$here/lib/build-cli.sh")"; then
  [ -z "$local_server" ] || { wait "$starting" || true; rm -f "$local_server"; }
  exit 1
fi

if [ -n "$local_server" ]; then
  # Its own exit code and message, as when it ran in the foreground.
  wait "$starting" || { status=$?; rm -f "$local_server"; exit "$status"; }
  connection="$(cat "$local_server")"
  rm -f "$local_server"
  echo "migrate.sh: no --connection or STREAMVAULT_CONNECTION; using the local server: $connection" >&2
fi

# Through the environment, not argv: a password in argv is visible to every user in the process list.
STREAMVAULT_CONNECTION="$connection" exec dotnet "$cli" migrate ${args[@]+"${args[@]}"}
