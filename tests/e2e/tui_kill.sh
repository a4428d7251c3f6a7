#!/bin/sh
# tui_kill: kill -9 in the middle of a session, then resume: the state file
# is whole, the stale lock is taken over, the ticks are there.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"

state=$TMUX_WORK/rd.ini
tmux_start 80 24 "$OSMIGRATE" --state "$state" restore-database
tmux_wait "Actions (Space ticks)"; ok $? "wizard opens"
tmux_keys Space
tmux_wait "ticked by"; ok $? "first action ticked"
tmux_keys Down Down Down Space
sleep 0.5
n=$(grep -c '^tick\.' "$state"); is "$n" 2 "two ticks saved"
pid=$(tmux_pane_pid)
[ -n "$pid" ] && kill -9 "$pid"; ok $? "kill -9 the wizard"
tmux_wait_exit; is "$tmux_rc" 137 "it died of SIGKILL"

tmux_start 80 24 "$OSMIGRATE" --state "$state" restore-database
tmux_wait "A saved session exists"; ok $? "restart after kill -9 offers to resume (stale lock taken over)"
tmux_keys r
tmux_wait "step 1/"; ok $? "resumed at the first step"
n=$(grep -c '^tick\.' "$state"); is "$n" 2 "both ticks still in the file"
tmux_keys Down Down Down
sleep 0.3
n=$(tmux_screen | grep -c '\[x\]'); [ "$n" -ge 2 ]; ok $? "both ticks shown ($n)"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
done_testing
