#!/bin/sh
# tui_settings: the settings screen is the schema's (src/core/schema.c): every
# key of [compare] (old, new, schemas, exact) is shown and edited with its
# type's rules, the help gives the import columns of each inventory, and
# --save-answers writes the keys in the schema's order.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"

answers=$TMUX_WORK/rd-answers.ini
state=$TMUX_WORK/rd.ini
saved=$TMUX_WORK/rd-saved.ini
cat >"$answers" <<'EOA'
[compare]
schemas = "Sales Dept" hr
new = service=shop-new
old = service=shop-old

[server "DC1"]
role = controller
EOA
tmux_start 80 24 "$OSMIGRATE" --answers "$answers" --save-answers "$saved" \
	--state "$state" restore-database
tmux_wait "Actions (Space ticks)"; ok $? "wizard opens"
tmux_keys e
tmux_wait "Databases to compare"; ok $? "e opens the settings with [compare]"
tmux_screen | grep -q '  schemas  *"Sales Dept" hr *$'; ok $? "[compare] schemas is shown with its value"
tmux_screen | grep -q '  exact  *(not set) *$'; ok $? "[compare] exact is shown, not set"
# lifetime url, token_file, cafile, endpoint platform old, new, session old,
# new, log old, new, compare old, new, schemas, exact
tmux_screen | grep -q '  log old  *(not set) *$'; ok $? "[endpoint \"log\"] old is shown"
tmux_keys Down Down Down Down Down Down Down Down Down Down Down Down
tmux_wait ">   exact"; rc=$?
ok $rc "the cursor reaches exact"
[ $rc -eq 0 ] || diag "$(tmux_screen)"
tmux_keys Enter
tmux_wait "] exact"; ok $? "Enter asks for exact"
tmux_wait "count every table's rows"; ok $? "with the schema's help"
tmux_text "maybe"; tmux_keys Enter
tmux_wait "Not accepted: expected yes or no"; ok $? "a value that is not yes or no is refused, saying why"
tmux_keys C-u; tmux_text "no"; tmux_keys Enter
tmux_wait "saved: [compare] exact set"; ok $? "exact = no saved"
tmux_screen | grep -q '>   exact  *no *$'; ok $? "exact = no shown"
grep -q '^exact = no$' "$state"; ok $? "exact = no saved in the state file"
tmux_keys ?
tmux_wait " Help ("; ok $? "? shows the help"
tmux_wait "name, role, url"; ok $? "the help gives the import columns of the schema"
tmux_keys x
tmux_wait_gone " Help ("
tmux_keys Escape
tmux_wait "Spc tick"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
sed -n '/^\[compare\]/,/^$/p' "$saved" | grep -v '^$' >"$TMUX_WORK/compare"
printf '%s\n' '[compare]' 'old = service=shop-old' 'new = service=shop-new' \
	'schemas = "Sales Dept" hr' 'exact = no' | cmp -s - "$TMUX_WORK/compare"
rc=$?
ok $rc "--save-answers writes [compare] in the schema's order"
[ $rc -eq 0 ] || diag "$(cat "$saved")"
done_testing
