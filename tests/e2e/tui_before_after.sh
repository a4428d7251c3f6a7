#!/bin/sh
# tui_before_after: on the servers step of endpoint-change, ticking a
# server's first action pings its url in the background and records the
# "before" result; ticking its last action pings again ("after"); a server
# healthy before and not after is called out with what to do.  The nginx
# fixture plays the server: healthy first, then its module's page is gone
# (404) at the same url.  r still runs the normal checks.  A before ping
# taken with another url of the server is stale, not "it answered before".
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"
fx="$top_srcdir/scripts/httpfixture.sh"
trap 'sh "$fx" stop "$TMUX_WORK/fx" >/dev/null 2>&1; _tmux_cleanup' EXIT
trap 'sh "$fx" stop "$TMUX_WORK/fx" >/dev/null 2>&1; _tmux_cleanup; exit 1' INT TERM HUP
unset OSMIGRATE_LIFETIME_TOKEN http_proxy https_proxy HTTPS_PROXY ALL_PROXY all_proxy
www=$TMUX_WORK/www
cp -R "$top_srcdir/demo/www" "$www"
if ! sh "$fx" start "$TMUX_WORK/fx" --www "$www" >"$TMUX_WORK/fx.out" 2>&1; then
	echo "1..0 # SKIP no nginx fixture (scripts/deps.sh installs nginx-light)"
	exit 0
fi
. "$TMUX_WORK/fx/env"
sect() { sed -n "/^\[$1\]/,/^\[/p" "$2"; }

answers=$TMUX_WORK/answers.ini
cat >"$answers" <<EOA
[http]
timeout = 3

[server "DC1"]
role = controller
url = $HTTP_BASE/OrdersUI/_ping.html

[server "FE1"]
role = frontend
url = $HTTP_BASE/CustomersUI/_ping.html
EOA
state=$TMUX_WORK/ec.ini
tmux_start 110 40 "$OSMIGRATE" --answers "$answers" --state "$state" endpoint-change
tmux_wait "Actions (Space ticks)"; ok $? "wizard opens"
tmux_keys n
tmux_wait "Per application server"; ok $? "servers step"
tmux_wait "Ping before: not taken yet"; ok $? "the item view says the before ping is not taken yet"
tmux_keys Down Space
tmux_wait "Ping before: ok" 15; ok $? "ticking the first action pings the server: before ok"
sect 'check "server_ping_before:DC1"' "$state" | grep -q '^status = ok$'
ok $? "before result recorded as [check \"server_ping_before:DC1\"] ok"
sect 'check "server_ping:DC1"' "$state" | grep -q status; [ $? -ne 0 ]
ok $? "no after result yet"
grep -qF 'server_ping_before: ok' "$state.journal"; ok $? "the before ping is journalled"

# The server's module breaks during its reconfiguration: the same url now
# answers 404.
rm "$www/OrdersUI/_ping.html"
# the cursor is still on the first action of DC1
for i in 1 2 3 4; do
	tmux_keys Down Space
	tmux_wait "DC1, controller  $((i + 1))/6"
done
sect 'check "server_ping:DC1"' "$state" | grep -q status; [ $? -ne 0 ]
ok $? "the middle actions do not ping"
# r before the last tick: its result is the latest ping, not "after".
tmux_keys r
tmux_wait " warning, " 20; ok $? "r runs the checks mid-way"
tmux_wait "Ping latest (r): FAILED"; ok $? "the item view shows it as the latest ping"
tmux_screen | grep -q "did not come back after"; [ $? -ne 0 ]
ok $? "no 'did not come back' before the last action is ticked"
tmux_keys Down Space
# Its latest ping FAILED: the tick that completes the server asks for a
# reason first (the results gate, progress.h).
tmux_wait "failed or stale checks" 10; ok $? "the last tick over a FAILED ping asks for a reason"
tmux_text "reconfigured; the after ping tells"
tmux_keys Enter
tmux_wait "did NOT come back" 15; ok $? "ticking the last action pings again: the message says it did not come back"
sect 'check "server_ping:DC1"' "$state" | grep -q '^status = failed$'
ok $? "after result recorded as [check \"server_ping:DC1\"] FAILED"
sect 'check "server_ping_before:DC1"' "$state" | grep -q '^status = ok$'
ok $? "the before result is kept"
# Done, DC1 folds to its row, which keeps the verdict and the warning
# with what to do.
tmux_keys Home
tmux_wait "> + [x] DC1"
tmux_wait "DC1, controller  6/6  ping FAILED"; ok $? "the folded row shows the after verdict"
tmux_screen | grep -q "! DC1 did not come back"; ok $? "and the warning under it"
tmux_screen >"$TMUX_WORK/after.txt"
fix=$(sect 'check "server_ping:DC1"' "$state" | sed -n 's/^fix = //p' | cut -c1-30)
# The right pane only, its wrapped lines joined.
[ -n "$fix" ] && sed 's/^.*│//' "$TMUX_WORK/after.txt" | tr -s ' \n' '  ' | grep -qF "$fix"
ok $? "and what to do (the ping's fix: $fix...)"
tmux_keys Enter
tmux_wait "Ping after: FAILED"; ok $? "opened, the item view shows the after result"
tmux_wait "did not come back after its reconfiguration"; ok $? "the item view says it did not come back"

# r keeps running the step's normal checks: every server.
tmux_keys r
tmux_wait " warning, " 20; ok $? "r runs the checks"
sect 'check "server_ping:FE1"' "$state" | grep -q '^status = ok$'; ok $? "r pinged FE1 too"

# DC1's url changes in the settings: its pings were of the old url.
tmux_keys e
tmux_wait "L LifeTime"
n=0
while ! tmux_screen | grep -q '>   DC1' && [ $n -lt 15 ]; do tmux_keys Down; sleep 0.1; n=$((n + 1)); done
tmux_wait ">   DC1"; ok $? "DC1 selected in the settings"
tmux_keys Enter
tmux_wait "[server DC1] role"
tmux_keys Enter
tmux_wait "[server DC1] url"
tmux_keys C-u
tmux_text "$HTTP_BASE/PoolDown/_ping.html"; tmux_keys Enter
tmux_wait "url=$HTTP_BASE/PoolDown"; ok $? "DC1's url changed"
tmux_keys Escape
tmux_wait "Spc tick"
tmux_wait "Ping before: stale (was ok)"; ok $? "the before ping of the old url is stale"
tmux_wait "Ping after: stale (was FAILED)"; ok $? "so is the after ping"
tmux_screen | grep -q "did not come back after"; [ $? -ne 0 ]
ok $? "no 'did not come back' from pings of another url"

# Renaming a server in the settings (R) keeps its ticks.
tmux_keys e
tmux_wait "L LifeTime"
n=0
while ! tmux_screen | grep -q '>   DC1' && [ $n -lt 15 ]; do tmux_keys Down; sleep 0.1; n=$((n + 1)); done
tmux_keys R
tmux_wait "Rename server 'DC1' to"
tmux_keys C-u
tmux_text "dc-prod-01"; tmux_keys Enter
tmux_wait "renamed server DC1 to dc-prod-01"; ok $? "DC1 renamed"
tmux_keys Escape
tmux_wait "Spc tick"
tmux_keys Home
tmux_wait "dc-prod-01, controller  6/6"; ok $? "the renamed server keeps its six ticks"
sect 'item "servers:dc-prod-01"' "$state" | grep -q '^tick.running = '; ok $? "its ticks moved in the state file"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
done_testing
