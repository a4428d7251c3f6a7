#!/bin/sh
# types_cancel.sh - a probe that cannot finish: another session holds an
# ACCESS EXCLUSIVE lock on the table.  --probe-timeout ends it with "could
# not check" (exit 3) naming the table, cause timeout and its fix; SIGINT cancels it promptly (exit
# 130) and the server-side query is gone afterwards.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pg.sh"

pg_start
work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-types.XXXXXX")
locker=
cleanup() {
	[ -n "$locker" ] && kill "$locker" 2>/dev/null
	pg_cleanup
	rm -rf "$work"
}
trap cleanup EXIT
export PGCONNECT_TIMEOUT=10 PGPASSFILE="$work/no-pgpass"
DB="host=$PGHOST port=$PGPORT user=osm_admin dbname=postgres"

pg_psql -X -q -v ON_ERROR_STOP=1 -d postgres >/dev/null <<'SQL' || bail "could not create the table"
CREATE TABLE held (id integer PRIMARY KEY, d date);
INSERT INTO held VALUES (1, '1800-01-01');
SQL

# Hold the lock for up to a minute in the background.
pg_psql -X -q -d postgres -c "BEGIN; LOCK TABLE held IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60); COMMIT;" \
	>/dev/null 2>&1 &
locker=$!
i=0
until [ "$(pg_psql -X -A -t -d postgres -c "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'held' AND l.mode = 'AccessExclusiveLock' AND l.granted")" = 1 ]; do
	i=$((i + 1)); [ $i -lt 100 ] || bail "the lock was not taken"; sleep 0.1
done

"$OSMIGRATE" types "$DB" --table public.held --probe-timeout 1 --format json >"$work/t.json" 2>"$work/err"
is "$?" 3 "probe blocked past --probe-timeout: exit 3 (could not check)"
is "$(jq -r '.errors[0].table' "$work/t.json" 2>/dev/null)" "held" "the table is named in errors"
grep -q 'statement timeout' "$work/t.json"
ok $? "the reason is the statement timeout"
is "$(jq -r '.errors[0].cause' "$work/t.json" 2>/dev/null)" timeout "PROBE_FAILED cause: timeout"
jq -r '.errors[0].fix' "$work/t.json" 2>/dev/null | grep -q '^Raise --probe-timeout'
ok $? "and only a timeout is told to raise --probe-timeout"

"$OSMIGRATE" types "$DB" --table public.held >"$work/out" 2>"$work/err" &
pid=$!
i=0
until [ "$(pg_psql -X -A -t -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'osmigrate' AND query LIKE '%FROM \"public\".\"held\"%' AND wait_event_type = 'Lock'")" = 1 ]; do
	i=$((i + 1)); [ $i -lt 100 ] || bail "the probe never started"; sleep 0.1
done
start=$(date +%s)
kill -INT "$pid"
wait "$pid"
rc=$?
is "$rc" 130 "SIGINT during a probe: exit 130"
[ $(($(date +%s) - start)) -le 5 ]
ok $? "the probe was cancelled promptly"
grep -q 'interrupted' "$work/err"
ok $? "stderr says it was interrupted"
sleep 0.5
is "$(pg_psql -X -A -t -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'osmigrate'")" 0 \
	"no osmigrate session or query left on the server"
done_testing
