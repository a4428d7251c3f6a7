#!/bin/sh
# pg_connect.sh - pg_connect() against a real throwaway PostgreSQL (started
# here on a random port, stopped on exit): every failure class the fixture
# can produce, the timeout against a listener that never answers, cancel via
# the ctx flag, and the read-only session contract.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pg.sh"

PROBE="$top_builddir/tests/pg-probe"
[ -x "$PROBE" ] || bail "tests/pg-probe not built (make check builds it)"

pg_start
# No password from the caller's files: each case says where its password comes from.
PGPASSFILE="$PG_TEST_DIR/no-pgpass"
export PGPASSFILE
unset PGPASSWORD PGSERVICE PGSSLMODE
H="host=127.0.0.1 port=$PGPORT"

# run_probe ARGS...: output in $out; key=value lines
run_probe() { out=$(timeout 120 "$PROBE" "$@" 2>&1); }
val() { printf '%s\n' "$out" | sed -n "s/^$1=//p" | head -n 1; }

run_probe connect "$H user=osm_admin dbname=postgres"
is "$(val class)" ok "trusted superuser connects"
is "$(val ssl)" off "no TLS on the plain fixture"

PGPROBE_TARGET_PASSWORD=osm_app_demo run_probe connect "$H user=osm_app dbname=postgres"
is "$(val class)" ok "password from the in-memory secrets is used"

PGPASSFILE=$FIXTURE_PGPASS run_probe connect "$H user=osm_app dbname=postgres"
is "$(val class)" ok "password from a pgpass file (libpq's own source)"

PGPROBE_TARGET_PASSWORD=wrong-password run_probe connect "$H user=osm_app dbname=postgres"
is "$(val class)" "authentication failed" "wrong password is an authentication failure"
case $(val fix) in *pgpass*pg_hba*) r=0 ;; *) r=1 ;; esac
ok $r "its fix names the password sources and pg_hba.conf"
case $out in *wrong-password*) r=1 ;; *) r=0 ;; esac
ok $r "the password never appears in the output"

run_probe connect "$H user=osm_app dbname=postgres"
is "$(val class)" "password needed" "no password anywhere: the operator must be asked"

run_probe connect "$H user=osm_admin dbname=no_such_db"
is "$(val class)" "database does not exist" "unknown database"
case $(val message) in *no_such_db*) r=0 ;; *) r=1 ;; esac
ok $r "the message keeps libpq's words (names the database)"

PGPROBE_TARGET_PASSWORD=osm_nolimit_demo run_probe connect "$H user=osm_nolimit dbname=postgres"
is "$(val class)" "too many connections" "role at its connection limit"

# A port bound but not listening: refused, and nobody can take it meanwhile.
"$PROBE" listen --refuse >"$PG_TEST_DIR/refuse.port" &
PG_CLEANUP_PIDS="$PG_CLEANUP_PIDS $!"
# A listener that accepts and never says a word.
"$PROBE" listen >"$PG_TEST_DIR/silent.port" &
PG_CLEANUP_PIDS="$PG_CLEANUP_PIDS $!"
for _ in 1 2 3 4 5 6 7 8 9 10; do
	[ -s "$PG_TEST_DIR/refuse.port" ] && [ -s "$PG_TEST_DIR/silent.port" ] && break
	sleep 0.2
done
refuse=$(cat "$PG_TEST_DIR/refuse.port")
silent=$(cat "$PG_TEST_DIR/silent.port")
[ -n "$refuse" ] && [ -n "$silent" ] || bail "test listeners did not start"

run_probe connect "host=127.0.0.1 port=$refuse user=x dbname=y"
is "$(val class)" "connection refused" "nothing listening: refused"

run_probe connect --timeout 2 "host=127.0.0.1 port=$silent user=x dbname=y"
is "$(val class)" "timed out" "a listener that never answers: our timeout fires"
case $(val message) in *"within 2 s"*) r=0 ;; *) r=1 ;; esac
ok $r "the message says which timeout ($(val message))"

# connect_timeout given by the operator wins over the context's default.
run_probe connect --timeout 60 "host=127.0.0.1 port=$silent user=x dbname=y connect_timeout=2"
is "$(val class)" "timed out" "the operator's connect_timeout is honoured"

# Cancel: with a 60 s timeout, only the cancel flag can end this in time;
# "cancelled" (not "timed out") proves the flag was polled.
run_probe connect --timeout 60 --cancel-after 300 "host=127.0.0.1 port=$silent user=x dbname=y"
is "$(val class)" "cancelled" "Esc (ctx cancel flag) ends a hanging connect"

run_probe connect "$H user=osm_admin dbname=postgres sslmode=require"
is "$(val class)" "TLS failed" "sslmode=require against a server without TLS"

run_probe connect "host=nosuch.invalid port=5432 user=x dbname=y"
is "$(val class)" "name not resolved" "unknown host name"

# The session contract: read-only, named, with a statement timeout.
run_probe sql "$H user=osm_admin dbname=postgres" "SELECT current_setting('application_name') AS app, current_setting('default_transaction_read_only') AS ro, current_setting('statement_timeout') AS st"
is "$(val app)" osmigrate "application_name = osmigrate"
is "$(val ro)" on "default_transaction_read_only = on"
is "$(val st)" 10s "statement_timeout set from the context timeout"
run_probe sql "$H user=osm_admin dbname=postgres" "CREATE TABLE must_not_exist (i int)"
case $(val sql_error) in *read-only*) r=0 ;; *) r=1 ;; esac
ok $r "even a superuser's write is refused (read-only transaction)"
n=$(pg_psql -Atc "SELECT count(*) FROM pg_class WHERE relname = 'must_not_exist'")
is "$n" 0 "nothing was created"

# A long statement is cancelled on the server when the flag is set.
run_probe sql --timeout 60 --cancel-after 500 "$H user=osm_admin dbname=postgres" "SELECT pg_sleep(30)"
is "$(val sql_error)" cancelled "a running query is cancelled via the flag"

# Single-row streaming: all rows, an early stop, a cancel; the connection
# stays usable after each.
run_probe stream "$H user=osm_admin dbname=postgres" "SELECT g FROM generate_series(1, 100000) g"
is "$(val rows)/$(val ok)/$(val after)" "100000/yes/1" "pg_stream delivers every row"
run_probe stream --stop-after 10 "$H user=osm_admin dbname=postgres" "SELECT g FROM generate_series(1, 100000) g"
is "$(val rows)/$(val ok)/$(val after)" "10/no/1" "the row callback stops the stream; connection reusable"
run_probe stream --timeout 60 --cancel-after 500 "$H user=osm_admin dbname=postgres" "SELECT g FROM pg_sleep(30), generate_series(1, 3) g"
is "$(val stream_error)/$(val after)" "cancelled/1" "a stream is cancelled via the flag; connection reusable"

# A conninfo URI with expand_dbname.
run_probe connect "postgresql://osm_admin@127.0.0.1:$PGPORT/postgres"
is "$(val class)" ok "postgresql:// URI"

done_testing
