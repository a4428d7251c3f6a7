#!/bin/sh
# tui_basic: the 80x24 layout, tick, next step, quit, resume at the same
# step with the same ticks; the terminal modes come back unchanged.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"

state=$TMUX_WORK/cm.ini
tmux_start 80 24 "$OSMIGRATE" --state "$state" connector-migration
tmux_wait "Actions (Space ticks)"; ok $? "wizard opens on the first step"
scr=$(tmux_screen)
printf '%s\n' "$scr" | grep -q '^>\[>\] Prerequisites'; ok $? "step list shows the current step with [>]"
printf '%s\n' "$scr" | grep -q '^ \[ \] Deploy to environments'; ok $? "step list shows the last step pending"
printf '%s\n' "$scr" | grep -q 'step 1/9'; ok $? "title bar shows the position"
printf '%s\n' "$scr" | tail -n 1 | grep -q 'q quit'; ok $? "footer shows the keys on the last line"
printf '%s\n' "$scr" | grep -q '│.*Prerequisites\||.*Prerequisites'; ok $? "the screen is beside the step list"

tmux_keys Space
tmux_wait "ticked by"; ok $? "Space ticks and shows who/when"
grep -q '^tick.platform_version = ' "$state"; ok $? "the tick is saved at once"
tmux_keys n
tmux_wait "step 2/9"; ok $? "n goes to the next step"
tmux_wait '>[>] Create database connection'; ok $? "step list follows"
grep -q '^current = connection' "$state"; ok $? "current step saved"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
tmux_stty_same; ok $? "terminal modes restored after q"

tmux_start 80 24 "$OSMIGRATE" --state "$state" connector-migration
tmux_wait "A saved session exists"; ok $? "restart offers to resume"
tmux_screen | grep -q 'Resume at step 2: Create database connection'; ok $? "offer names the saved step"
# The next step in the words of `status` (the trial: the menu named one
# step, status another).
next=$("$OSMIGRATE" status --state "$state" | sed -n "s/^Next: //p")
tmux_screen | tr -d '\n' | tr -s ' ' | grep -qF "Next: $next"; ok $? "the resume screen names the next step as status does ($next)"
tmux_screen | grep -q 'Start over'; ok $? "offer has start over"
tmux_keys r
tmux_wait "step 2/9"; ok $? "resume lands on the saved step"
tmux_screen | grep -q '^ \[>\] Prerequisites'; ok $? "the ticked step is in progress in the list"
tmux_keys b
tmux_wait "step 1/9"; ok $? "b goes back"
tmux_screen | grep -q '\[x\] Confirm every environment runs'; ok $? "the tick survived the restart"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0 again"
done_testing
