#!/bin/sh
# tui_rollback: the wizard's way back (issue 14): w shows the servers
# already reconfigured, front-ends first and the Deployment Controller last,
# with the address to put back; Enter ticks a rollback action, recorded and
# journalled like any tick.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"

state=$TMUX_WORK/ec.ini
umask 077
T='root@host 2026-12-02T22:10:00Z'
cat >"$state" <<INI
[osmigrate]
version = 1
runbook = endpoint-change
current = servers

[endpoint]
old = old-db.example:5432
new = new-db.example:5432

[server "DC"]
role = controller

[server "FE1"]
role = frontend

[server "FE2"]
role = frontend

[item "servers:DC"]
status = in-progress
tick.open_tool = $T

[item "servers:FE1"]
status = in-progress
tick.open_tool = $T
INI

tmux_start 80 24 "$OSMIGRATE" --state "$state" endpoint-change
tmux_wait "A saved session exists"; ok $? "the wizard offers to resume"
tmux_keys r
tmux_wait "Reconfigure each server"; ok $? "resumed on the servers step"
tmux_keys w
tmux_wait "Way back"; ok $? "w opens the way back"
scr=$(tmux_screen)
printf '%s\n' "$scr" | grep -q 'Platform database address to put back: old-db.example:5432'; ok $? "with the address to put back"
l1=$(printf '%s\n' "$scr" | grep -n '1\. FE1 (front-end)' | cut -d: -f1)
l2=$(printf '%s\n' "$scr" | grep -n '2\. DC (Deployment Controller, last)' | cut -d: -f1)
[ -n "$l1" ] && [ -n "$l2" ] && [ "$l1" -lt "$l2" ]; ok $? "the front-end first, the Deployment Controller last"
printf '%s\n' "$scr" | grep -q 'FE2'; ok $((! $?)) "a server not reconfigured is not listed"
tmux_keys Down Down Enter
tmux_wait '[x] Open the Configuration Tool'; ok $? "Enter ticks FE1's first rollback action"
grep -A4 '^\[item "servers:FE1"\]' "$state" | grep -q '^tick.rollback_address = '; ok $? "the tick is saved at once"
grep -q 'servers	FE1	rollback.tick.rollback_address	on' "$state.journal"; ok $? "and journalled as a rollback tick"
tmux_keys Escape
tmux_wait_gone "Way back"; ok $? "Esc closes the way back"
tmux_wait "rollback ticked on FE1"; ok $? "the message line says what was ticked"
tmux_keys "?" Down Down Down Down Down Down
tmux_wait "the way back"; ok $? "help names the w key"
tmux_keys Escape q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
out=$("$OSMIGRATE" rollback --state "$state")
printf '%s\n' "$out" | grep -q '\[x\] rollback_address'; ok $? "osmigrate rollback shows the wizard's tick"
done_testing
