#!/bin/sh
# tui_gates.sh - the gates in the wizard (issue 14): an item skipped in one
# step shows skipped, with its reason, in a later step listing it, and u
# visibly reopens it there; d on a step whose check FAILED asks for a typed
# reason (Esc changes nothing), which is recorded with what it overrode and
# journalled, and the step done with an item unfinished shows [x]!.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"

st=$TMUX_WORK/cm.ini
umask 077
cat >"$st" <<'INI'
[osmigrate]
version = 1
runbook = connector-migration

[extension "Orders"]

[extension "HRDB"]

[consumer "OrdersUI"]
url = http://127.0.0.1:1/OrdersUI/_ping.html
INI
"$OSMIGRATE" check connector-migration --step consumers --state "$st" >/dev/null 2>&1 </dev/null
is "$?" 2 "consumer_ping FAILED (nothing listens on port 1) and was recorded"
"$OSMIGRATE" mark --state "$st" rebind skipped --item HRDB --reason "HRDB stays on ardo" \
	>/dev/null 2>&1
is "$?" 0 "HRDB skipped in rebind"

tmux_start 80 24 "$OSMIGRATE" --state "$st"
tmux_wait "Resume at step"; ok $? "the wizard offers to resume"
tmux_keys r
tmux_wait "Actions (Space ticks)" || tmux_wait "Per extension"
goto() { # N: step N/9
	i=0
	while [ $i -lt 10 ]; do
		cur=$(tmux_screen | sed -n 's/.* step \([0-9]\)\/9 *$/\1/p' | head -1)
		[ -n "$cur" ] || return 1
		[ "$cur" -eq "$1" ] && return 0
		if [ "$cur" -lt "$1" ]; then tmux_keys n; else tmux_keys b; fi
		tmux_wait "step $(( cur < $1 ? cur + 1 : cur - 1 ))/9" 5 || return 1
		i=$((i + 1))
	done
	return 1
}
goto 5; ok $? "on the refresh step"
# Move the cursor to the HRDB line.
n=0
while ! tmux_screen | grep -q '> [+-] \[-\] HRDB' && [ $n -lt 12 ]; do
	tmux_keys j; sleep 0.3; n=$((n + 1))
done
tmux_screen | grep -q '> [+-] \[-\] HRDB'; ok $? "HRDB, skipped in rebind, shows skipped in refresh"
scr=$(tmux_screen | sed 's/^.*│//' | tr -s ' \n' '  ')
printf '%s\n' "$scr" | grep -q "skipped in step 'Rebind extensions': HRDB stays on ardo" || diag "$scr"
ok $? "with the step it was skipped in and its reason"
printf '%s\n' "$scr" | grep -q "0/2 extensions done, 1 skipped"
ok $? "the skipped item is not counted as done"
tmux_keys u
tmux_wait "HRDB reopened: pending" 5; ok $? "u says it reopened HRDB"
tmux_wait "[ ] HRDB" 5; ok $? "HRDB shows pending in refresh"
sed -n '/^\[item "refresh:HRDB"\]/,/^\[/p' "$st" | grep -q '^status = pending$'
ok $? "the reopening is saved in refresh"
sed -n '/^\[item "rebind:HRDB"\]/,/^\[/p' "$st" | grep -q '^status = skipped$'
ok $? "HRDB stays skipped in rebind"

goto 7; ok $? "on the consumers step"
# The step itself, not its item: the cursor on a note.
tmux_keys Tab
sleep 0.3
tmux_keys d
tmux_wait "Mark done?" 5 && tmux_keys y
tmux_wait "failed or stale checks" 5; ok $? "d over a FAILED check asks for a reason"
tmux_screen | grep -q "consumer_ping:OrdersUI"; ok $? "naming the check"
tmux_keys Escape
tmux_wait_gone "failed or stale checks" 5
sed -n '/^\[step "consumers"\]/,/^\[/p' "$st" | grep -q '^status = done$'
ok $((! $?)) "Esc: the step is not marked done"
sleep 0.3
tmux_keys d
tmux_wait "Mark done?" 5 && tmux_keys y
tmux_wait "failed or stale checks" 5
tmux_text "ping page down, tested by hand"
tmux_keys Enter
tmux_wait "[x]! Test consumers" 5; ok $? "a typed reason marks it done, forced: [x]! in the step list"
sed -n '/^\[step "consumers"\]/,/^\[/p' "$st" | grep -q '^reason = override: ping page down, tested by hand$'
ok $? "the reason is recorded"
sed -n '/^\[step "consumers"\]/,/^\[/p' "$st" | grep -q '^overrode = result consumer_ping:OrdersUI FAILED '
ok $? "with the result it overrode"
grep -q '	consumers		overrode	result consumer_ping:OrdersUI FAILED ' "$st.journal"
ok $? "and journalled"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
done_testing
