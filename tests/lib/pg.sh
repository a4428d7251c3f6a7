# pg.sh - shell helpers for tests that need a PostgreSQL server.  Source it
# after tap.sh, then:
#   pg_start [--tls] [--log-statements]   start a throwaway server (random
#        port) in a fresh directory, source its env (PGHOST, PGPORT, PGUSER,
#        FIXTURE_*), and stop it and remove the directory on exit, also on
#        failure or a signal.  Skips the whole test (exit 0 with a TAP skip
#        plan) when no PostgreSQL server binaries are installed.
#   pg_psql ARGS...                       psql as osm_admin over the socket
# $top_srcdir must be set (make check does).
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PGFIXTURE="$top_srcdir/scripts/pgfixture.sh"
PG_TEST_DIR=

# Background helpers a test starts (listeners...) are killed by pid on exit:
# add their pids to PG_CLEANUP_PIDS.
PG_CLEANUP_PIDS=

pg_cleanup() {
	for p in $PG_CLEANUP_PIDS; do kill "$p" 2>/dev/null || true; done
	PG_CLEANUP_PIDS=
	if [ -n "$PG_TEST_DIR" ]; then
		sh "$PGFIXTURE" stop "$PG_TEST_DIR" >/dev/null 2>&1 || true
		if [ -f "$PG_TEST_DIR/rundir" ]; then rm -rf "$(cat "$PG_TEST_DIR/rundir")"; fi
		if [ -f "$PG_TEST_DIR/sockdir" ]; then rm -rf "$(cat "$PG_TEST_DIR/sockdir")"; fi
		rm -rf "$PG_TEST_DIR"
		PG_TEST_DIR=
	fi
}

pg_have_server() {
	ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || command -v pg_ctl >/dev/null 2>&1
}

pg_start() {
	if ! pg_have_server; then
		echo "1..0 # SKIP PostgreSQL server binaries not installed (scripts/deps.sh installs them)"
		exit 0
	fi
	PG_TEST_DIR=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-test-pg.XXXXXX")
	trap 'pg_cleanup' EXIT
	trap 'pg_cleanup; exit 129' HUP
	trap 'pg_cleanup; exit 130' INT
	trap 'pg_cleanup; exit 143' TERM
	if ! sh "$PGFIXTURE" start "$PG_TEST_DIR" "$@" >"$PG_TEST_DIR.start.log" 2>&1; then
		cat "$PG_TEST_DIR.start.log" | sed 's/^/# /'
		rm -f "$PG_TEST_DIR.start.log"
		bail "could not start the PostgreSQL fixture"
	fi
	rm -f "$PG_TEST_DIR.start.log"
	# shellcheck disable=SC1091
	. "$PG_TEST_DIR/env"
}

pg_psql() {
	sh "$PGFIXTURE" psql "$PG_TEST_DIR" "$@"
}
