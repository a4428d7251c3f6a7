#!/bin/sh
# tui_lock: a second wizard on the same state file is refused with a message
# naming the holder, exit 75, and leaves the first one working.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"

state=$TMUX_WORK/cm.ini
TMUX_S=first
tmux_start 80 24 "$OSMIGRATE" --state "$state" connector-migration
tmux_wait "Actions (Space ticks)"; ok $? "first wizard opens"
pid=$(tmux_pane_pid)
TMUX_S=second
tmux_start 80 24 "$OSMIGRATE" --state "$state" connector-migration
tmux_wait_exit; is "$tmux_rc" 75 "second wizard exits 75"
err=$(tmux_stderr)
printf '%s\n' "$err" | grep -q "$pid"; ok $? "message names the holder's pid"
diag "$err"
tmux_stty_same; ok $? "terminal untouched by the refused wizard"
TMUX_S=first
tmux_keys Space
tmux_wait "ticked by"; ok $? "first wizard still works"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "first wizard quits 0"

# The same through the chooser and the default path: refused after the
# screen closed, the message on stderr, the terminal as it was.
XDG_STATE_HOME=$TMUX_WORK/xdg
TMUX_S=first
tmux_start 80 24 env XDG_STATE_HOME="$XDG_STATE_HOME" "$OSMIGRATE" endpoint-change
tmux_wait "Actions (Space ticks)"; ok $? "first wizard on the default path"
pid=$(tmux_pane_pid)
TMUX_S=second
tmux_start 80 24 env XDG_STATE_HOME="$XDG_STATE_HOME" "$OSMIGRATE"
tmux_wait "Which procedure"; ok $? "second wizard shows the chooser"
tmux_keys 2
tmux_wait_exit; is "$tmux_rc" 75 "choosing the locked runbook exits 75"
tmux_stderr | grep -q "$pid"; ok $? "message names the holder"
tmux_stty_same; ok $? "terminal restored before the message"
TMUX_S=first
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "first wizard quits 0"
done_testing
