#!/bin/sh
# tui_shared: two wizards on one state file (issue 15).  A second wizard is
# no longer refused: each change is locked only while it is written.  Both
# tick different actions of the same step; both ticks survive, and each
# screen shows the other's within 2 s without a key.  The same through the
# chooser and the default path.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"

# The screen shows N actions ticked: its status line counts them ("(N/3
# actions)") or, scrolled down to the actions, N of them say "ticked by".
wait_ticks() {  # N [seconds]
	_n=$(( ${2:-5} * 10 ))
	while [ "$_n" -gt 0 ]; do
		_s=$(tmux_screen)
		printf '%s\n' "$_s" | grep -qF "in-progress ($1/3 actions)" && return 0
		[ "$(printf '%s\n' "$_s" | grep -c 'ticked by')" -ge "$1" ] && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	diag "$TMUX_S does not show $1 ticks:"
	tmux_screen | sed 's/^/| /' | while IFS= read -r l; do diag "$l"; done
	return 1
}

state=$TMUX_WORK/cm.ini
TMUX_S=first
tmux_start 80 24 "$OSMIGRATE" --state "$state" connector-migration
tmux_wait "Actions (Space ticks)"; ok $? "first wizard opens"
pid1=$(tmux_pane_pid)
TMUX_S=second
tmux_start 80 24 "$OSMIGRATE" --state "$state" connector-migration
tmux_wait "A saved session exists"
ok $? "a second wizard on the same file opens (the resume offer), not refused"
tmux_wait "Open now in 1 other session"; ok $? "the offer says another session is open"
tmux_screen | grep -q "pid $pid1 on $(hostname)"; ok $? "and names it: pid and host"
tmux_keys Enter
tmux_wait "Actions (Space ticks)"; ok $? "second wizard resumes at the same step"

TMUX_S=first
tmux_keys Space
wait_ticks 1; ok $? "first wizard ticks the first action"
TMUX_S=second
tmux_keys j Space
wait_ticks 2 2; ok $? "second wizard ticks the second and shows both (the first's within 2 s)"
TMUX_S=first
wait_ticks 2 2; ok $? "first wizard shows the second's tick within 2 s, no key pressed"

# One session skips the step the others are working in: they say so.
"$OSMIGRATE" mark --state "$state" prerequisites skipped --reason "checked by the DBA" >/dev/null
TMUX_S=first
tmux_wait "this step was skipped by" 3; ok $? "the first wizard says its step was skipped, and by whom"
tmux_screen | tr -d '\n' | grep -q "checked by the DBA"; ok $? "with the reason"

TMUX_S=first
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "first wizard quits 0"
TMUX_S=second
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "second wizard quits 0"
n=$(grep -c '^tick\.' "$state")
is "$n" 2 "both ticks survive both saves"
n=$(grep -c '	tick\.[a-z_]*	on	' "$state.journal")
is "$n" 2 "the journal has both ticks"

# Start over stays exclusive: the other wizard says who restarted and
# shows the new procedure.
st3=$TMUX_WORK/restart.ini
TMUX_S=first
tmux_start 80 24 "$OSMIGRATE" --state "$st3" endpoint-change
tmux_wait "Actions (Space ticks)"
tmux_keys Space
tmux_wait "ticked: "; ok $? "first wizard records a tick"
TMUX_S=second
tmux_start 80 24 "$OSMIGRATE" --state "$st3" endpoint-change
tmux_wait "Open now in 1 other session"
tmux_keys o
tmux_wait "Start over?"
tmux_keys y
tmux_wait "started over"; ok $? "second wizard starts over"
TMUX_S=first
tmux_wait "the procedure was restarted by" 3; ok $? "the first says the procedure was restarted, and by whom"
tmux_wait "in-progress (1/3" 1 >/dev/null 2>&1; [ $? -ne 0 ]
ok $? "and shows the new procedure (its tick is gone)"
ls "$st3".*.bak >/dev/null 2>&1; ok $? "the old file was kept as a backup"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "first wizard quits 0"
TMUX_S=second
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "second wizard quits 0"
[ ! -e "$st3.presence" ]; ok $? "the presence file goes with the last session"
[ "$(grep -c '^tick\.' "$st3")" -eq 0 ]; ok $? "the restarted file holds no tick of the old procedure"

# Through the chooser and the default path: the second one shares too.
XDG_STATE_HOME=$TMUX_WORK/xdg
TMUX_S=first
tmux_start 80 24 env XDG_STATE_HOME="$XDG_STATE_HOME" "$OSMIGRATE" endpoint-change
tmux_wait "Actions (Space ticks)"; ok $? "first wizard on the default path"
TMUX_S=second
tmux_start 80 24 env XDG_STATE_HOME="$XDG_STATE_HOME" "$OSMIGRATE"
tmux_wait "Which procedure"; ok $? "second wizard shows the chooser"
tmux_keys 2
tmux_wait "A saved session exists"; ok $? "choosing the same runbook offers the shared session"
tmux_keys Enter
tmux_wait "Actions (Space ticks)"
tmux_keys Space
TMUX_S=first
wait_ticks 1 2; ok $? "the first wizard shows the second's tick"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "first wizard quits 0"
TMUX_S=second
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "second wizard quits 0"
tmux_stty_same; ok $? "terminal restored"
done_testing
