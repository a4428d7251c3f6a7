#!/bin/sh
# tui_items: inventories typed on the settings screen drive the per-item
# checklists with their progress count; restore-database enforces the
# Deployment Controller before front-ends and keeps decommission locked,
# each overridable with a typed reason that is recorded.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"

state=$TMUX_WORK/cm.ini
tmux_start 100 30 "$OSMIGRATE" --state "$state" connector-migration
tmux_wait "Actions (Space ticks)"; ok $? "wizard opens"
tmux_keys e
tmux_wait "Target database"; ok $? "e opens the settings"
tmux_keys a
tmux_wait "Add to which list?"; ok $? "a asks which inventory"
tmux_keys Enter
tmux_wait "New extension: name"; ok $? "extension name asked"
tmux_text "Orders DB"; tmux_keys Enter
tmux_wait "logical database"; tmux_text "OrdersLDB"; tmux_keys Enter
tmux_wait "] tables"; tmux_text "public.orders sales.lines"; tmux_keys Enter
tmux_wait "Orders DB  logical_database=OrdersLDB  tables=public.or"; ok $? "extension listed with its values"
grep -q '^\[extension "Orders DB"\]' "$state"; ok $? "extension saved"
grep -q '^tables = public.orders sales.lines' "$state"; ok $? "its tables saved"
tmux_keys a
tmux_wait "New extension: name"; ok $? "a on an extension adds another"
tmux_text "Billing"; tmux_keys Enter
tmux_wait "logical database"; tmux_keys Escape
tmux_wait_gone "logical database"
tmux_wait ">   Billing"; ok $? "second extension added"
# A value the parser would refuse is refused on screen with the reason.
tmux_keys Escape
tmux_wait "Spc tick"
tmux_keys e
tmux_wait ">   host"
tmux_keys Down
tmux_wait ">   port"
tmux_keys Enter
tmux_wait "] port"; tmux_text "not-a-port"; tmux_keys Enter
tmux_wait "Not accepted"; ok $? "invalid port refused with the reason"
tmux_keys Escape
tmux_keys Escape
tmux_wait "Spc tick"; ok $? "Esc returns to the step"
tmux_keys n n n
tmux_wait "step 4/9"
tmux_wait "0/2 extensions done"; ok $? "rebind shows 0/2 extensions done"
tmux_screen | grep -q -- '- \[ \] Orders DB  0/2'; ok $? "first extension open with its count"
tmux_keys Down Down Space
tmux_wait "Orders DB  1/2"; ok $? "item action ticked, item count 1/2"
tmux_keys Down Space
tmux_wait "1/2 extensions done"; ok $? "all item actions ticked: 1/2 extensions done"
tmux_screen | grep -q '\[x\] Orders DB'; ok $? "item marked [x]"

# Import a consumer list from a CSV file.
printf 'name,url\nOrdersUI,http://127.0.0.1:9/OrdersUI/_ping.html\n"Customers UI",http://127.0.0.1:9/CustomersUI/_ping.html\n' \
	>"$TMUX_WORK/consumers.csv"
tmux_keys e
tmux_wait "Target database"
tmux_keys i
tmux_wait "Import which list?"; ok $? "i asks which list to import"
tmux_keys Down Enter
tmux_wait "Import consumer list"; ok $? "path asked"
tmux_text "$TMUX_WORK/consumers.csv"; tmux_keys Enter
tmux_wait "imported 2 consumers"; ok $? "two consumers imported"
grep -q '^\[consumer "Customers UI"\]' "$state"; ok $? "imported consumers saved"
tmux_keys Escape
tmux_wait "Spc tick"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"

answers=$TMUX_WORK/rd-answers.ini
cat >"$answers" <<'EOA'
[server "FE1"]
role = frontend

[server "DC1"]
role = controller
EOA
state=$TMUX_WORK/rd.ini
tmux_start 100 30 "$OSMIGRATE" --answers "$answers" --state "$state" restore-database
tmux_wait "Actions (Space ticks)"
tmux_keys n n n n n n
tmux_wait "step 7/11"; ok $? "reconfigure servers step"
tmux_screen | grep -q -- '- \[ \] DC1, controller'; ok $? "the controller comes first, open, with its role"
tmux_keys End Up
tmux_wait "> + [ ] FE1, frontend"; ok $? "the front-end after it, closed"
tmux_keys Enter Down Space
tmux_wait "Deployment Controller"; ok $? "a front-end before the controller is refused, saying why"
n=$(grep -c '^tick\.' "$state"); is "$n" 0 "nothing ticked while refused"
tmux_text "controller already done by hand at 02:10"
tmux_keys Enter
tmux_wait "FE1, frontend  1/7"; ok $? "override with a reason ticks it"
grep -q 'controller already done by hand at 02:10' "$state"; ok $? "override reason recorded"
tmux_keys n n n n
tmux_wait "step 11/11"
tmux_wait "LOCKED"; ok $? "decommission is locked until the clone verification passed"
tmux_keys Space
tmux_wait "is locked until the"; ok $? "ticking it asks for an override"
tmux_keys Enter
tmux_wait "Not accepted: a reason is needed"; ok $? "an empty override reason is refused in its box"
tmux_keys Escape
tmux_wait_gone "is locked until the"
sed -n '/^\[step "decommission"\]/,/^\[/p' "$state" | grep -q '^tick\.'; [ $? -ne 0 ]; ok $? "nothing ticked without the override"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
done_testing
