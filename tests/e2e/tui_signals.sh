#!/bin/sh
# tui_signals: Ctrl-C, SIGTERM and SIGHUP (a closed SSH session) save the
# state, restore the terminal and exit 130, 143, 129.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"

for sig in INT TERM HUP; do
	state=$TMUX_WORK/$sig.ini
	tmux_start 80 24 "$OSMIGRATE" --state "$state" connector-migration
	tmux_wait "Actions (Space ticks)"; ok $? "$sig: wizard opens"
	# A note typed but the signal arrives in the prompt: the tick is saved.
	tmux_keys Space
	tmux_wait "ticked by"
	case $sig in
	INT) tmux_keys C-c; want=130 ;;
	TERM) kill -TERM "$(tmux_pane_pid)"; want=143 ;;
	HUP) kill -HUP "$(tmux_pane_pid)"; want=129 ;;
	esac
	tmux_wait_exit; is "$tmux_rc" "$want" "$sig: exit status $want"
	tmux_stty_same; ok $? "$sig: terminal modes restored (stty -g before = after)"
	grep -q '^tick\.platform_version' "$state"; ok $? "$sig: state saved"
	grep -q '^updated = ' "$state"; ok $? "$sig: file complete"
done

# A closed terminal for real (the SSH case): the pane's pty goes away, the
# kernel sends SIGHUP, the wizard saves and exits 129 without spinning on
# the dead terminal.
state=$TMUX_WORK/closed.ini
tmux_start 80 24 "$OSMIGRATE" --state "$state" connector-migration
tmux_wait "Actions (Space ticks)"
tmux_keys Space
tmux_wait "ticked by"
pid=$(tmux_pane_pid)
tmux_kill_session
n=50; while kill -0 "$pid" 2>/dev/null && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
kill -0 "$pid" 2>/dev/null; [ $? -ne 0 ]; ok $? "closed terminal: the wizard exits"
tmux_wait_exit; is "$tmux_rc" 129 "closed terminal: exit status 129"
grep -q '^tick\.platform_version' "$state"; ok $? "closed terminal: state saved"

# A signal while a prompt is open also saves and restores.
state=$TMUX_WORK/prompt.ini
tmux_start 80 24 "$OSMIGRATE" --state "$state" connector-migration
tmux_wait "Actions (Space ticks)"
tmux_keys s
tmux_wait "why?"; ok $? "skip prompt open"
tmux_keys C-c
tmux_wait_exit; is "$tmux_rc" 130 "Ctrl-C in a prompt exits 130"
tmux_stty_same; ok $? "terminal modes restored from a prompt"
done_testing
