#!/bin/sh
# records_operator.sh - --operator NAME / OSMIGRATE_OPERATOR: on a shared
# account (root@host) the person's name is recorded beside user@host on
# every record (by, tick, updated_by, override_by) and journal line, and the
# report's Operators come from it; a bad name is refused (exit 64) before
# anything is recorded; the wizard takes it too.
. "$top_srcdir/tests/lib/tap.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-operator.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'rm -rf "$work"; exit 129' HUP
trap 'rm -rf "$work"; exit 130' INT
trap 'rm -rf "$work"; exit 143' TERM
umask 077
st=$work/ec.ini
uh=$(id -un)@$(hostname)

"$OSMIGRATE" --operator "Ana Silva" mark --state "$st" --runbook endpoint-change endpoints done \
	--action self_managed >/dev/null 2>&1
is "$?" 0 "--operator before the command"
grep -q "^tick.self_managed = Ana Silva ($uh) 20" "$st"; ok $? "the tick records the name beside user@host"
grep -q "^updated_by = Ana Silva ($uh)$" "$st"; ok $? "updated_by too"
OSMIGRATE_OPERATOR="Bo Ek" "$OSMIGRATE" mark --state "$st" endpoints done --action both_accessible \
	>/dev/null 2>&1
is "$?" 0 "OSMIGRATE_OPERATOR"
grep -q "^tick.both_accessible = Bo Ek ($uh) 20" "$st"; ok $? "the environment's name is recorded"
OSMIGRATE_OPERATOR="Bo Ek" "$OSMIGRATE" mark --state "$st" endpoints done --action list_servers \
	--operator=Carla >/dev/null 2>&1
is "$?" 0 "--operator=NAME after the operands"
grep -q "^tick.list_servers = Carla ($uh) 20" "$st"; ok $? "--operator wins over OSMIGRATE_OPERATOR"
"$OSMIGRATE" mark --state "$st" solution done --reason "made by the vendor" --operator "Dee" \
	>/dev/null 2>&1
grep -q "^by = Dee ($uh)$" "$st"; ok $? "a status change records the name (by)"

cp "$st" "$work/before"
cp "$st.journal" "$work/before.journal"
out=$("$OSMIGRATE" mark --state "$st" settings done --operator "" 2>&1)
is "$?" 64 "an empty name: exit 64"
printf '%s\n' "$out" | grep -q "the operator's name is empty"; ok $? "says why"
out=$(OSMIGRATE_OPERATOR="$(printf 'a\tb')" "$OSMIGRATE" mark --state "$st" settings done 2>&1)
is "$?" 64 "a control character in OSMIGRATE_OPERATOR: exit 64"
printf '%s\n' "$out" | grep -q "OSMIGRATE_OPERATOR: the operator's name may not hold control"
ok $? "says which and why"
out=$("$OSMIGRATE" mark --state "$st" settings done --operator 2>&1)
is "$?" 64 "--operator without a name: exit 64"
cmp -s "$st" "$work/before" && cmp -s "$st.journal" "$work/before.journal"
ok $? "nothing recorded when the name is refused"

cut -f3 "$st.journal" | sort -u >"$work/ops"
grep -qx "Ana Silva ($uh)" "$work/ops" && grep -qx "Bo Ek ($uh)" "$work/ops" &&
	grep -qx "Carla ($uh)" "$work/ops" && grep -qx "Dee ($uh)" "$work/ops"
ok $? "every journal line carries the name"
out=$("$OSMIGRATE" report --state "$st" 2>&1)
printf '%s\n' "$out" | grep -q "^- Operators: .*Ana Silva ($uh)" &&
	printf '%s\n' "$out" | grep -q "Carla ($uh)" && printf '%s\n' "$out" | grep -q "Bo Ek ($uh)"
ok $? "the report's Operators come from the names"
"$OSMIGRATE" report --state "$st" --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
ops = d["operators"]
assert any(o.startswith("Ana Silva (") for o in ops), ops
assert not any(o.endswith("(") or o == "Ana" for o in ops), ops
'
ok $? "JSON operators: whole names, not cut at a space"

if command -v tmux >/dev/null 2>&1; then
	. "$top_srcdir/tests/lib/tmux.sh"
	tmux_start 80 24 "$OSMIGRATE" --operator "Eve Wizard" --state "$st"
	tmux_wait "Resume at step" 10 && tmux_keys r
	tmux_wait "Actions (Space ticks)" 10
	tmux_keys n
	tmux_wait "step 2/5" 5
	tmux_keys n
	tmux_wait "step 3/5" 5
	tmux_keys Home Space
	n=50; while ! grep -q "^tick.create_solution = Eve Wizard ($uh) 20" "$st" && [ $n -gt 0 ]; do
		sleep 0.1; n=$((n - 1)); done
	grep -q "^tick.create_solution = Eve Wizard ($uh) 20" "$st"; ok $? "the wizard records --operator"
	tmux_keys q
	tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
else
	skip "tmux not installed"
	skip "tmux not installed"
fi
done_testing
