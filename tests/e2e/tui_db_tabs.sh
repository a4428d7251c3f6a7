#!/bin/sh
# tui_db_tabs: a server's checklist in endpoint-change shows, under the
# Configuration Tool action, the address to type in each database tab
# (Platform, Session, Log), from [endpoint "platform"|"session"|"log"]; an
# older answers file's unnamed [endpoint] is the Platform tab's.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"

answers=$TMUX_WORK/a.ini
cat >"$answers" <<'EOA'
[osmigrate]
version = 1

[endpoint]
old = sql-old:1433
new = sql-new:1433

[endpoint "session"]
old = sess-old:1433
new = sess-new:1433

[server "fe9"]
role = frontend
EOA
state=$TMUX_WORK/ec.ini
tmux_start 100 40 "$OSMIGRATE" --answers "$answers" --state "$state" endpoint-change
tmux_wait "Actions (Space ticks)"; ok $? "endpoint-change opens"
tmux_keys n
tmux_wait "step 2/5"; ok $? "servers step"
tmux_wait "Platform tab: type sql-new:1433 (it shows"; rc=$?
ok $rc "the Platform tab's address (from the unnamed [endpoint])"
[ $rc -eq 0 ] || diag "$(tmux_screen)"
tmux_screen | grep -q "Session tab: type sess-new:1433 (it shows"
ok $? "the Session tab's address"
tmux_screen | grep -q "Log tab: no address in the settings"
ok $? "the Log tab: none given, said so"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
grep -q '^\[endpoint "platform"\]' "$state"; ok $? "the state file has [endpoint \"platform\"]"
done_testing
