#!/bin/sh
# tui_resize: shrinking below the minimum shows "terminal too small" (never
# garbage or a crash, down to 20x6); growing back shows the normal screen.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"

state=$TMUX_WORK/ec.ini
tmux_start 80 24 "$OSMIGRATE" --state "$state" endpoint-change
tmux_wait "q quit"; ok $? "normal screen at 80x24"
for size in 20x6 40x10 59x16 60x15 25x30; do
	tmux_resize "${size%x*}" "${size#*x}"
	tmux_wait "too small"; ok $? "too-small message at $size"
	w=$(tmux_screen | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')
	[ "$w" -le "${size%x*}" ]; ok $? "nothing drawn past the edge at $size"
done
tmux_resize 60 16
tmux_wait_gone "too small"; ok $? "60x16 is enough"
tmux_wait "q quit"; ok $? "footer at 60x16"
tmux_resize 20 6
tmux_wait "too small"; ok $? "too small again at 20x6"
tmux_resize 80 24
tmux_wait_gone "too small"; ok $? "message gone at 80x24"
tmux_wait "step 1/"; ok $? "normal screen back"
tmux_screen | grep -q 'q quit'; ok $? "footer back"
tmux_keys Space
tmux_wait "ticked:"; ok $? "keys work after the resizes"
tmux_resize 30 8
tmux_wait "too small"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q quits from the too-small screen"
tmux_stty_same; ok $? "terminal modes restored"
grep -q '^tick\.' "$state"; ok $? "state kept"

# Resizing while a prompt is open keeps the prompt and what was typed.
tmux_start 80 24 "$OSMIGRATE" --state "$state" endpoint-change
tmux_wait "A saved session exists"; tmux_keys r
tmux_wait "step 1/"
tmux_keys s
tmux_wait "why?"
tmux_text "half typed"
tmux_wait "> half typed"
tmux_resize 20 6
tmux_text " more"
tmux_wait "too small"; ok $? "too small during a prompt"
tmux_resize 90 26
tmux_wait "half typed more"; ok $? "prompt and typed text (also while too small) back after the resize"
tmux_keys Escape
tmux_wait_gone "why?"; ok $? "prompt still answers keys"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
done_testing
