#!/bin/sh
# pg_check_cmd.sh - `osmigrate check connector-migration --step connection`
# (and refresh) on the real binary against a throwaway PostgreSQL seeded
# with demo/seed.sql: the exit code for each class of result, the
# "Checking ..." lines, results recorded in the state file, no password in it.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pg.sh"

[ -x "$OSMIGRATE" ] || bail "osmigrate not built"
pg_start
pg_psql -q -f "$top_srcdir/demo/seed.sql" >/dev/null || bail "demo/seed.sql did not load"
unset PGPASSWORD PGSERVICE PGSSLMODE PGPASSFILE
# Nothing of the caller's: the state goes to the test directory.
XDG_STATE_HOME="$PG_TEST_DIR/state"
HOME="$PG_TEST_DIR"
export XDG_STATE_HOME HOME

A="$PG_TEST_DIR/answers.ini"
answers() { # USER DBNAME [TABLES_OF_HR]
	cat >"$A" <<EOF
[target]
host = 127.0.0.1
port = $PGPORT
dbname = $2
user = $1

[scope]
schemas = sales hr

[extension "SalesExt"]
logical_database = Sales
tables = sales.customers sales.orders

[extension "HrExt"]
logical_database = HR
tables = ${3:-hr.employees hr.departments}
EOF
}
# check ARGS...: output in $out, exit status in $rc (never a terminal on stdin).
check() { rc=0; out=$(timeout 120 "$OSMIGRATE" check connector-migration "$@" </dev/null 2>&1) || rc=$?; }
line() { printf '%s\n' "$out" | grep -E "^Checking $1" | head -n 1; }
has() { case $1 in *"$2"*) return 0 ;; *) return 1 ;; esac; }

answers osm_app demo
PGPASSFILE=$FIXTURE_PGPASS check --answers "$A" --step connection
is "$rc" 0 "connection step all ok: exit 0"
has "$(line 'connection to target')" " ok"; ok $? "a 'Checking connection to target ... ok' line"
has "$(line 'privileges of target')" " ok"; ok $? "a 'Checking privileges ... ok' line"
has "$out" "source"; [ $? -ne 0 ]; ok $? "no line about a source that is not configured"

PGPASSFILE=$FIXTURE_PGPASS check --answers "$A" --step refresh
is "$rc" 0 "refresh step: extension tables accessible, exit 0"

answers osm_app demo "hr.employees hr.payroll"
PGPASSFILE=$FIXTURE_PGPASS check --answers "$A" --step refresh
is "$rc" 2 "a missing table: exit 2"
has "$out" "hr.payroll"; ok $? "the missing table is named"

answers osm_noprivs demo
PGPASSFILE=$FIXTURE_PGPASS check --answers "$A" --step connection
is "$rc" 2 "user without table privileges: exit 2"
has "$(line 'privileges of target')" "FAILED"; ok $? "privileges line FAILED"
has "$out" "sales.customers: no SELECT, INSERT, UPDATE, DELETE"; ok $? "names table and privileges"

answers osm_app no_such_db
PGPASSFILE=$FIXTURE_PGPASS check --answers "$A" --step connection
is "$rc" 2 "unknown database: exit 2"
has "$(line 'connection to target')" "FAILED"; ok $? "connection line FAILED"
has "$out" "database does not exist"; ok $? "classified: database does not exist"

answers osm_app demo
check --answers "$A" --step connection
is "$rc" 2 "no password anywhere and no terminal: exit 2"
has "$out" "password needed"; ok $? "classified: password needed"
has "$out" "pgpass"; ok $? "says where a password can come from"

PGPASSWORD=wrong-password-xyz check --answers "$A" --step connection
is "$rc" 2 "wrong password: exit 2"
has "$out" "authentication failed"; ok $? "classified: authentication failed"
has "$out" "wrong-password-xyz"; [ $? -ne 0 ]; ok $? "the password is not echoed"

printf '[scope]\nschemas = sales\n' >"$PG_TEST_DIR/empty.ini"
check --answers "$PG_TEST_DIR/empty.ini" --step connection
is "$rc" 3 "no [target]: could not check, exit 3"

# A warning only: an ardoPGSQL session is connected.
(PGAPPNAME=ardoPGSQL timeout 60 "$FIXTURE_BINDIR/psql" -X -q -h "$FIXTURE_SOCKDIR" -p "$PGPORT" \
	-U osm_admin -d demo -c "SELECT pg_sleep(45)" >/dev/null 2>&1) &
PG_CLEANUP_PIDS="$PG_CLEANUP_PIDS $!"
for _ in $(seq 1 50); do
	[ "$(pg_psql -Atc "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'ardoPGSQL'")" = 1 ] && break
	sleep 0.1
done
answers osm_app demo
PGPASSFILE=$FIXTURE_PGPASS check --answers "$A" --step connection
is "$rc" 1 "an ardoPGSQL session still connected: warnings only, exit 1"
has "$(line 'ardoPostgreSQL sessions')" "warning"; ok $? "the sessions line is a warning"
pg_psql -q -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'ardoPGSQL'" >/dev/null

# Results recorded in the state file, with no password in it.
st="$PG_TEST_DIR/cm.ini"
PGPASSWORD=osm_app_demo check --answers "$A" --state "$st" --step connection
is "$rc" 0 "with --state (password from PGPASSWORD): exit 0"
grep -q '^\[check "target_connect"\]' "$st"; ok $? "target_connect recorded in the state file"
grep -q 'osm_app_demo' "$st"; [ $? -ne 0 ]; ok $? "the password is not in the state file"

done_testing
