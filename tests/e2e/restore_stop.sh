#!/bin/sh
# restore_stop.sh - restore-database expects the application servers down
# from "Stop the IIS and the OutSystems Services in all front-ends" until
# each one's IIS is started again (issue 12): `check restore-database
# --step stop` and r on that screen fail for every server whose module
# still answers, naming it; refused, 503 or no answer is "down, as
# expected"; something else answering HTTP is a warning.  Ticking a
# server's stop pings it.  The Deployment Controller's checklist speaks of
# the controller.  nginx on 127.0.0.1 plays the servers: one still answers.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"
fx="$top_srcdir/scripts/httpfixture.sh"
trap 'sh "$fx" stop "$TMUX_WORK/fx" >/dev/null 2>&1; _tmux_cleanup' EXIT
trap 'sh "$fx" stop "$TMUX_WORK/fx" >/dev/null 2>&1; _tmux_cleanup; exit 1' INT TERM HUP
unset OSMIGRATE_LIFETIME_TOKEN http_proxy https_proxy HTTPS_PROXY ALL_PROXY all_proxy
if ! sh "$fx" start "$TMUX_WORK/fx" >"$TMUX_WORK/fx.out" 2>&1; then
	echo "1..0 # SKIP no nginx fixture (scripts/deps.sh installs nginx-light)"
	exit 0
fi
. "$TMUX_WORK/fx/env"
key() { sed -n "/^\[check \"$1\"\]/,/^\[/p" "$2" | sed -n "s/^$3 = //p"; }

# A loopback port nobody listens on: bind it, note it, close it.
refused=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
answers=$TMUX_WORK/answers.ini
cat >"$answers" <<EOA
[http]
timeout = 3

[server "dc01"]
role = controller
url = $HTTP_BASE/OrdersUI/_ping.html

[server "fe01"]
role = frontend
url = http://127.0.0.1:$refused/OrdersUI/_ping.html

[server "fe02"]
role = frontend
url = $HTTP_BASE/PoolDown/_ping.html

[server "fe03"]
role = frontend
url = $HTTP_BASE/Missing/_ping.html
EOA
state=$TMUX_WORK/rd.ini
"$OSMIGRATE" check restore-database --answers "$answers" --state "$state" --step stop \
	>"$TMUX_WORK/out" 2>&1 </dev/null
is "$?" 2 "check --step stop with a server still answering: exit 2"
grep -q "^FAILED: application server expected down: dc01" "$TMUX_WORK/out"
ok $? "the server still answering is FAILED, by name"
grep -q "Deployment Controller dc01 still answers: the module's page is served" "$TMUX_WORK/out"
ok $? "the summary says it still answers"
grep -q "a backup taken while it still runs may be inconsistent" "$TMUX_WORK/out"
ok $? "the fix says why: the backup may be inconsistent"
is "$(key server_stopped:fe01 "$state" status)" ok "refused: ok"
key server_stopped:fe01 "$state" summary | grep -q "^down, as expected (connection refused"
ok $? "refused: 'down, as expected'"
is "$(key server_stopped:fe02 "$state" status)" ok "503: ok"
key server_stopped:fe02 "$state" summary | grep -q "^down, as expected (503"
ok $? "503: 'down, as expected'"
is "$(key server_stopped:fe03 "$state" status)" warning "404: something still answers HTTP: warning"
grep -q "FAILED: application server expected down: fe0" "$TMUX_WORK/out"; [ $? -ne 0 ]
ok $? "no front-end that is down is FAILED"

"$OSMIGRATE" report --state "$state" >"$TMUX_WORK/report.txt" 2>&1 </dev/null
grep -q "Stop the IIS and the OutSystems Services on the Deployment Controller." "$TMUX_WORK/report.txt"
ok $? "the report's checklist of the controller speaks of the controller (Markdown)"
"$OSMIGRATE" report --state "$state" --format json >"$TMUX_WORK/report.json" 2>&1 </dev/null
grep -q 'Services on the Deployment Controller\.' "$TMUX_WORK/report.json"
ok $? "so does the JSON report's"

# The servers step: a server not started again yet ("Start IIS" not
# ticked) is still expected down; once ticked, it is expected up.
"$OSMIGRATE" check restore-database --state "$state" --step servers >"$TMUX_WORK/out" 2>&1 </dev/null
is "$(key server_ping:dc01 "$state" status)" failed "servers step, dc01 not started again and answering: FAILED"
key server_ping:dc01 "$state" summary | grep -q "^not started again yet, so expected down: Deployment Controller dc01 still answers"
ok $? "it says the server is expected down until it is started again"
is "$(key server_ping:fe02 "$state" status)" ok "servers step, fe02 (503) not started again: down, as expected"
"$OSMIGRATE" mark servers done --item fe02 --action start_iis --reason "test: front-end first" \
	--state "$state" >/dev/null 2>&1 </dev/null
"$OSMIGRATE" check restore-database --state "$state" --step servers >"$TMUX_WORK/out" 2>&1 </dev/null
is "$(key server_ping:fe02 "$state" status)" failed "fe02 with IIS started and its pool down (503): FAILED"
key server_ping:fe02 "$state" summary | grep -q "^503"
ok $? "judged as a server expected up"

# ---- the wizard: r on the stop screen, and the controller's checklist ----
state=$TMUX_WORK/rd-tui.ini
tmux_start 110 40 "$OSMIGRATE" --answers "$answers" --state "$state" restore-database
tmux_wait "Actions (Space ticks)"; ok $? "wizard opens"
tmux_keys n; tmux_wait "step 2/"
tmux_keys n; tmux_wait "step 3/"; ok $? "stop step"
tmux_keys r
tmux_wait "FAILED" 20; ok $? "r on the stop screen: FAILED"
is "$(key server_stopped:dc01 "$state" status)" failed "r recorded dc01 FAILED"
is "$(key server_stopped:fe02 "$state" status)" ok "r recorded fe02 down, as expected"
tmux_keys Home
n=0
while ! tmux_screen | grep -q '│ *>.*\[ \] Stop the IIS' && [ $n -lt 10 ]; do
	tmux_keys Down; sleep 0.2; n=$((n + 1))
done
tmux_screen | sed 's/^.*│//' | tr -s ' \n' '  ' |
	grep -qF "[ ] Stop the IIS and the OutSystems Services on the Deployment Controller."
ok $? "the Deployment Controller's checklist speaks of the controller"
tmux_screen | sed 's/^.*│//' | tr -s ' \n' '  ' | grep -q 'dc01, controller 0/1 \[ \] Stop [^[]*this front-end'
[ $? -ne 0 ]; ok $? "not of 'this front-end'"
tmux_keys Space
# r's FAILED result gates the tick that completes dc01: a typed reason.
tmux_wait "cannot be marked done: its check server_stopped:dc01 FAILED" 10
ok $? "the tick over r's FAILED asks for a reason (the gate)"
tmux_text "stop is under way"; tmux_keys Enter
tmux_wait "ping FAILED" 15; ok $? "ticking dc01's stop pings it: it still answers, FAILED (its folded row says so)"
tmux_wait "dc01 ping after the stop: FAILED (expected down)" 5
ok $? "the message line says it was expected down"
tmux_wait "(expected down); ports: error" 5
ok $? "the tick checked the services' ports too (not observable here: [services] reachable unset)"
key services_stopped:dc01 "$state" summary | grep -q "^could not observe"
ok $? "recorded as services_stopped:dc01, could not observe"
tmux_keys q
tmux_wait_exit 10

done_testing
