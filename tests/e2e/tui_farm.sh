#!/bin/sh
# tui_farm: the wizard on a farm of servers.  c completes the item under
# the cursor after one question (every action ticked, journalled, the
# after-ping taken); an item done folds to one line and the next opens
# with the cursor on its first action; a server is one row (name, role,
# progress, last ping verdict), a long host name cut with an ellipsis, the
# title too; the footer shows d and u; Tab goes through actions, fields
# and notes, never an item's line; a message goes when the next key comes
# and a long one is read whole; the help lists the keys of the screen it
# was opened from, and nothing of the message line shows beside it.  At
# 80x24, and while resizing.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"

long=frontend-node-017.datacentre-west.production.shop.example.internal
answers=$TMUX_WORK/a.ini
cat >"$answers" <<EOA
[http]
timeout = 2

[server "dc1"]
role = controller
url = http://127.0.0.1:9/OrdersUI/_ping.html

[server "$long"]
role = frontend

[server "fe2"]
role = frontend
EOA
state=$TMUX_WORK/ec.ini
tmux_start 80 24 "$OSMIGRATE" --answers "$answers" --state "$state" endpoint-change
tmux_wait "Actions (Space ticks)"; ok $? "endpoint-change opens at 80x24"
tmux_screen | tail -1 | grep -q "d done" && tmux_screen | tail -1 | grep -q "u reopen"
ok $? "the footer shows d and u"
tmux_screen | tail -1 | grep -q "c item"; ok $? "and c"
tmux_keys n
tmux_wait "step 2/5"

# One row per server, the long name cut with an ellipsis.
tmux_wait "- [ ] dc1, controller  0/6"; ok $? "the controller: one row, open, with its role and progress"
tmux_screen | head -1 | grep -q "…"; ok $? "the title is cut with an ellipsis"

# Tab: actions, notes; never an item's line.
tmux_keys Home
tmux_wait "> - [ ] dc1"
tmux_keys Tab
tmux_wait ">     [ ] Open the Configuration Tool"; ok $? "Tab from an item's line goes to its first action"
tmux_keys BTab
tmux_screen | grep -q "> - \[ \] dc1"; [ $? -ne 0 ]; ok $? "Shift-Tab does not stop on the item's line"

# c: one question, every action ticked, the item folds, the next opens.
tmux_keys Home
tmux_wait "> - [ ] dc1"
tmux_keys c
tmux_wait "Complete this item?"; ok $? "c asks once"
tmux_screen | grep -q "Tick the 6 unticked actions of dc1"; ok $? "naming how many and which item"
tmux_keys y
tmux_wait "dc1 ping after its reconfiguration" 15; ok $? "y ticks all six and pings it (after)"
n=$(sed -n '/^\[item "servers:dc1"\]/,/^\[/p' "$state" | grep -c '^tick\.')
is "$n" 6 "six ticks recorded"
n=$(grep -c 'servers.*dc1.*tick\.' "$state.journal")
is "$n" 6 "six ticks journalled"
tmux_wait "+ [x] dc1, controller  6/6"; ok $? "the done item folds to one line"
tmux_screen | grep -q -- "- \[ \] frontend-node-017"; ok $? "the next item opens"
tmux_screen | grep -q ">     \[ \] Open the Configuration Tool"; ok $? "with the cursor on its first action"
row=$(tmux_screen | grep -F "frontend-node-0")
printf '%s\n' "$row" | grep -q "…, frontend  0/6"; ok $? "a long host name is cut with an ellipsis, its role and progress on the same row"
[ "$(tmux_screen | grep -c 'example.internal\|production.shop')" -eq 0 ]; ok $? "and not wrapped onto further rows"
tmux_wait "dc1, controller  6/6  ping FAILED" 15; ok $? "the server's row shows its last ping's verdict"

# A message goes with the next key (an error stays until something else
# is said).
tmux_keys Home c
tmux_wait "every action of dc1 is ticked already"; ok $? "c on a done item says so"
tmux_keys Down
tmux_wait_gone "ticked already"; ok $? "the next key clears the message"
tmux_keys Up c
tmux_wait "every action of dc1 is ticked already"
tmux_keys ?
tmux_wait " Help ("
! tmux_screen | grep -q "ticked already"; ok $? "the message line does not show beside the help"
tmux_screen | grep -q "complete the item under the cursor"; ok $? "the step's help lists c"
! tmux_screen | grep -q "o sort\|Enter edit"; ok $? "and no other screen's keys"
tmux_keys x
tmux_wait_gone " Help ("
tmux_keys e
tmux_wait "LifeTime (optional)"
tmux_keys ?
tmux_wait " Help ("
tmux_screen | grep -q "rename the item"; ok $? "the settings' help lists its keys"
! tmux_screen | grep -q "Space, Enter  tick\|n / b "; ok $? "and not the step's"
tmux_keys x
tmux_wait_gone " Help ("
tmux_keys Escape
tmux_wait "Spc tick"

# A long message is read whole.
tmux_keys End
tmux_wait "> Note"
tmux_paste_bracketed "x"
tmux_wait "pasted text is taken only in a text box (Enter on a note or a field opens one):" &&
	tmux_screen | grep -q "^nothing was done"
ok $? "a message longer than a line is shown whole"

# Resizing: one row per server at any width, the whole name when it fits.
tmux_resize 60 16
sleep 0.5
tmux_keys Home
tmux_wait "> + [x] dc1"
[ "$(tmux_screen | grep -c 'production.shop')" -eq 0 ]; ok $? "at 60x16 the long name is still one cut row"
tmux_resize 160 40
tmux_wait "$long, frontend  0/6"; ok $? "at 160 columns the whole name shows"
tmux_resize 80 24
tmux_wait "…, frontend  0/6"; ok $? "back at 80x24, cut again"

# d folds too, and u reopens.
tmux_keys End
tmux_wait "> Note"
n=0
while ! tmux_screen | grep -q "> + \[ \] fe2\|> - \[ \] fe2" && [ $n -lt 30 ]; do tmux_keys Up; sleep 0.1; n=$((n + 1)); done
tmux_keys d
tmux_wait "actions unticked"
tmux_text "rebuilt from the image"; tmux_keys Enter
tmux_wait "+ [x]! fe2"; ok $? "d on an item (forced, with a reason) marks it done, folded"
tmux_keys u
tmux_wait "fe2 reopened: pending"; ok $? "u reopens it"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
done_testing
