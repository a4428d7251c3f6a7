#!/bin/sh
# tui_color: NO_COLOR and monochrome terminals get no colour, and every
# status is still readable as a text mark.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"

# tmux capture-pane -e writes colours as SGR 3x/4x/9x/38;/48; parameters.
has_color() { grep -q "$(printf '\033')\\[[0-9;]*\\(3[0-7]\\|4[0-7]\\|9[0-7]\\|38;\\|48;\\)" ; }

state=$TMUX_WORK/c.ini
tmux_start 80 24 "$OSMIGRATE" --state "$state" connector-migration
tmux_wait "Actions (Space ticks)"
tmux_screen_attrs | has_color; ok $? "colours are used on a colour terminal"
tmux_keys q; tmux_wait_exit

tmux_start 80 24 env NO_COLOR=1 "$OSMIGRATE" --state "$state" connector-migration
tmux_wait "A saved session exists"; tmux_keys r
tmux_wait "Actions (Space ticks)"; ok $? "NO_COLOR: wizard opens"
tmux_screen_attrs | has_color; [ $? -ne 0 ]; ok $? "NO_COLOR: no colour at all"
tmux_keys Space; tmux_wait "ticked by"
tmux_screen | grep -q '\[x\] Confirm'; ok $? "NO_COLOR: ticked action marked [x]"
tmux_screen | grep -q '^>\[>\] Prerequisites'; ok $? "NO_COLOR: current step marked [>]"
tmux_keys q; tmux_wait_exit; is "$tmux_rc" 0 "NO_COLOR: q exits 0"

TMUX_TERM=vt100 tmux_start 80 24 "$OSMIGRATE" --state "$state" connector-migration
tmux_wait "A saved session exists"; ok $? "vt100 (monochrome): opens"
tmux_keys r
tmux_wait "Actions (Space ticks)"
tmux_screen_attrs | has_color; [ $? -ne 0 ]; ok $? "vt100: no colour"
tmux_screen | grep -q '^ \[ \] Rebind extensions'; ok $? "vt100: pending mark"
tmux_keys q; tmux_wait_exit; is "$tmux_rc" 0 "vt100: q exits 0"

tmux_start 80 24 env OSMIGRATE_ASCII=1 "$OSMIGRATE" --state "$state" connector-migration
tmux_wait "A saved session exists"; tmux_keys r
tmux_wait "Actions (Space ticks)"
tmux_screen | grep -q '^ \[ \] Rebind extensions  *|'; ok $? "OSMIGRATE_ASCII: lines drawn with | and -"
tmux_screen | grep -q '│'; [ $? -ne 0 ]; ok $? "OSMIGRATE_ASCII: no line-drawing characters"
tmux_keys q; tmux_wait_exit; is "$tmux_rc" 0 "OSMIGRATE_ASCII: q exits 0"

TMUX_LANG=C tmux_start 80 24 "$OSMIGRATE" --state "$state" connector-migration
tmux_wait "A saved session exists"; tmux_keys r
tmux_wait "Actions (Space ticks)"; ok $? "C locale: opens"
tmux_screen | grep -q 'q quit'; ok $? "C locale: footer drawn"
tmux_keys q; tmux_wait_exit; is "$tmux_rc" 0 "C locale: q exits 0"
done_testing
