#!/bin/sh
# tui_checks: r runs the step's checks in a worker thread while the screen
# keeps drawing; results are shown with their fix and stored in the state;
# a needed password is asked with echo off and never written, the one the
# result names (the side of a comparison that lacked it); Esc cancels a
# check that hangs.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
. "$top_srcdir/tests/lib/pg.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"
pg_start
trap 'pg_cleanup; _tmux_cleanup' EXIT
trap 'pg_cleanup; _tmux_cleanup; exit 1' INT TERM HUP

answers=$TMUX_WORK/answers.ini
cat >"$answers" <<EOA
[target]
host = 127.0.0.1
port = $PGPORT
dbname = postgres
user = osm_app
sslmode = disable
EOA
state=$TMUX_WORK/cm.ini
# No password anywhere libpq would look: the wizard must ask.
run() {
	tmux_start 100 30 env -u PGPASSWORD PGPASSFILE="$TMUX_WORK/none" HOME="$TMUX_WORK" \
		PGSERVICEFILE="$TMUX_WORK/none" "$OSMIGRATE" "$@"
}
run --answers "$answers" --state "$state" connector-migration
tmux_wait "Actions (Space ticks)"; ok $? "wizard opens with an answers file"
grep -q "^port = $PGPORT" "$state"; ok $? "answers pre-filled the settings and were saved"
tmux_keys n
tmux_wait "step 2/9"
tmux_keys r
tmux_wait "Password for the target database" 20; ok $? "a needed password is asked"
tmux_text "osm_app_demo"
sleep 0.2
tmux_screen | grep -q osm_app_demo; [ $? -ne 0 ]; ok $? "the password is not echoed"
tmux_keys Enter
tmux_wait "kept in memory: press r"; ok $? "password taken"
tmux_keys r
tmux_wait "ok      connection to target" 20; ok $? "target connection ok with the typed password"
grep -q '^\[check "target_connect"\]' "$state"; ok $? "results stored in the state"
sed -n '/^\[check "target_connect"\]/,/^\[/p' "$state" | grep -q '^status = ok'; ok $? "stored status ok"
grep -rq osm_app_demo "$TMUX_WORK" ; [ $? -ne 0 ]; ok $? "the password is in no file"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"

# A server that accepts the TCP connection and never answers: the check
# waits, the screen shows progress, Esc cancels it promptly.
port=$(python3 - <<'EOP'
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
EOP
)
python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16)
open(sys.argv[2], "w").close()
time.sleep(120)' "$port" "$TMUX_WORK/listening" &
PG_CLEANUP_PIDS="$PG_CLEANUP_PIDS $!"
n=50; while [ ! -f "$TMUX_WORK/listening" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
[ -f "$TMUX_WORK/listening" ]; ok $? "a listener that never answers is up"
cat >"$answers" <<EOA
[target]
host = 127.0.0.1
port = $port
dbname = postgres
user = osm_app
connect_timeout = 60
EOA
state2=$TMUX_WORK/hang.ini
run --answers "$answers" --state "$state2" connector-migration
tmux_wait "Actions (Space ticks)"
tmux_keys n
tmux_wait "step 2/9"
tmux_keys r
tmux_wait "(Esc cancels)"; ok $? "progress shown while the check runs"
sleep 1
tmux_wait "(Esc cancels)" 1; ok $? "still running after a second (it hangs)"
t0=$(date +%s)
tmux_keys Escape
tmux_wait_gone "(Esc cancels)" 5; ok $? "Esc cancels the running check"
t1=$(date +%s)
[ $((t1 - t0)) -le 3 ]; ok $? "cancelled within 3 s ($((t1 - t0)) s)"
tmux_keys j
tmux_screen | grep -q 'step 2/9'; ok $? "the wizard still answers keys"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"

# The clone comparison: the password of the side that lacked one is asked
# (the result names it), also when the other database's name says "new".
pg_psql -X -q -d postgres -c 'CREATE DATABASE newshop' -c 'CREATE DATABASE shop_copy' \
	>/dev/null || bail "could not create the databases"
cat >"$answers" <<EOA
[compare]
old = host=127.0.0.1 port=$PGPORT dbname=newshop user=osm_app sslmode=disable
new = host=127.0.0.1 port=$PGPORT dbname=shop_copy user=osm_app sslmode=disable
EOA
state3=$TMUX_WORK/rd.ini
run --answers "$answers" --state "$state3" restore-database
tmux_wait "Actions (Space ticks)"
for i in 1 2 3 4 5; do tmux_keys n; done
tmux_wait "Verify the clone"
tmux_wait "step 6/"; ok $? "verify step"
tmux_keys r
tmux_wait "Password for the old database" 20; ok $? "the old side's password is asked"
sed -n '/^\[check "clone_compare"\]/,/^\[/p' "$state3" | grep -q '^needs = compare_old_password$'
ok $? "the result names the password it lacked"
tmux_text "osm_app_demo"
tmux_keys Enter
tmux_wait "kept in memory: press r"
tmux_keys r
tmux_wait "Password for the new (restored) database" 20; ok $? "then the new side's"
tmux_text "osm_app_demo"
tmux_keys Enter
tmux_wait "kept in memory: press r"
tmux_keys r
tmux_wait "identical structure" 30; ok $? "both typed passwords used: the databases compared"
sed -n '/^\[check "clone_compare"\]/,/^\[/p' "$state3" | grep -q '^needs'; [ $? -ne 0 ]
ok $? "a result that lacked nothing names nothing"
grep -rq osm_app_demo "$TMUX_WORK" ; [ $? -ne 0 ]; ok $? "the passwords are in no file"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
done_testing
