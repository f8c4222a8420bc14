#!/usr/bin/env bash
# The main job: apply every pending StreamVault migration.
#   migrations-bundle/migrate.sh [--connection "<Npgsql connection string>"] [target migration]
# The connection comes from --connection, else STREAMVAULT_CONNECTION, else a local PostgreSQL
# that this script starts (or reuses) under .streamvault/ in the repository.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
connection="${STREAMVAULT_CONNECTION:-}"
args=()

while [ $# -gt 0 ]; do
  case "$1" in
    --connection) [ $# -ge 2 ] || { echo "migrate.sh: --connection needs a value" >&2; exit 2; }; connection="$2"; shift 2 ;;
    --connection=*) connection="${1#--connection=}"; shift ;;
    -h|--help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "migrate.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
    *) args+=("$1"); shift ;;
  esac
done

if [ -z "$connection" ]; then
  connection="$("$here/lib/local-postgres.sh" start)"
  echo "migrate.sh: no --connection or STREAMVAULT_CONNECTION; using the local server: $connection" >&2
fi

"$here/build.sh" >&2
exec "$here/out/efbundle" --connection "$connection" "${args[@]}"
