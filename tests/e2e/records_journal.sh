#!/bin/sh
# records_journal.sh - the journal next to the state file: `status --log`
# shows each event; a line torn by kill -9 (or altered) is never shown as an
# event and does not swallow the next one; osmigrate killed with SIGKILL
# while it writes leaves only whole events.
. "$top_srcdir/tests/lib/tap.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-journal.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'rm -rf "$work"; exit 129' HUP
trap 'rm -rf "$work"; exit 130' INT
trap 'rm -rf "$work"; exit 143' TERM
umask 077
st=$work/ec.ini
j=$st.journal

"$OSMIGRATE" mark --state "$st" --runbook endpoint-change endpoints done --note "both reachable" >/dev/null
ok $? "mark writes a state file and journal"
"$OSMIGRATE" mark --state "$st" solution skipped --reason "no all-components solution here" >/dev/null
out=$("$OSMIGRATE" status --log --state "$st" 2>&1)
is "$?" 0 "status --log: exit 0"
n=$(printf '%s\n' "$out" | grep -c ' endpoints \| solution ')
is "$n" 3 "three events shown (status, note, status)"
printf '%s\n' "$out" | grep -q 'solution .*status .*skipped: no all-components solution here'
ok $? "the skip reason is in the journal"
printf '%s\n' "$out" | grep -q "^20[0-9-]*T[0-9:]*Z  $(id -un)@"
ok $? "each event has time and operator"

# A torn line: what a write interrupted by kill -9 leaves behind.
printf 'J1\t2026-11-22T04:31:00Z\tmallory@x\tendpoint-change\tsettings\t\tstatus\tdo' >>"$j"
out=$("$OSMIGRATE" status --log --state "$st" 2>&1)
printf '%s\n' "$out" | grep -q mallory
ok $((! $?)) "a torn last line is not shown as an event"
printf '%s\n' "$out" | grep -q '1 damaged or incomplete line'
ok $? "status --log says a line was ignored"
"$OSMIGRATE" mark --state "$st" settings done >/dev/null
out=$("$OSMIGRATE" status --log --state "$st" 2>/dev/null)
printf '%s\n' "$out" | grep -q ' settings .*status .*done$'
ok $? "the event after a torn line is whole"

# An altered complete line fails its checksum.
sed -i 's/both reachable/both REACHABLE/' "$j"
out=$("$OSMIGRATE" status --log --state "$st" 2>&1)
printf '%s\n' "$out" | grep -q 'REACHABLE'
ok $((! $?)) "an altered line is not shown as an event"

# SIGKILL while marking in a loop: whatever is on disk reads back as whole
# events (the unit test test_journal kills a writer inside write(2) too).
(
	while :; do
		"$OSMIGRATE" mark --state "$st" republish done --note "$(printf 'x%.0s' $(seq 1 150))" >/dev/null 2>&1
		"$OSMIGRATE" mark --state "$st" republish pending >/dev/null 2>&1
	done
) &
loop=$!
sleep 1
kill -9 "$loop" 2>/dev/null
# The loop's current osmigrate, if any, is killed too.
for p in $(pgrep -P "$loop" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
wait "$loop" 2>/dev/null
sleep 0.2
out=$("$OSMIGRATE" status --log --state "$st" 2>/dev/null)
is "$?" 0 "status --log after kill -9"
bad=$(printf '%s\n' "$out" | awk -F'  +' 'NF < 4' | wc -l)
is "$bad" 0 "every event shown after kill -9 is complete"
"$OSMIGRATE" mark --state "$st" republish done >/dev/null 2>&1
ok $? "the state file is usable after kill -9"

# Nothing secret ends up in the journal.
"$OSMIGRATE" mark --state "$st" settings done --note "conninfo host=db password=hunter2" >/dev/null
grep -rq hunter2 "$work"
ok $((! $?)) "a password in a note reaches neither the journal nor the state file"

done_testing
