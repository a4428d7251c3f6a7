#!/bin/sh
# tui_item_done: d on an item with unticked actions asks for a reason first
# (the forced gate, progress.h); Esc or no reason keeps it pending, a typed
# reason records it done, forced ([x]!), with the override recorded.
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
tmux_wait "actions unticked"; ok $? "d on an item with unticked actions asks for a reason first"
tmux_screen | grep -q "'fe9' has 6 of 6 actions unticked"; ok $? "the question names the item"
tmux_keys Escape
tmux_wait_gone "actions unticked"
grep -A3 '^\[item "servers:fe9"\]' "$state" | grep -q '^status = done'; [ $? -ne 0 ]
ok $? "Esc: the item is not marked done"
tmux_keys d
tmux_wait "actions unticked"
tmux_keys Enter
tmux_wait "Not accepted" 5
grep -A3 '^\[item "servers:fe9"\]' "$state" | grep -q '^status = done'; [ $? -ne 0 ]
ok $? "an empty reason does not force it: the box stays open and says why"
tmux_text "server rebuilt from the image"
tmux_keys Enter
tmux_wait "fe9: done"; ok $? "a typed reason marks the item done"
grep -A8 '^\[item "servers:fe9"\]' "$state" | grep -q '^status = done'; ok $? "and saved"
grep -A8 '^\[item "servers:fe9"\]' "$state" | grep -q '^reason = override: server rebuilt from the image$'
ok $? "the reason is recorded as an override"
grep -A8 '^\[item "servers:fe9"\]' "$state" | grep -q '^overrode = forced: 0/6 actions ticked$'
ok $? "what it overrode is recorded: forced"
grep -q "	servers	fe9	overrode	forced: 0/6 actions ticked	" "$state.journal"
ok $? "and journalled"
tmux_screen | grep -q '\[x\]! fe9'; ok $? "the item shows the forced mark [x]!"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
done_testing
