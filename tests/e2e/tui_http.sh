#!/bin/sh
# tui_http: the wizard against the nginx fixture: a missing LifeTime token
# is asked with echo off and kept in memory only; consumer pings run in the
# worker with their classification shown per consumer.
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
token=$(cat "$LIFETIME_TOKEN_FILE")

answers=$TMUX_WORK/answers.ini
cat >"$answers" <<EOA
[lifetime]
url = $LIFETIME_URL

[http]
timeout = 3

[consumer "OrdersUI"]
url = $HTTP_BASE/OrdersUI/_ping.html

[consumer "PoolDown"]
url = $HTTP_BASE/PoolDown/_ping.html
EOA
state=$TMUX_WORK/cm.ini
tmux_start 100 30 "$OSMIGRATE" --answers "$answers" --state "$state" connector-migration
tmux_wait "Actions (Space ticks)"; ok $? "wizard opens"
tmux_keys n n n n n
tmux_wait "step 6/9"; ok $? "republish step"
tmux_keys r
tmux_wait "LifeTime service account token" 20; ok $? "the missing token is asked"
tmux_text "$token"
sleep 0.2
tmux_screen | grep -qF "$token"; [ $? -ne 0 ]; ok $? "the token is not echoed"
tmux_keys Enter
tmux_wait "kept in memory: press r"; ok $? "token taken"
tmux_keys r
# The run's closing message ("checks ...: N ok, N warning, ...") says it is over.
tmux_wait " warning, " 20
sed -n '/^\[check "lifetime_consistency/,/^\[/p' "$state" | grep -q '^status = \(ok\|warning\|failed\)'
ok $? "LifeTime answered with the typed token (the check ran)"
grep -rqF "$token" "$TMUX_WORK"/*.ini "$TMUX_WORK"/*.journal 2>/dev/null; [ $? -ne 0 ]; ok $? "the token is in no state or journal file"

tmux_keys n
tmux_wait "step 7/9"; ok $? "consumers step"
tmux_screen | grep -q 'OrdersUI'; ok $? "consumers listed as items"
tmux_keys r
tmux_wait " warning, " 20; ok $? "pings run"
sed -n '/^\[check "consumer_ping:OrdersUI"\]/,/^\[/p' "$state" | grep -q '^status = ok'; ok $? "healthy consumer ok"
sed -n '/^\[check "consumer_ping:PoolDown"\]/,/^\[/p' "$state" | grep -q '^status = failed'; ok $? "stopped pool FAILED"
tmux_screen | grep -q 'FAILED'; ok $? "FAILED shown on the screen"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
done_testing
