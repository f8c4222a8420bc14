#!/usr/bin/env bash
# Private PostgreSQL cluster for migrate.sh when no --connection and no
# STREAMVAULT_CONNECTION is given. State lives in <repo root>/.streamvault/
# (git-ignored): pgdata/, run/ (socket), postgres.log, port.
#
#   local-postgres.sh start    start or reuse; stdout: the Npgsql connection string
#   local-postgres.sh stop
#   local-postgres.sh status   stdout: connection string or "stopped"; exit 0 / 3
#
# Sourcing defines local_postgres() which runs this file in a child bash, so
# the caller's shell options and exit status are not touched.

if [[ "${BASH_SOURCE[0]}" != "$0" ]]; then
	LOCAL_POSTGRES_SH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
	local_postgres() { bash "$LOCAL_POSTGRES_SH" "$@"; }
	return 0
fi

set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="${STREAMVAULT_REPO_ROOT:-$(cd "$SCRIPT_DIR/../.." && pwd)}"
STATE_DIR="$REPO_ROOT/.streamvault"
PGDATA_DIR="$STATE_DIR/pgdata"
RUN_DIR="$STATE_DIR/run"
LOG_FILE="$STATE_DIR/postgres.log"
PORT_FILE="$STATE_DIR/port"
DEFAULT_PORT=55432
DB_NAME=streamvault

log() { printf 'local-postgres: %s\n' "$*" >&2; }
die() { local code=$1; shift; printf 'local-postgres: error: %s\n' "$*" >&2; exit "$code"; }

find_bin_dir() {
	local initdb pg_ctl dir
	initdb="$(command -v initdb || true)"
	pg_ctl="$(command -v pg_ctl || true)"
	if [[ -n "$initdb" && -n "$pg_ctl" ]]; then
		# Resolve symlinks (e.g. /usr/local/bin/initdb) so psql comes from the same install.
		dirname "$(readlink -f "$initdb")"
		return 0
	fi
	# Debian/Ubuntu keep server binaries off PATH.
	dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
	if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
		printf '%s\n' "$dir"
		return 0
	fi
	return 1
}

BIN_DIR="$(find_bin_dir)" || {
	printf '%s\n' "local-postgres: error: no PostgreSQL server binaries (initdb, pg_ctl) found; install PostgreSQL server (e.g. apt-get install postgresql) or set STREAMVAULT_CONNECTION" >&2
	exit 2
}
PSQL="$BIN_DIR/psql"
[[ -x "$PSQL" ]] || PSQL="$(command -v psql || true)"
[[ -n "$PSQL" ]] || die 2 "psql not found next to $BIN_DIR/initdb nor on PATH; install the PostgreSQL client or set STREAMVAULT_CONNECTION"

# initdb and postgres refuse to run as root.
AS_POSTGRES=()
if [[ "$(id -u)" -eq 0 ]]; then
	id postgres >/dev/null 2>&1 || die 2 "running as root but there is no 'postgres' user to run the server as"
	command -v runuser >/dev/null 2>&1 || die 2 "running as root but runuser is not available"
	AS_POSTGRES=(runuser -u postgres --)
fi

# cd / so the server user never needs access to the caller's cwd; 9>&- keeps
# the lock fd out of the long-lived postmaster.
pg() { (cd / && "${AS_POSTGRES[@]}" "$@" 9>&-); }

connection_string() { printf 'Host=127.0.0.1;Port=%s;Database=%s;Username=postgres\n' "$1" "$DB_NAME"; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The first port from $1 (default DEFAULT_PORT) that nothing listens on.
pick_port() {
	local p
	for ((p = ${1:-$DEFAULT_PORT}; p < DEFAULT_PORT + 100; p++)); do
		port_in_use "$p" || { printf '%s\n' "$p"; return 0; }
	done
	die 1 "no free TCP port in $DEFAULT_PORT..$((DEFAULT_PORT + 99)) on 127.0.0.1"
}

is_running() { [[ -f "$PGDATA_DIR/PG_VERSION" ]] && pg "$BIN_DIR/pg_ctl" status -D "$PGDATA_DIR" >/dev/null 2>&1; }

stored_port() { [[ -s "$PORT_FILE" ]] && tr -dc '0-9' <"$PORT_FILE"; }

psql_q() { PGCONNECT_TIMEOUT=10 "$PSQL" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U postgres -d postgres -At -c "$2"; }

prepare_dirs() {
	mkdir -p "$STATE_DIR" "$RUN_DIR"
	touch "$LOG_FILE"
	if [[ ${#AS_POSTGRES[@]} -gt 0 ]]; then
		chmod 755 "$STATE_DIR"
		[[ -d "$PGDATA_DIR" ]] || mkdir -m 700 "$PGDATA_DIR"
		chown -R postgres: "$PGDATA_DIR" "$RUN_DIR" "$LOG_FILE"
		pg test -w "$PGDATA_DIR" ||
			die 1 "user postgres cannot write $PGDATA_DIR (a parent directory is not traversable?)"
	fi
}

init_cluster() {
	local locale=C
	# C.UTF-8 keeps byte-order collation but gives a UTF-8 ctype.
	locale -a 2>/dev/null | grep -qix 'c\.utf-\?8' && locale=C.UTF-8
	log "initialising cluster in $PGDATA_DIR ($BIN_DIR)"
	pg "$BIN_DIR/initdb" -D "$PGDATA_DIR" -A trust -U postgres --encoding=UTF8 --locale="$locale" >>"$LOG_FILE" 2>&1 ||
		die 1 "initdb failed; see $LOG_FILE"
}

cmd_start() {
	local port sock_dir
	prepare_dirs
	[[ -f "$PGDATA_DIR/PG_VERSION" ]] || init_cluster

	if is_running; then
		port="$(stored_port || true)"
		[[ -n "$port" ]] || die 1 "server is running but $PORT_FILE is missing; run '$0 stop' and start again"
		log "reusing running server on port $port"
	else
		port="$(stored_port || true)"
		if [[ -z "$port" ]] || port_in_use "$port"; then
			[[ -n "$port" ]] && log "port $port is taken by another process; choosing a new one"
			port="$(pick_port)"
			printf '%s\n' "$port" >"$PORT_FILE"
		fi
		# Unix socket paths are limited to ~107 bytes; we connect over TCP anyway.
		sock_dir="$RUN_DIR"
		((${#RUN_DIR} + 20 < 100)) || sock_dir=""
		local attempt log_size
		for attempt in 1 2 3 4 5; do
			log "starting server on 127.0.0.1:$port (log: $LOG_FILE)"
			log_size="$(stat -c %s "$LOG_FILE")"
			# A postmaster.pid left by a killed server is detected and removed by postgres itself.
			pg "$BIN_DIR/pg_ctl" start -D "$PGDATA_DIR" -l "$LOG_FILE" -w -t 60 \
				-o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$sock_dir'" >/dev/null && break
			# The probe only sees listeners: a port can be bound without listening (the local end of another
			# program's connection) or taken between probe and start. Then the next free port is tried.
			if ((attempt < 5)) && tail -c "+$((log_size + 1))" "$LOG_FILE" | grep -q 'could not create any TCP/IP sockets'; then
				log "port $port could not be bound; choosing another one"
				port="$(pick_port "$((port + 1))")"
				printf '%s\n' "$port" >"$PORT_FILE"
				continue
			fi
			die 1 "server failed to start; see $LOG_FILE"
		done
	fi

	local exists
	exists="$(psql_q "$port" "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" ||
		die 1 "cannot connect to 127.0.0.1:$port; see $LOG_FILE"
	if [[ "$exists" != 1 ]]; then
		log "creating database $DB_NAME"
		psql_q "$port" "CREATE DATABASE $DB_NAME" >/dev/null
	fi
	connection_string "$port"
}

cmd_stop() {
	if is_running; then
		log "stopping server"
		pg "$BIN_DIR/pg_ctl" stop -D "$PGDATA_DIR" -m fast -w -t 60 >/dev/null
	else
		log "server is not running"
	fi
}

cmd_status() {
	if is_running; then
		connection_string "$(stored_port || true)"
	else
		echo stopped
		return 3
	fi
}

main() {
	local action="${1:-}"
	case "$action" in
		start | stop | status) ;;
		*) printf 'usage: %s start|stop|status\n' "$0" >&2; exit 64 ;;
	esac
	mkdir -p "$STATE_DIR"
	# Serialise concurrent invocations (e.g. two migrate.sh runs racing on first start).
	if command -v flock >/dev/null 2>&1; then
		exec 9>"$STATE_DIR/lock"
		flock -w 120 9 || die 1 "timed out waiting for $STATE_DIR/lock"
	fi
	"cmd_$action"
}

main "$@"
