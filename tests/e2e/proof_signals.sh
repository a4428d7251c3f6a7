#!/bin/sh
# proof_signals.sh - SIGINT, SIGTERM and SIGHUP (a closed SSH session) while
# osmigrate waits on the network: exit 130/143/129 promptly, state saved,
# nothing recorded as ok, the terminal restored, no session left behind on
# the server.
#   headless `check` blocked in a connection attempt (a listener that never
#   speaks); headless `types` blocked in a probe (a table locked by another
#   session) with TERM and HUP (types_cancel.sh covers INT);
#   the wizard (tmux) with a check hanging in the connection attempt, and
#   with the type scan blocked in a probe; before that, a key press (help)
#   is served while the check hangs and Esc cancels it.
# tui_signals.sh covers the idle wizard and open prompts.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pg.sh"
. "$top_srcdir/tests/lib/proof.sh"

LISTENER=$top_builddir/tests/tools/proof-listener
[ -x "$LISTENER" ] || { echo "1..0 # SKIP tests/tools/proof-listener is not built (make check builds it)"; exit 0; }
pg_start
proof_workdir signals
W=$PROOF_WORK
export PGPASSFILE="$W/no-pgpass" HOME="$W" PGPASSWORD=not-a-secret
unset PGSERVICEFILE PGSERVICE

now_ms() { echo $(($(date +%s%N) / 1000000)); }
want_of() { case $1 in INT) echo 130 ;; TERM) echo 143 ;; HUP) echo 129 ;; esac; }

"$LISTENER" silent "$W/silent.port" &
proof_on_exit "kill $! 2>/dev/null"
proof_wait_file "$W/silent.port" || bail "the silent listener did not start"
silent=$(cat "$W/silent.port")
printf '[target]\nhost = 127.0.0.1\nport = %s\ndbname = demo\nuser = osm_app\nconnect_timeout = 60\n' \
	"$silent" >"$W/silent.ini"

# --- headless check, blocked in connect ----------------------------------
for sig in INT TERM HUP; do
	st=$W/check-$sig.ini
	"$OSMIGRATE" check connector-migration --answers "$W/silent.ini" --state "$st" --step connection \
		>"$W/check-$sig.out" 2>&1 </dev/null &
	pid=$!
	sleep 1
	t0=$(now_ms)
	kill -$sig $pid
	wait $pid
	rc=$?
	el=$(($(now_ms) - t0))
	is "$rc" "$(want_of $sig)" "check, connecting: SIG$sig exits $(want_of $sig)"
	[ $el -lt 3000 ]
	ok $? "check, connecting: SIG$sig ends it in $el ms (connect_timeout is 60 s)"
	awk '/^\[check "target_connect"\]/ { p = 1; next } /^\[/ { p = 0 } p && /^status = error$/ { f = 1 } END { exit !f }' "$st"
	ok $? "check, connecting: SIG$sig: the result is saved as error (could not check), never ok"
done

# --- headless types, blocked in a probe -----------------------------------
pg_psql -X -q -v ON_ERROR_STOP=1 -d postgres >/dev/null <<'SQL' || bail "could not create the table"
CREATE TABLE held (id integer PRIMARY KEY, d date);
INSERT INTO held VALUES (1, '1800-01-01');
GRANT SELECT ON held TO osm_app;
SQL
pg_psql -X -q -d postgres -c "BEGIN; LOCK TABLE held IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120); COMMIT;" \
	>/dev/null 2>&1 &
proof_on_exit "kill $! 2>/dev/null"
i=0
until [ "$(pg_psql -X -A -t -d postgres -c "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'held' AND l.mode = 'AccessExclusiveLock' AND l.granted")" = 1 ]; do
	i=$((i + 1)); [ $i -lt 100 ] || bail "the lock was not taken"; sleep 0.1
done
blocked() {  # wait until an osmigrate session waits on the lock
	_i=0
	until [ "$(pg_psql -X -A -t -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'osmigrate' AND wait_event_type = 'Lock'")" = 1 ]; do
		_i=$((_i + 1)); [ $_i -lt "${1:-100}" ] || return 1; sleep 0.1
	done
}
sessions_gone() {
	_i=0
	until [ "$(pg_psql -X -A -t -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'osmigrate'")" = 0 ]; do
		_i=$((_i + 1)); [ $_i -lt 30 ] || return 1; sleep 0.1
	done
}
DB="host=127.0.0.1 port=$PGPORT user=osm_admin dbname=postgres"
for sig in TERM HUP; do
	"$OSMIGRATE" types "$DB" --table public.held >"$W/types-$sig.out" 2>"$W/types-$sig.err" &
	pid=$!
	blocked || bail "the probe never blocked"
	t0=$(now_ms)
	kill -$sig $pid
	wait $pid
	rc=$?
	el=$(($(now_ms) - t0))
	is "$rc" "$(want_of $sig)" "types, probing: SIG$sig exits $(want_of $sig)"
	[ $el -lt 3000 ]
	ok $? "types, probing: SIG$sig ends it in $el ms"
	grep -q 'interrupted' "$W/types-$sig.err"
	ok $? "types, probing: SIG$sig: stderr says it was interrupted"
	sessions_gone
	ok $? "types, probing: SIG$sig: the probe's session is gone from the server"
done

# --- the wizard -------------------------------------------------------------
if ! command -v tmux >/dev/null 2>&1; then
	skip "tmux is not installed: no wizard under signals"
	done_testing
fi
. "$top_srcdir/tests/lib/tmux.sh"
trap '_tmux_cleanup; proof_cleanup' EXIT
trap '_tmux_cleanup; proof_cleanup; exit 1' INT TERM HUP

wizard() {  # STATE ANSWERS
	tmux_start 100 30 env PGPASSWORD=not-a-secret PGPASSFILE="$W/no-pgpass" HOME="$W" \
		"$OSMIGRATE" --answers "$2" --state "$1" connector-migration
}
sendsig() {
	if [ "$1" = INT ]; then tmux_keys C-c; else kill -"$1" "$(tmux_pane_pid)"; fi
}

# The screen stays responsive while a check hangs: help opens and closes,
# the check keeps running, Esc cancels it, nothing is ok.
st=$W/wiz-keys.ini
wizard "$st" "$W/silent.ini"
tmux_wait "Actions (Space ticks)"
tmux_keys n
tmux_wait "step 2/9"
tmux_keys r
tmux_wait "(Esc cancels)"
ok $? "wizard, hanging check: progress shown"
tmux_keys '?'
tmux_wait "Help (" 2
ok $? "wizard, hanging check: a key press is served at once (help opens)"
# Up/Down (and j/k) scroll the help; another key closes it.
tmux_keys x
tmux_wait_gone "Help (" 2 && tmux_wait "(Esc cancels)" 2
ok $? "wizard, hanging check: help closes and the check is still running"
tmux_keys Escape
tmux_wait "(cancelled)" 5
ok $? "wizard, hanging check: Esc cancels it"
tmux_keys q
tmux_wait_exit 5
is "$tmux_rc" 0 "wizard, hanging check: q exits 0 after the cancel"
! grep -A1 '^\[check "target_connect"\]' "$st" | grep -q '^status = ok$'
ok $? "wizard, hanging check: nothing recorded as ok"

for sig in INT TERM HUP; do
	st=$W/wiz-$sig.ini
	wizard "$st" "$W/silent.ini"
	tmux_wait "Actions (Space ticks)"
	tmux_keys n
	tmux_wait "step 2/9"
	tmux_keys r
	tmux_wait "(Esc cancels)"
	ok $? "wizard, connecting ($sig): the check is running"
	t0=$(now_ms)
	sendsig $sig
	tmux_wait_exit 5
	el=$(($(now_ms) - t0))
	is "$tmux_rc" "$(want_of $sig)" "wizard, connecting: SIG$sig exits $(want_of $sig) ($el ms)"
	tmux_stty_same
	ok $? "wizard, connecting: SIG$sig: terminal modes restored"
	grep -q '^current = connection$' "$st"
	ok $? "wizard, connecting: SIG$sig: state saved at the step"
	! grep -A1 '^\[check "target_connect"\]' "$st" | grep -q '^status = ok$'
	ok $? "wizard, connecting: SIG$sig: nothing recorded as ok"
done

cat >"$W/types.ini" <<EOF
[target]
host = 127.0.0.1
port = $PGPORT
dbname = postgres
user = osm_admin
connect_timeout = 10

[extension "Held"]
logical_database = held
tables = public.held
EOF
for sig in TERM HUP; do
	st=$W/wiz-types-$sig.ini
	wizard "$st" "$W/types.ini"
	tmux_wait "Actions (Space ticks)"
	tmux_keys n n
	tmux_wait "step 3/9"
	ok $? "wizard, types ($sig): on the type verification step"
	tmux_keys r
	blocked 150
	ok $? "wizard, types ($sig): the scan is blocked in the probe"
	t0=$(now_ms)
	sendsig $sig
	tmux_wait_exit 5
	el=$(($(now_ms) - t0))
	is "$tmux_rc" "$(want_of $sig)" "wizard, types: SIG$sig exits $(want_of $sig) ($el ms)"
	tmux_stty_same
	ok $? "wizard, types: SIG$sig: terminal modes restored"
	grep -q '^current = type_scan$' "$st"
	ok $? "wizard, types: SIG$sig: state saved at the step"
	sessions_gone
	ok $? "wizard, types: SIG$sig: the probe's session is gone from the server"
done

done_testing
