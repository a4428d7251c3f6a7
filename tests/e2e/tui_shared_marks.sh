#!/bin/sh
# tui_shared_marks: the wizard open on a state file while 10 `mark`
# processes, started at once, mark 10 different servers done (issue 15).
# None waits for the wizard's session (the lock is held only while one
# change is written): all ten exit 0, the wizard shows them within 2 s
# without a key, and after it saves a change of its own and quits all ten
# are still done, each with its journal line.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"

state=$TMUX_WORK/ec.ini
answers=$TMUX_WORK/servers.ini
SERVERS="osfe01 osfe02 osfe03 osfe04 osfe05 osfe06 osfe07 osfe08 osfe09 osfe10"
{
	printf '[osmigrate]\nversion = 1\n'
	for s in $SERVERS; do printf '[server "%s"]\nrole = frontend\n' "$s"; done
} >"$answers"

tmux_start 80 24 "$OSMIGRATE" --state "$state" --answers "$answers" endpoint-change
tmux_wait "Actions (Space ticks)"; ok $? "the wizard opens"
tmux_keys n
tmux_wait "0/10 application servers done"; ok $? "it shows the servers step, none done"

# Another operator's claim (written as another osmigrate would: a new file
# renamed over the old one) shows on the server's line within 2 s.
python3 - "$state" <<'PY'
import os, sys, time
p = sys.argv[1]
s = open(p).read()
at = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())
sec = '[item "servers:osfe01"]'
line = 'claim = bob@admin2 ' + at + '\n'
s = s.replace(sec + '\n', sec + '\n' + line) if sec in s else s + sec + '\n' + line
open(p + '.new', 'w').write(s)
os.chmod(p + '.new', 0o600)
os.rename(p + '.new', p)
PY
tmux_wait "bob@admin2 is on it" 2; ok $? "another operator's claim shows on the server's line"
# Advisory: a tick on it is recorded, and said.
# (its second action: the first and last ping the server, whose result
# then takes the message line)
tmux_keys j j Space
tmux_wait "ticked on bob@admin2's claim (advisory: recorded, journaled)"
ok $? "ticking a server another operator claimed is allowed and said"
grep -q "	servers	osfe01	tick\.[a-z_]*	on	" "$state.journal"; ok $? "and journaled"
tmux_keys k k

# A claim: C on the first server; the list and status show who is on it.
tmux_keys C
tmux_wait "claimed (it was bob@admin2's)"; ok $? "C claims the server under the cursor, taking it over"
tmux_screen | tr -d '\n' | grep -q "osfe01, frontend .*$(id -un)@[^ ]* *│* *is on it"
ok $? "its line says who is on it now"
tmux_screen | grep -q "bob@admin2 is on it"; [ $? -ne 0 ]; ok $? "and no longer bob"
"$OSMIGRATE" status --state "$state" | grep -E "osfe01 .* is on it \(since " >/dev/null
ok $? "status shows the claim"

# Ten writers at once, while the wizard keeps the file open.
for s in $SERVERS; do
	"$OSMIGRATE" mark --state "$state" servers done --item "$s" --reason "done on the console" \
		>"$TMUX_WORK/mark.$s.out" 2>"$TMUX_WORK/mark.$s.err" &
	echo $! >>"$TMUX_WORK/pids"
done
fails=0
for p in $(cat "$TMUX_WORK/pids"); do
	wait "$p" || fails=$((fails + 1))
done
is "$fails" 0 "all ten marks exit 0 while the wizard is open"
[ "$fails" -eq 0 ] || diag "$(cat "$TMUX_WORK"/mark.*.err)"

# Shown within 2 s, no key pressed (the wizard polls the file).
tmux_wait "10/10 application servers done" 2
ok $? "the wizard shows all ten within 2 s"
tmux_wait "latest: osfe"; ok $? "and who made the latest change"
tmux_screen | grep -E "latest: osfe[0-9]+ done by [^ ]+ [0-9]+ s ago" >/dev/null
ok $? "as 'osfeNN done by OPERATOR N s ago'"

# The wizard saves a change of its own (a tick in the first step), then q.
tmux_keys b
tmux_wait "step 1/5"
tmux_keys Space
tmux_wait "ticked: "; ok $? "the wizard ticks an action of its own"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "the wizard saves and quits 0"

# [item "servers:osfeNN"] sections whose status is done
done_items() {
	awk '/^\[item "servers:osfe[0-9]*"\]/ { it = 1; next } /^\[/ { it = 0 }
	     it && $1 == "status" && $3 == "done" { n++ } END { print n + 0 }' "$state"
}
n=$(done_items)
is "$n" 10 "after the wizard saved and quit, all ten servers are still done"
"$OSMIGRATE" status --state "$state" | grep -q "is on it"; [ $? -ne 0 ]
ok $? "marking the claimed server done released its claim"
grep -q "	servers	osfe01	claim	on	" "$state.journal"; ok $? "the claim is journaled"
"$OSMIGRATE" status --state "$state" | grep -q '10/10 application servers done'
ok $? "status says 10/10"
grep -q '^tick\.' "$state"; ok $? "and the wizard's own tick is there too"
n=$(grep -c "	servers	osfe[0-9]*	status	done	" "$state.journal")
is "$n" 10 "the journal has the ten marks, one line each"
done_testing
