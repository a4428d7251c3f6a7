#!/bin/sh
# cli_rollback.sh - `osmigrate rollback` (issue 14 "A way back"): the way
# back built from what the state says was done, as text and Markdown, exit
# 0; rollback ticks recorded like any other (mark, journal) and shown by
# status and the report; every exit code.
. "$top_srcdir/tests/lib/tap.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-rollback.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'rm -rf "$work"; exit 129' HUP
trap 'rm -rf "$work"; exit 130' INT
trap 'rm -rf "$work"; exit 143' TERM
umask 077
XDG_STATE_HOME=$work/xdg; export XDG_STATE_HOME
T='root@host 2026-12-02T22:10:00Z'

run() { out=$("$OSMIGRATE" "$@" </dev/null 2>&1); rc=$?; }
has() { printf '%s\n' "$out" | grep -qE -- "$1"; ok $? "$2"; }
hasnt() { printf '%s\n' "$out" | grep -qE -- "$1"; ok $((! $?)) "$2"; }

ec=$work/ec.ini
cat >"$ec" <<INI
[osmigrate]
version = 1
runbook = endpoint-change

[endpoint]
old = old-db.example:5432
new = new-db.example:5432

[server "DC"]
role = controller

[server "FE1"]
role = frontend

[server "FE2"]
role = frontend
INI

# Nothing done yet: said, and still exit 0.
run rollback --state "$ec"
is "$rc" 0 "nothing reconfigured yet: exit 0"
has '^Nothing to roll back: no application server has been reconfigured yet' "says there is nothing to undo"
has '^Platform database address to put back: old-db.example:5432 \(the servers use new-db.example:5432 now\)$' "and which address would go back"

# The Deployment Controller (first in the file) was reconfigured, and FE1.
cat >>"$ec" <<INI

[item "servers:DC"]
status = done
tick.open_tool = $T

[item "servers:FE1"]
status = in-progress
tick.open_tool = $T
INI
run rollback --state "$ec"
is "$rc" 0 "rollback: exit 0"
has '^2 of 3 application servers reconfigured so far' "counts the servers already reconfigured"
n1=$(printf '%s\n' "$out" | grep -n '^1\. FE1 (front-end' | cut -d: -f1)
n2=$(printf '%s\n' "$out" | grep -n '^2\. DC (Deployment Controller, last' | cut -d: -f1)
[ -n "$n1" ] && [ -n "$n2" ] && [ "$n1" -lt "$n2" ]
ok $? "the front-end first, the Deployment Controller LAST"
hasnt 'FE2' "a server not reconfigured is not on the path"
has '^     \[ \] rollback_address +Open the Configuration Tool and put the old database address back' "each server's rollback actions with their ids"
has 'osmigrate mark servers done --item NAME --action ID' "and how to record them"

run rollback --state "$ec" --format md
is "$rc" 0 "--format md: exit 0"
has '^# Rollback path: How to change the OutSystems database endpoints' "Markdown title"
has '^## 2\. DC \(Deployment Controller, last' "a heading per server, controller last"
has '^- \[ \] Open the Configuration Tool .*\(`rollback_address`\)$' "GFM task list items with the action id"
has '^\*\*Platform database address to put back: old-db.example:5432' "the address in bold"

# Rollback ticks are recorded like any other.
run report --state "$ec" --format json
printf '%s\n' "$out" | grep -q '"rollback":null'; ok $? "report JSON: no rollback yet"
run mark servers done --item FE1 --action rollback_address --state "$ec"
is "$rc" 0 "mark ticks a rollback action"
has 'rollback action rollback_address ticked' "says so"
grep -q '^tick.rollback_address = ' "$ec"; ok $? "stored as a tick of the item"
grep -q 'rollback.tick.rollback_address' "$ec.journal"; ok $? "journalled as a rollback tick"
grep -A3 '^\[item "servers:FE1"\]' "$ec" | grep -q '^status = in-progress'; ok $? "the forward status is unchanged"
run rollback --state "$ec"
has '^     \[x\] rollback_address .*\(root@' "rollback shows the tick with who and when"
run status --state "$ec"
has '^Rollback under way' "status shows a rollback under way"
run report --state "$ec" --format md
has '^## Rollback$' "the report shows that a rollback happened"
has '^  - \[x\] Open the Configuration Tool' "with its ticks"
run report --state "$ec" --format json
printf '%s\n' "$out" | grep -q '"rollback":{"step":"servers","items":\[{"name":"FE1"'; ok $? "report JSON: the rollback"
run mark servers done --item FE1 --action rollback_nosuch --state "$ec"
is "$rc" 64 "an unknown action: 64"

# connector-migration: the extensions already rebound.
cm=$work/cm.ini
cat >"$cm" <<INI
[osmigrate]
version = 1
runbook = connector-migration

[extension "HRDB"]

[extension "Sales*DB"]

[extension "Untouched"]

[item "rebind:HRDB"]
status = done
tick.select_extension = $T
tick.change_connection = $T

[item "rebind:Sales*DB"]
status = in-progress
tick.select_extension = $T
INI
run rollback --state "$cm"
is "$rc" 0 "connector-migration: exit 0"
has '^2 of 3 extensions rebound so far' "the extensions already rebound"
has '^1\. HRDB ' "in order"
has 'rollback_rebind +In the Operations tab of the extension, change the Database Connection back to the ardoPostgreSQL' "rebind to the ardo connection"
has 'rollback_refresh +In Integration Studio, open the extension, select Refresh Entity' "refreshed"
has 'rollback_republish +Republish the consumer modules' "republished"
hasnt 'Untouched' "an extension not rebound is not on the path"
run rollback --state "$cm" -f md
has '^## 2\. Sales\\\*DB ' "Markdown escapes the names"

# restore-database, by --runbook (the default state file).
mkdir -p "$work/xdg/osmigrate"
cat >"$work/xdg/osmigrate/restore-database.ini" <<INI
[osmigrate]
version = 1
runbook = restore-database

[endpoint]
old = sql-old.example:1433

[server "DC"]
role = controller

[item "servers:DC"]
status = in-progress
tick.open_tool = $T
INI
run rollback --runbook restore-database
is "$rc" 0 "restore-database by --runbook: exit 0"
has '^Platform database address to put back: sql-old.example:1433$' "the old server's address"
has '^1\. DC \(Deployment Controller, last' "the controller"

# Exit codes.
run rollback --state "$ec" extra
is "$rc" 64 "an extra argument: 64"
run rollback --state "$ec" --format json
is "$rc" 64 "--format json: 64"
run rollback --nosuch
is "$rc" 64 "an unknown option: 64"
run rollback --state "$work/none.ini"
is "$rc" 64 "no state file there: 64"
run rollback --runbook nosuch
is "$rc" 64 "an unknown runbook: 64"
printf '[osmigrate]\nversion = 1\nrunbook = endpoint-change\n[server "X"\n' >"$work/bad.ini"
run rollback --state "$work/bad.ini"
is "$rc" 65 "a corrupt state file: 65"
run rollback --state "$ec" --help
is "$rc" 0 "--help: 0"
has '^Usage: osmigrate rollback' "its usage"
"$OSMIGRATE" rollback --state "$ec" >/dev/full 2>/dev/null
is "$?" 74 "standard output not written: 74"
done_testing
