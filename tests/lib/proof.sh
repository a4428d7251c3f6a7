# proof.sh - shared setup of the proof_*.sh tests (issue 7).  Source it after
# tap.sh (and pg.sh when the test needs PostgreSQL), then:
#
#   proof_workdir NAME      PROOF_WORK=a fresh 0700 directory, removed on exit
#                           together with everything proof_* started
#   proof_on_exit CMD       run CMD (a shell string) on exit, before the rest
#   proof_http              start the nginx fixture in $PROOF_WORK/http and
#                           source its env (HTTP_BASE, LIFETIME_URL, ...);
#                           skips the whole test when nginx is missing
#   proof_demo [--crafted]  (after pg_start) load demo/seed.sql, optionally
#                           tests/lib/proof_crafted.sql, copy the database to
#                           demo_restored, create the SELECT-only role
#                           osm_ro, and write $PROOF_WORK/pgpass and
#                           $PROOF_WORK/services with services proof-app
#                           (osm_app on demo) and proof-ro (osm_ro on demo);
#                           exports PGPASSFILE and PGSERVICEFILE
#   proof_answers SERVICE FILE [EXTRA_SCHEMAS [EXTRA_TABLES]]
#                           demo/answers.ini.in filled in for the fixtures,
#                           [target]/[source]/[compare] on SERVICE
#
# PROOF_KEEP=1 keeps the work directory (not the servers) for a post-mortem.
# Everything runs on loopback, on random ports, and is stopped by pid or by
# the fixtures' own stop commands on exit, also after a failure or a signal.
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
PROOF_WORK=
PROOF_EXIT_CMDS=
PROOF_HTTP=

proof_cleanup() {
	set +e
	eval "$PROOF_EXIT_CMDS"
	PROOF_EXIT_CMDS=
	if [ -n "$PROOF_HTTP" ]; then
		sh "$top_srcdir/scripts/httpfixture.sh" stop "$PROOF_HTTP" >/dev/null 2>&1
		PROOF_HTTP=
	fi
	command -v pg_cleanup >/dev/null 2>&1 && pg_cleanup
	# PROOF_KEEP=1 keeps the work directory for a post-mortem.
	if [ -n "$PROOF_WORK" ] && [ -z "${PROOF_KEEP:-}" ]; then rm -rf "$PROOF_WORK"; fi
	PROOF_WORK=
}

proof_workdir() {
	PROOF_WORK=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-proof-$1.XXXXXX")
	chmod 700 "$PROOF_WORK"
	trap 'proof_cleanup' EXIT
	trap 'proof_cleanup; exit 129' HUP
	trap 'proof_cleanup; exit 130' INT
	trap 'proof_cleanup; exit 143' TERM
}

# pg_start installs its own traps: call it first, then proof_workdir, whose
# cleanup also calls pg_cleanup.
proof_on_exit() {
	PROOF_EXIT_CMDS="$1
$PROOF_EXIT_CMDS"
}

proof_http() {
	if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
		echo "1..0 # SKIP nginx is not installed (scripts/deps.sh installs nginx-light)"
		exit 0
	fi
	PROOF_HTTP=$PROOF_WORK/http
	sh "$top_srcdir/scripts/httpfixture.sh" start "$PROOF_HTTP" >"$PROOF_WORK/http.log" 2>&1 ||
		{ diag "$(cat "$PROOF_WORK/http.log")"; bail "could not start the nginx fixture"; }
	# shellcheck disable=SC1091
	. "$PROOF_HTTP/env"
}

proof_demo() {
	pg_psql -X -q -v ON_ERROR_STOP=1 -f "$top_srcdir/demo/seed.sql" >/dev/null 2>"$PROOF_WORK/seed.err" ||
		{ diag "$(cat "$PROOF_WORK/seed.err")"; bail "could not load demo/seed.sql"; }
	if [ "${1:-}" = --crafted ]; then
		pg_psql -X -q -v ON_ERROR_STOP=1 -d demo -f "$top_srcdir/tests/lib/proof_crafted.sql" \
			>/dev/null 2>"$PROOF_WORK/seed.err" ||
			{ diag "$(cat "$PROOF_WORK/seed.err")"; bail "could not load tests/lib/proof_crafted.sql"; }
	fi
	# The SELECT-only role: USAGE on every user schema, SELECT on every table
	# and sequence.
	pg_psql -X -q -v ON_ERROR_STOP=1 -d demo >/dev/null 2>"$PROOF_WORK/seed.err" <<'SQL' ||
SET client_min_messages = warning;
DO $$
DECLARE s text;
BEGIN
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'osm_ro') THEN
		CREATE ROLE osm_ro LOGIN PASSWORD 'osm_ro_proof';
	END IF;
	FOR s IN SELECT nspname FROM pg_namespace
		  WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\_%' LOOP
		EXECUTE format('GRANT USAGE ON SCHEMA %I TO osm_ro', s);
		EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO osm_ro', s);
		-- SELECT on a sequence reads last_value; nextval needs USAGE/UPDATE.
		EXECUTE format('GRANT SELECT ON ALL SEQUENCES IN SCHEMA %I TO osm_ro', s);
	END LOOP;
END
$$;
SQL
		{ diag "$(cat "$PROOF_WORK/seed.err")"; bail "could not create the SELECT-only role"; }
	pg_psql -X -q -v ON_ERROR_STOP=1 -d postgres -c 'SET client_min_messages = warning' \
		-c 'DROP DATABASE IF EXISTS demo_restored' -c 'CREATE DATABASE demo_restored TEMPLATE demo' \
		>/dev/null 2>"$PROOF_WORK/seed.err" ||
		{ diag "$(cat "$PROOF_WORK/seed.err")"; bail "could not copy the demo database"; }
	(
		umask 077
		printf '127.0.0.1:%s:*:osm_app:osm_app_demo\n' "$PGPORT"
		printf 'localhost:%s:*:osm_app:osm_app_demo\n' "$PGPORT"
		printf '127.0.0.1:%s:*:osm_ro:osm_ro_proof\n' "$PGPORT"
	) >"$PROOF_WORK/pgpass"
	chmod 600 "$PROOF_WORK/pgpass"
	cat >"$PROOF_WORK/services" <<EOF
[proof-app]
host=127.0.0.1
port=$PGPORT
dbname=demo
user=osm_app
connect_timeout=10
[proof-ro]
host=127.0.0.1
port=$PGPORT
dbname=demo
user=osm_ro
connect_timeout=10
EOF
	PGPASSFILE=$PROOF_WORK/pgpass
	PGSERVICEFILE=$PROOF_WORK/services
	export PGPASSFILE PGSERVICEFILE
}

# proof_answers SERVICE FILE [EXTRA_SCHEMAS [EXTRA_TABLES]]: the extra words
# are written into the file as given (INI-escaped by the caller).
proof_answers() {
	sed -e "s|@PGPORT@|$PGPORT|g" -e "s|@HTTP_BASE@|${HTTP_BASE:-http://127.0.0.1:9}|g" \
	    -e "s|@LIFETIME_URL@|${LIFETIME_URL:-http://127.0.0.1:9/lifetimeapi/rest/v2}|g" \
	    -e "s|@TOKEN_FILE@|${LIFETIME_TOKEN_FILE:-/nonexistent}|g" \
	    -e "s|^service = osmigrate-demo$|service = $1|" \
	    -e "s|= service=osmigrate-demo|= service=$1|" \
	    "$top_srcdir/demo/answers.ini.in" |
		PROOF_EXTRA="${3:-}" awk '/^schemas = sales hr$/ && ENVIRON["PROOF_EXTRA"] != "" {
			print $0 " " ENVIRON["PROOF_EXTRA"]; next } { print }' >"$2"
	if [ -n "${4:-}" ]; then
		printf '\n[extension "Crafted"]\nlogical_database = crafted\ntables = %s\n' "$4" >>"$2"
	fi
}

# proof_wait_file FILE [TENTHS]: wait until FILE exists (default 10 s).
proof_wait_file() {
	_w=0
	while [ ! -e "$1" ] && [ $_w -lt "${2:-100}" ]; do sleep 0.1; _w=$((_w + 1)); done
	[ -e "$1" ]
}
