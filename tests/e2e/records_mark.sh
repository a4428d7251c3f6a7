#!/bin/sh
# records_mark.sh - `osmigrate mark`: validation (unknown step/item/status
# listed, skip needs a reason), the restore-database order rule (Deployment
# Controller first) and the decommission lock, their overrides recorded in
# the state file and the journal, status rules, and the state file lock.
. "$top_srcdir/tests/lib/tap.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-mark.XXXXXX")
lockpid=
cleanup() {
	[ -n "$lockpid" ] && kill "$lockpid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'cleanup; exit 129' HUP
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

st=$work/restore.ini
umask 077
cat >"$st" <<'INI'
[osmigrate]
version = 1
runbook = restore-database

[server "FE1"]
role = frontend

[server "DC"]
role = controller

[server "FE2"]
role = frontend
INI

mark() { # args... -> $out (stdout+stderr), $rc
	out=$("$OSMIGRATE" mark --state "$st" "$@" 2>&1)
	rc=$?
}
has() { printf '%s\n' "$out" | grep -qF -- "$1"; ok $? "$2"; }

mark nosuch done
is "$rc" 64 "unknown step: exit 64"
has "decommission" "unknown step: the valid step ids are listed"
mark servers finished
is "$rc" 64 "unknown status: exit 64"
mark servers done --item FE9
is "$rc" 64 "unknown item: exit 64"
has "  FE2" "unknown item: the valid items are listed"
mark backup done --item FE1
is "$rc" 64 "item on a step without items: exit 64"
mark backup skipped
is "$rc" 64 "skipped without --reason: exit 64"
has "needs --reason" "skipped without --reason says why"
mark servers done extra
is "$rc" 64 "extra argument: exit 64"

mark servers done --item FE1
is "$rc" 2 "front-end before the Deployment Controller: refused with exit 2"
has "Deployment Controller 'DC'" "the refusal names the controller to finish first"
has "--reason" "the refusal says how to override"
grep -q 'servers:FE1' "$st"
ok $((! $?)) "a refused mark changes nothing in the state file"

mark servers done --item DC --note "rebooted twice"
is "$rc" 2 "an item with unticked actions is not marked done without --reason (forced)"
has "'DC' has 7 of 7 actions unticked" "the refusal counts the unticked actions"
grep -q 'servers:DC' "$st"
ok $((! $?)) "a refused forced mark changes nothing in the state file"
mark servers done --item DC --note "rebooted twice" --reason "reconfigured before the window"
is "$rc" 0 "the controller can be marked done with a reason"
has "marked done" "mark says what it recorded"
grep -q '^overrode = forced: 0/7 actions ticked$' "$st"
ok $? "the forced mark is recorded as an override"
mark servers done --item FE1 --reason "reconfigured before the window"
is "$rc" 0 "after the controller, a front-end can be marked done"

mark servers done --item FE2 --reason "FE2 is being decommissioned"
is "$rc" 0 "order rule: the controller is done, so FE2 needs no override"

# Reset to see an override: DC back to pending.
mark servers pending --item DC
is "$rc" 0 "an item can be set back to pending"
mark servers pending --item FE2
mark servers done --item FE2 --reason "FE2 serves only batch jobs"
is "$rc" 0 "order override with --reason: exit 0"
has "override recorded" "mark says an override was recorded"
grep -q '^reason = override: FE2 serves only batch jobs$' "$st"
ok $? "the override reason is in the state file"
grep -q "	servers	FE2	override	FE2 serves only batch jobs	" "$st.journal"
ok $? "the override is in the journal"

mark decommission done
is "$rc" 2 "decommission before the clone is verified: refused with exit 2"
has "locked until the clone was verified" "the refusal explains the lock"
mark decommission skipped --reason "keeping the old server as a standby"
is "$rc" 0 "skipping the decommission is never locked"
mark decommission pending
is "$rc" 0 "back to pending"

# A passed verification (as `check` records it) unlocks the step.  The
# check really runs (nothing listens on port 1: could not compare) and so
# records the digest of its [compare] settings; its status is then made ok.
cat >>"$st" <<'INI'

[compare]
old = host=127.0.0.1 port=1 dbname=old connect_timeout=5
new = host=127.0.0.1 port=1 dbname=new connect_timeout=5
INI
"$OSMIGRATE" check restore-database --step verify --state "$st" >/dev/null 2>&1 </dev/null
is "$?" 3 "clone_compare could not connect: recorded as could not check"
sed -i '/^\[check "clone_compare"\]/,/^\[/ s/^status = error$/status = ok/' "$st"
# The point of no return: every earlier step must be done or skipped first.
mark decommission done
is "$rc" 2 "decommission with earlier steps pending: refused with exit 2"
has "until the steps 'prerequisites' (pending), 'prepare' (pending), 'stop' (pending)" \
	"the refusal names every pending step"
has "'servers' (in-progress)" "with their status"
for s in prerequisites prepare stop backup restore verify servers solution settings republish; do
	mark "$s" skipped --reason "done outside osmigrate"
done
mark decommission done --note "old server switched off"
is "$rc" 0 "decommission after a passed verification: exit 0"
has "step marked done" "the step is recorded done"
sed -i 's/^status = ok$/status = failed/' "$st"
mark decommission pending
mark decommission done
is "$rc" 2 "a failed verification locks the step again"
mark decommission done --reason "verified with the DBMS tools instead"
is "$rc" 0 "lock override with --reason"
grep -q '^reason = override: verified with the DBMS tools instead$' "$st"
ok $? "the lock override is recorded in the state file"

# The journal holds one line per event.
n=$(grep -c '	status	' "$st.journal")
[ "$n" -ge 10 ]
ok $? "every status change is journaled ($n)"
grep -q "	servers	DC	overrode	forced: 0/7 actions ticked	" "$st.journal"
ok $? "what an override overrode is journaled"

# Status rules: all items done makes the step done.
st_main=$st
st=$work/rules.ini
cat >"$st" <<'INI'
[osmigrate]
version = 1
runbook = restore-database

[server "FE1"]
role = frontend

[server "DC"]
role = controller

[server "FE2"]
role = frontend
INI
mark stop done --item DC --action stop
mark stop done --item FE1 --action stop
out=$("$OSMIGRATE" status --state "$st")
printf '%s\n' "$out" | grep -q '^  \[>\] stop .*in-progress .*2/3 application servers done'
ok $? "step in progress with 2/3 items (status shows the count)"
mark stop skipped --item FE2 --reason "already stopped"
out=$("$OSMIGRATE" status --state "$st")
printf '%s\n' "$out" | grep -q '^  \[x\] stop .*done'
ok $? "step done once every item is done or skipped"

st=$st_main
perm=$(stat -c %a "$st.journal")
is "$perm" 600 "the journal is 0600"

# Another session holds the state file: exit 75, nothing changed.
if command -v flock >/dev/null 2>&1; then
	flock -n "$st.lock" sleep 30 &
	lockpid=$!
	sleep 0.3
	before=$(cksum <"$st")
	mark backup done
	is "$rc" 75 "state file locked by another process: exit 75"
	is "$(cksum <"$st")" "$before" "a locked state file is not touched"
	kill "$lockpid" 2>/dev/null; wait "$lockpid" 2>/dev/null; lockpid=
else
	skip "flock(1) not installed"
	skip "flock(1) not installed"
fi

# --action ticks one action through the same rules.
st2=$work/actions.ini
printf '[osmigrate]\nversion = 1\nrunbook = restore-database\n\n[server "DC"]\nrole = controller\n\n[server "FE1"]\nrole = frontend\n' >"$st2"
out=$("$OSMIGRATE" mark --state "$st2" servers done --item FE1 --action open_tool 2>&1)
is "$?" 2 "--action: ticking a front-end before the controller is refused"
out=$("$OSMIGRATE" mark --state "$st2" servers done --item DC --action nosuch 2>&1)
is "$?" 64 "--action: unknown action id: exit 64"
has "  open_tool " "the valid actions are listed"
for a in open_tool confirm_details start_iis apply_exit sc_install restart; do
	"$OSMIGRATE" mark --state "$st2" servers done --item DC --action "$a" >/dev/null 2>&1
done
out=$("$OSMIGRATE" mark --state "$st2" servers done --item DC --action running 2>&1)
is "$?" 0 "--action: the controller's last action ticked"
has "application server 'DC' marked done" "all actions ticked: the item is done"
grep -q "	servers	DC	tick.running	on	" "$st2.journal"
ok $? "the tick is journaled"
out=$("$OSMIGRATE" mark --state "$st2" servers pending --item DC --action running 2>&1)
has "application server 'DC' marked in-progress" "unticking moves the item back to in-progress"
out=$("$OSMIGRATE" mark --state "$st2" servers skipped --item DC --action running --reason x 2>&1)
is "$?" 64 "--action with skipped: exit 64"

# A fresh state file needs --runbook; with it, mark starts the procedure.
mark prerequisites done --state "$work/new.ini"
is "$rc" 64 "mark on a new state file without --runbook: exit 64"
out=$("$OSMIGRATE" mark --state "$work/new.ini" --runbook endpoint-change endpoints done 2>&1)
is "$?" 0 "mark --runbook starts a new state file"
grep -q '^runbook = endpoint-change$' "$work/new.ini"
ok $? "the new state file names its runbook"
out=$("$OSMIGRATE" mark --state "$work/new.ini" --runbook restore-database endpoints done 2>&1)
is "$?" 64 "--runbook that does not match the state file: exit 64"

printf 'garbage\n' >"$work/bad.ini"
out=$("$OSMIGRATE" mark --state "$work/bad.ini" prerequisites done 2>&1)
is "$?" 65 "corrupt state file: exit 65"

done_testing
