#!/usr/bin/env bash
# The main job: apply every pending StreamVault migration (or migrate to a target) with streamvault-db.
#   migrations-bundle/migrate.sh [--connection "<Npgsql connection string>"] [--verbose] [target migration]
#   migrations-bundle/migrate.sh [--connection-file <file>] [--create-database] [--verbose] [target migration]
# The connection comes from --connection or --connection-file, else STREAMVAULT_CONNECTION or
# STREAMVAULT_CONNECTION_FILE, else a local PostgreSQL that this script starts (or reuses) under .streamvault/ in
# the repository. Prefer the environment, the file or a pgpass file (Passfile=, PGPASSFILE) to --connection: a
# password in argv is visible in the process list until this script has moved it into the environment.
# --create-database creates a missing database (otherwise it is refused, exit 3; the local server always has it).
# Exit codes are streamvault-db's: 0 ok, 1 a migration failed, 2 usage or configuration, 3 cannot connect or
# authenticate, or the database does not exist.
# The first run builds streamvault-db (framework-dependent, into out/cli/); later runs reuse it until sources change.
#   migrations-bundle/migrate.sh --which-connection [options as above]
# prints where the connection would come from (--connection, --connection-file, STREAMVAULT_CONNECTION,
# STREAMVAULT_CONNECTION_FILE, or "the local server") and exits, changing nothing.

set -euo pipefail

connection_option=""
has_connection_option=0
connection_file=""
which_connection=0
args=()

while [ $# -gt 0 ]; do
  case "$1" in
    --connection|-c) [ $# -ge 2 ] || { echo "migrate.sh: --connection needs a value" >&2; exit 2; }; connection_option="$2"; has_connection_option=1; shift 2 ;;
    --connection=*) connection_option="${1#--connection=}"; has_connection_option=1; shift ;;
    --connection-file) [ $# -ge 2 ] || { echo "migrate.sh: --connection-file needs a value" >&2; exit 2; }; connection_file="$2"; shift 2 ;;
    --connection-file=*) connection_file="${1#--connection-file=}"; shift ;;
    --create-database) args+=("--create-database"); shift ;;
    --which-connection) which_connection=1; shift ;;
    --verbose|-v) args+=("--verbose"); shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    -*) echo "migrate.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

# The sources in streamvault-db's order (StreamVault.Data's ConnectionSources; a test holds the two together): an option
# beats the environment, two sources at one level are refused, and a value of blanks counts as none.
given() { [ -n "${1//[[:space:]]/}" ]; }
given "$connection_option" || has_connection_option=0
given "$connection_file" || connection_file=""
given "${STREAMVAULT_CONNECTION:-}" || unset STREAMVAULT_CONNECTION
given "${STREAMVAULT_CONNECTION_FILE:-}" || unset STREAMVAULT_CONNECTION_FILE
if [ "$has_connection_option" -eq 1 ] && [ -n "$connection_file" ]; then
  echo "migrate.sh: both --connection and --connection-file given; pass one" >&2
  exit 2
fi
if [ "$has_connection_option" -eq 0 ] && [ -z "$connection_file" ] \
   && [ -n "${STREAMVAULT_CONNECTION:-}" ] && [ -n "${STREAMVAULT_CONNECTION_FILE:-}" ]; then
  echo "migrate.sh: both STREAMVAULT_CONNECTION and STREAMVAULT_CONNECTION_FILE are set; set one" >&2
  exit 2
fi
if [ "$which_connection" -eq 1 ]; then
  if [ "$has_connection_option" -eq 1 ]; then echo "--connection"
  elif [ -n "$connection_file" ]; then echo "--connection-file"
  elif [ -n "${STREAMVAULT_CONNECTION:-}" ]; then echo "STREAMVAULT_CONNECTION"
  elif [ -n "${STREAMVAULT_CONNECTION_FILE:-}" ]; then echo "STREAMVAULT_CONNECTION_FILE"
  else echo "the local server"
  fi
  exit 0
fi

# A password in argv is readable by every user in the process list, and every subshell forked from here (the build
# step's included) would carry this process's argv. So the option moves into the environment before anything is
# forked (the loop above runs builtins only), and the script starts over without it: from here on no process shows
# it. (The option beats the environment, as in streamvault-db.)
if [ "$has_connection_option" -eq 1 ]; then
  unset STREAMVAULT_CONNECTION_FILE
  STREAMVAULT_CONNECTION="$connection_option" exec bash "${BASH_SOURCE[0]}" ${args[@]+"${args[@]}"}
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ -z "$connection_file" ] || args+=("--connection-file" "$connection_file")
connection="${STREAMVAULT_CONNECTION:-}"
configured=0
[ -z "$connection" ] && [ -z "$connection_file" ] && [ -z "${STREAMVAULT_CONNECTION_FILE:-}" ] || configured=1

# Without a configured connection the local server starts while streamvault-db builds (both take seconds).
local_server=""
if [ "$configured" -eq 0 ]; then
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
  echo "migrate.sh: no connection configured; using the local server: $connection" >&2
  # The local development server is the one place a database is created without being asked for.
  args+=("--create-database")
fi

# Through the environment, not argv: a password in argv is visible to every user in the process list.
if [ -n "$connection" ]; then
  export STREAMVAULT_CONNECTION="$connection"
fi
exec dotnet "$cli" migrate ${args[@]+"${args[@]}"}
