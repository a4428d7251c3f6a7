#!/bin/sh
# tui_item_done: d on an item with unticked actions asks first, like d on a
# step; n keeps it pending, y records it done.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"

answers=$TMUX_WORK/a.ini
printf '[osmigrate]\nversion = 1\n\n[server "fe9"]\nrole = frontend\n' >"$answers"
state=$TMUX_WORK/ec.ini
tmux_start 80 24 "$OSMIGRATE" --answers "$answers" --state "$state" endpoint-change
tmux_wait "Actions (Space ticks)"; ok $? "endpoint-change opens"
tmux_keys n
tmux_wait "step 2/5"; ok $? "servers step"
tmux_keys Home
tmux_wait "> - [ ] fe9" 5 || tmux_wait "> + [ ] fe9" 5; ok $? "cursor on the server"
tmux_keys d
tmux_wait "Mark done?"; ok $? "d on an item with unticked actions asks first"
tmux_screen | grep -q "Not every action of fe9"; ok $? "the question names the item"
tmux_keys n
tmux_wait_gone "Mark done?"
grep -A3 '^\[item "servers:fe9"\]' "$state" | grep -q '^status = done'; [ $? -ne 0 ]
ok $? "n: the item is not marked done"
tmux_keys d
tmux_wait "Mark done?"
tmux_keys y
tmux_wait "fe9: done"; ok $? "y: the item is marked done"
grep -A3 '^\[item "servers:fe9"\]' "$state" | grep -q '^status = done'; ok $? "and saved"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
done_testing
