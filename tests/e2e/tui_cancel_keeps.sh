#!/bin/sh
# tui_cancel_keeps: Esc on a re-run keeps the last finished result (trial
# finding H4): a FAILED target_connect is not replaced by "could not check
# (cancelled)", the step keeps its [!], status still says FAILED, and the
# gate it closes stays closed; a result stored for the first time by a
# cancelled run is shown as cancelled by status.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"

# A server that accepts the TCP connection and never answers.
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
time.sleep(180)' "$port" "$TMUX_WORK/listening" &
lpid=$!
trap 'kill $lpid 2>/dev/null; _tmux_cleanup' EXIT
trap 'kill $lpid 2>/dev/null; _tmux_cleanup; exit 1' INT TERM HUP
n=50; while [ ! -f "$TMUX_WORK/listening" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
[ -f "$TMUX_WORK/listening" ]; ok $? "a listener that never answers is up"

st=$TMUX_WORK/cm.ini
umask 077
cat >"$st" <<EOS
[osmigrate]
version = 1
runbook = connector-migration

[target]
host = 127.0.0.1
port = $port
dbname = postgres
user = osm_app
connect_timeout = 6
EOS
# A finished run with these settings (it times out: could not check),
# then its verdict made FAILED, as a run that observed a failure records it.
env -u PGPASSWORD PGPASSFILE="$TMUX_WORK/none" "$OSMIGRATE" check connector-migration \
	--step connection --state "$st" >/dev/null 2>&1 </dev/null
sed -i '/^\[check "target_connect"\]/,/^\[/ s/^status = error$/status = failed/' "$st"
sed -n '/^\[check "target_connect"\]/,/^\[/p' "$st" | grep -q '^status = failed$'
ok $? "target_connect recorded FAILED with the digest of its settings"
"$OSMIGRATE" status --state "$st" | grep -q '^  FAILED  *target_connect'
ok $? "status: FAILED before the re-run"

tmux_start 100 30 env -u PGPASSWORD PGPASSFILE="$TMUX_WORK/none" HOME="$TMUX_WORK" \
	"$OSMIGRATE" --state "$st"
tmux_wait "Resume at step"; ok $? "the wizard offers to resume"
tmux_keys r
tmux_wait "Actions (Space ticks)"
n=0; while ! tmux_screen | grep -q 'step 2/9' && [ $n -lt 5 ]; do tmux_keys n; sleep 0.3; n=$((n + 1)); done
tmux_wait "step 2/9" 5; ok $? "on the connection step"
tmux_wait "[!] Create database connection" 5; ok $? "the step is [!] (its check FAILED)"
tmux_keys r
tmux_wait "(Esc cancels)" 10; ok $? "the re-run hangs"
tmux_keys Escape
tmux_wait_gone "(Esc cancels)" 5; ok $? "Esc cancels it"
tmux_wait "kept" 5; ok $? "the message says the earlier results were kept"
sed -n '/^\[check "target_connect"\]/,/^\[/p' "$st" | grep -q '^status = failed$'
ok $? "the FAILED result is still recorded (not replaced by the cancelled run)"
tmux_screen | grep -q "\[!\] Create database connection"; ok $? "the step keeps its [!]"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
out=$("$OSMIGRATE" status --state "$st")
printf '%s\n' "$out" | grep -q '^  FAILED  *target_connect'
ok $? "status: still FAILED after the cancelled re-run"
out=$("$OSMIGRATE" mark --state "$st" connection done 2>&1)
is "$?" 2 "the gate stays closed: mark connection done exits 2"

# Nothing recorded before: a cancelled run stores "could not check" and
# status says it was cancelled.
sed -i '/^\[check "target_connect"\]/,/^$/d' "$st"
tmux_start 100 30 env -u PGPASSWORD PGPASSFILE="$TMUX_WORK/none" HOME="$TMUX_WORK" \
	"$OSMIGRATE" --state "$st"
tmux_wait "Resume at step"
tmux_keys r
tmux_wait "Actions (Space ticks)"
n=0; while ! tmux_screen | grep -q 'step 2/9' && [ $n -lt 5 ]; do tmux_keys n; sleep 0.3; n=$((n + 1)); done
tmux_keys r
tmux_wait "(Esc cancels)" 10
tmux_keys Escape
tmux_wait_gone "(Esc cancels)" 5
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
out=$("$OSMIGRATE" status --state "$st")
printf '%s\n' "$out" | grep -q 'cancelled: its run was interrupted before it could check; run it again'
ok $? "status says the result could not check because its run was cancelled"
done_testing
