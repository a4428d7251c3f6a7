#!/bin/sh
# records_report.sh - `osmigrate report`: the change record as Markdown,
# text and versioned JSON (validated with python3 -m json.tool and checked
# field by field), -o FILE written 0600, exit codes.
. "$top_srcdir/tests/lib/tap.sh"

command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 is needed to validate the JSON"; exit 0; }

work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-report.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'rm -rf "$work"; exit 129' HUP
trap 'rm -rf "$work"; exit 130' INT
trap 'rm -rf "$work"; exit 143' TERM
umask 077
st=$work/cm.ini

cat >"$st" <<'INI'
[osmigrate]
version = 1
runbook = connector-migration
created = 2026-11-22T01:00:00Z

[target]
host = db.example.com
port = 5432
dbname = shop
user = osm

[extension "Orders | DB"]
logical_database = orders

[extension "Billing"]

[step "prerequisites"]
status = done
by = alice@admin1
at = 2026-11-22T01:10:00Z
note = Platform 11.31.0 everywhere

[step "connection"]
status = skipped
by = alice@admin1
at = 2026-11-22T01:11:00Z
reason = created by the DBA team

[step "type_scan"]
status = done
by = alice@admin1
at = 2026-11-22T01:12:00Z

[item "rebind:Billing"]
status = done
by = bob@admin2
at = 2026-11-22T01:20:00Z
tick.select_extension = bob@admin2 2026-11-22T01:19:00Z
tick.change_connection = bob@admin2 2026-11-22T01:20:00Z

[check "target_connect"]
status = ok
at = 2026-11-22T01:05:00Z
label = connection to target
summary = PostgreSQL 15.8, TLS on, 2 ms

[check "consumer_ping:OrdersUI"]
status = failed
at = 2026-11-22T01:06:00Z
label = consumer OrdersUI
summary = 503 app pool down
fix = Start the application pool of OrdersUI in IIS.

[types]
at = 2026-11-22T01:30:00Z
scope = public
blockers = 1
warnings = 0
infos = 3
columns = 42

[finding "1"]
code = numeric_precision
severity = blocker
schema = public
table = orders
column = total
pg_type = numeric(40,2)
message = precision above 28 digits is truncated
count = 2
INI

"$OSMIGRATE" report --state "$st" --format json >"$work/r.json" 2>"$work/err"
is "$?" 0 "report --format json: exit 0"
python3 -m json.tool "$work/r.json" >/dev/null 2>&1
ok $? "the JSON is valid (python3 -m json.tool)"
python3 - "$work/r.json" >"$work/py.out" 2>&1 <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
def check(cond, what):
    print(("ok" if cond else "FAIL"), what)
check(d["version"] == 1, "version 1")
check(d["runbook"]["id"] == "connector-migration", "runbook id")
check(len(d["steps"]) == 9, "every step of the runbook")
s = {x["id"]: x for x in d["steps"]}
check(s["prerequisites"]["status"] == "done" and s["prerequisites"]["by"] == "alice@admin1", "who")
check(s["prerequisites"]["at"] == "2026-11-22T01:10:00Z", "when")
check(s["prerequisites"]["note"] == "Platform 11.31.0 everywhere", "note")
check(s["connection"]["reason"] == "created by the DBA team", "skip reason")
check(s["rebind"]["progress"] == {"actions": 1, "actions_ticked": 0, "items": 2,
      "items_done": 1, "items_skipped": 0}, "progress counts")
it = {x["name"]: x for x in s["rebind"]["items"]}
check(it["Billing"]["status"] == "done" and it["Billing"]["by"] == "bob@admin2", "item who")
check(it["Billing"]["actions"][0]["ticked"] and it["Billing"]["actions"][0]["by"] == "bob@admin2 2026-11-22T01:19:00Z".split()[0], "tick who")
check("Orders | DB" in it, "item names kept verbatim")
c = {x["id"]: x for x in d["checks"]}
check(c["consumer_ping:OrdersUI"]["status"] == "failed", "check status")
check(c["consumer_ping:OrdersUI"]["at"] == "2026-11-22T01:06:00Z", "check time")
check(d["types"]["blockers"] == 1 and d["types"]["columns"] == 42, "types summary")
check(d["types"]["findings"][0]["column"] == "total", "findings")
check(sorted(d["operators"]) == ["alice@admin1", "bob@admin2"], "operators")
env = {(e["section"], e["name"]): e["values"] for e in d["environment"]}
check(env[("target", None)]["host"] == "db.example.com", "environment")
check(any("consumer_ping:OrdersUI" in o for o in d["outstanding"]), "outstanding check")
check(any("Orders | DB" in o for o in d["outstanding"]), "outstanding item")
check(d["next"]["step"] == "rebind", "next action")
PY
fails=$(grep -c '^FAIL' "$work/py.out")
is "$fails" 0 "the JSON carries the whole record"
grep '^FAIL' "$work/py.out" | sed 's/^/# /'

out=$("$OSMIGRATE" report --state "$st" 2>&1)
is "$?" 0 "report (Markdown by default): exit 0"
has() { printf '%s\n' "$out" | grep -qF -- "$1"; ok $? "$2"; }
has "# Change record: Migrate from ardoPostgreSQL to supported PostgreSQL connector" "Markdown title"
has "| target.host | db.example.com |" "environment table"
has "Orders \\| DB" "a pipe in a name is escaped in Markdown"
has "- Reason: created by the DBA team" "skip reason"
has "alice@admin1, bob@admin2" "operators"
has "## Outstanding" "outstanding section"
has "blocker public.orders.total (numeric(40,2)): precision above 28 digits is truncated" "type blocker listed"
printf '%s' "$out" | grep -q "$(printf '\033')"
ok $((! $?)) "no escape codes"

out=$("$OSMIGRATE" report --state "$st" --format text 2>&1)
is "$?" 0 "report --format text: exit 0"
has "CHANGE RECORD:" "text title"
has "  [x]! 1  prerequisites  done, forced (actions unticked)" "text step line (done with its actions unticked: forced)"

: >"$work/out.md"
chmod 644 "$work/out.md"
"$OSMIGRATE" report --state "$st" -o "$work/out.md"
is "$?" 0 "report -o FILE: exit 0"
is "$(stat -c %a "$work/out.md")" 600 "the output file is 0600, even if it existed wider"
grep -q '^# Change record' "$work/out.md"
ok $? "the output file holds the record"
"$OSMIGRATE" report --state "$st" -f json -o "$work/new.json"
is "$(stat -c %a "$work/new.json")" 600 "a new output file is 0600"

# Not a regular file (a FIFO here, /dev/stdout in real use): written to, but
# its mode is left alone (chmod of a device node as root would be harmful).
mkfifo -m 644 "$work/fifo"
cat "$work/fifo" >"$work/fifo.out" &
catpid=$!
"$OSMIGRATE" report --state "$st" -f text -o "$work/fifo"
is "$?" 0 "report -o FIFO: exit 0"
wait "$catpid"
grep -q '^CHANGE RECORD' "$work/fifo.out"
ok $? "the record went through the FIFO"
is "$(stat -c %a "$work/fifo")" 644 "the FIFO's mode is not changed"

# The environment is the settings the runbook uses, in the schema's order
# (src/core/schema.c): an endpoint-change record carries [endpoint] and [server],
# not the [target] and [extension] left from another procedure.  The unnamed
# [endpoint] of an older state file is the platform database's.
cat >"$work/ec.ini" <<'INI'
[osmigrate]
version = 1
runbook = endpoint-change
created = 2026-11-22T01:00:00Z

[server "dc01"]
url = https://dc01.example.internal/Orders/_ping.html
role = controller

[target]
host = db.example.com

[extension "Orders"]
logical_database = orders

[endpoint]
new = sql-new.example.internal:1433
old = sql-old.example.internal:1433
INI
out=$("$OSMIGRATE" report --state "$work/ec.ini" --format text 2>&1)
is "$?" 0 "endpoint-change report: exit 0"
printf '%s\n' "$out" | sed -n '/^ENVIRONMENT$/,/^$/p' >"$work/ec.env"
printf '%s\n' ENVIRONMENT '  endpoint "platform" old = sql-old.example.internal:1433' \
	'  endpoint "platform" new = sql-new.example.internal:1433' \
	'  server "dc01" role = controller' \
	'  server "dc01" url = https://dc01.example.internal/Orders/_ping.html' '' |
	cmp -s - "$work/ec.env"
rc=$?
ok $rc "the environment lists the runbook's settings only, in the schema's order"
[ $rc -eq 0 ] || diag "$(cat "$work/ec.env")"
"$OSMIGRATE" report --state "$work/ec.ini" --format json >"$work/ec.json"
python3 - "$work/ec.json" <<'PY'
import json, sys
env = json.load(open(sys.argv[1]))["environment"]
assert [(e["section"], e["name"]) for e in env] == [("endpoint", "platform"), ("server", "dc01")], env
assert list(env[0]["values"]) == ["old", "new"], env
PY
ok $? "JSON: the same sections, in the same order"

out=$("$OSMIGRATE" report --state "$st" --format pdf 2>&1)
is "$?" 64 "unknown format: exit 64"
out=$("$OSMIGRATE" report --state "$st" -o "$work/no/such/dir/r.md" 2>&1)
is "$?" 74 "output not writable: exit 74"
has "could not create" "says why"
out=$("$OSMIGRATE" report --state "$work/none.ini" 2>&1)
is "$?" 64 "missing state file: exit 64"
printf 'x' >"$work/bad.ini"
out=$("$OSMIGRATE" report --state "$work/bad.ini" 2>&1)
is "$?" 65 "corrupt state file: exit 65"

done_testing
