#!/bin/sh
# records_change_board.sh - the report as the record for the change board
# (issue 14), rendered with the GFM renderer (cmark-gfm): it starts with the
# verdict, then the ticket ([change] ticket), the window, the duration, the
# operators, then the overrides and forced items (a rollback that happened
# makes it "rolled back"); then the steps, the checks
# and the type findings sorted by severity.  It agrees with status: the
# failure marker in Markdown, the step verdict in JSON (M2).  Only the
# settings the runbook uses appear (no type verification, no token_file in
# an endpoint-change record); Outstanding says nothing twice.
. "$top_srcdir/tests/lib/tap.sh"

command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 is needed"; exit 0; }
command -v cmark-gfm >/dev/null 2>&1 || { echo "1..0 # SKIP cmark-gfm is not installed (scripts/deps.sh installs it)"; exit 0; }

work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-board.XXXXXX")
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
created = 2026-12-02T23:00:00Z

[extension "Orders"]

[extension "HRDB"]

[consumer "OrdersUI"]
url = http://127.0.0.1:1/OrdersUI/_ping.html

[consumer "Billing"]
url = http://127.0.0.1:1/Billing/_ping.html

[change]
ticket = CHG-2041

[types]
at = 2026-12-02T23:30:00Z
scope = public
blockers = 1
warnings = 1
infos = 1
columns = 42

[finding "1"]
code = text_length
severity = warning
schema = public
table = notes
column = body
pg_type = text
message = longer than 2000 characters

[finding "2"]
code = numeric_precision
severity = blocker
schema = public
table = orders
column = total
pg_type = numeric(40,2)
message = precision above 28 digits is truncated

[finding "3"]
code = info_only
severity = info
schema = public
table = orders
column = id
pg_type = integer
message = maps to Integer
INI
M() { "$OSMIGRATE" mark --state "$st" "$@" >/dev/null 2>&1; }
# Real FAILED pings (nothing listens on port 1).
"$OSMIGRATE" check connector-migration --step consumers --state "$st" >/dev/null 2>&1 </dev/null
M consumers done --item OrdersUI --action no_errors --reason "known outage of the ping page" \
	--operator "Ana Silva"
M rebind skipped --item HRDB --reason "HRDB stays on ardoPostgreSQL" --operator "Bo Ek"
M rebind done --item Orders --reason "rebound before the window" --operator "Bo Ek"
# A FAILED type verification with its blockers, as the scan records it.
printf '\n[check "type_verification"]\nstatus = failed\nat = 2026-12-02T23:30:00Z\nsummary = 1 blocker\n' >>"$st"

"$OSMIGRATE" report --state "$st" >"$work/r.md" 2>"$work/err"
is "$?" 0 "report (md): exit 0"
cmark-gfm -e table -e strikethrough "$work/r.md" >"$work/r.html" 2>"$work/err"
ok $? "cmark-gfm renders it"
"$OSMIGRATE" report --state "$st" --format json >"$work/r.json" 2>"$work/err"
is "$?" 0 "report (json): exit 0"
"$OSMIGRATE" status --state "$st" >"$work/status" 2>&1

python3 - "$work/r.html" "$work/r.json" "$work/status" >"$work/py.out" 2>&1 <<'PY'
import html, json, re, sys
h = open(sys.argv[1], encoding="utf-8").read()
d = json.load(open(sys.argv[2]))
status = open(sys.argv[3]).read()
def check(cond, what):
    print(("ok" if cond else "FAIL"), what)
def text(x):
    return html.unescape(re.sub(r"<[^>]+>", "", x))
blocks = re.findall(r"<(h1|h2|h3|p|ul|table)>(.*?)</\1>", h, re.S)
check(blocks[0][0] == "h1" and "Change record" in text(blocks[0][1]), "a title")
check(blocks[1][0] == "p" and text(blocks[1][1]) == "Verdict: incomplete", "then the verdict")
head = [text(li) for li in re.findall(r"<li>(.*?)</li>", blocks[2][1], re.S)]
check([x.split(":")[0] for x in head[:4]] == ["Ticket", "Window", "Duration", "Operators"],
      "then the ticket, the window, the duration, the operators: %s" % head[:4])
check(head[0] == "Ticket: CHG-2041", "the ticket from [change] ticket")
check("Ana Silva (" in head[3] and "Bo Ek (" in head[3], "the operators by name")
h2 = [text(b[1]) for b in blocks if b[0] == "h2"]
check(h2 == ["Overrides and forced items", "Steps", "Checks", "Type findings", "Environment",
             "Outstanding"], "sections in the change board's order: %s" % h2)
i = [b[0] for b in blocks].index("h2")
ov = [text(li) for li in re.findall(r"<li>(.*?)</li>", blocks[i + 1][1], re.S)]
check(any(o.startswith("step rebind, extension 'Orders': forced, done with 0/2 actions ticked: "
                       "rebound before the window (by Bo Ek (") for o in ov), "the forced item: %s" % ov)
check(any("consumer module 'OrdersUI': known outage of the ping page (by Ana Silva (" in o and
          "overrode: result consumer_ping:OrdersUI FAILED" in o for o in ov), "the override with what it overrode")
# Steps: the failure marker as status shows it.
rows = {}
for t in re.findall(r"<table>(.*?)</table>", h, re.S):
    for r in re.findall(r"<tr>(.*?)</tr>", t, re.S):
        cells = [text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
        if len(cells) == 6 and "(" in cells[1]:
            rows[cells[1].split("(")[-1].rstrip(")")] = cells[2]
check(rows.get("consumers", "").startswith("[!] in-progress, checks FAILED"),
      "Markdown: the consumers step [!], checks FAILED: %r" % rows.get("consumers"))
check(re.search(r"^  \[!\] consumers ", status, re.M) is not None, "status: the same step [!]")
js = {s["id"]: s for s in d["steps"]}
check(js["consumers"]["verdict"] == "failed" and js["consumers"]["mark"] == "[!]",
      "JSON: the step verdict field agrees: %r" % js["consumers"].get("verdict"))
check(js["prerequisites"]["verdict"] == "pending", "JSON: a pending step is pending")
ri = {x["name"]: x for x in js["refresh"]["items"]}
check(ri["HRDB"]["status"] == "skipped" and ri["HRDB"]["skipped_in"] == "rebind",
      "JSON: the skip carries to refresh")
check(d["verdict"] == {"status": "incomplete", "text": "incomplete", "overrides": 2}, "JSON verdict: %r" % d["verdict"])
check(d["ticket"] == "CHG-2041", "JSON ticket")
check(len(d["overrides"]) == 2 and d["overrides"][0]["forced"], "JSON overrides")
# Type findings: blockers first, infos left to the JSON.
t = h[h.index("Type findings"):h.index(">Environment<")]
tl = [text(li) for li in re.findall(r"<li>(.*?)</li>", t, re.S)]
check([x.split()[0] for x in tl] == ["blocker", "warning"], "type findings sorted by severity: %s" % tl)
# Outstanding: each thing once.
o = h[h.index(">Outstanding<"):]
ol = [text(li) for li in re.findall(r"<li>(.*?)</li>", o, re.S)]
check(len(ol) == len(set(ol)), "no line twice")
check(not any(x.startswith("type verification:") for x in ol),
      "the type blockers once (the check's line), not twice: %s" % ol)
check(any(x.startswith("check type_verification: ") for x in ol), "the check's line")
check(not any("consumer_ping:OrdersUI" in x for x in ol), "an overridden check is not outstanding again")
check(any("consumer_ping:Billing" in x for x in ol), "a failed check not overridden is")
check(sum(1 for x in ol if x.startswith("step rebind ")) == 1, "one line per open step")
PY
fails=$(grep -c '^FAIL' "$work/py.out")
is "$fails" 0 "the record for the change board"
grep '^FAIL' "$work/py.out" | sed 's/^/# /'
grep -q '^Traceback' "$work/py.out" && sed 's/^/# /' "$work/py.out"

# endpoint-change: only the settings it uses; no type verification.
st=$work/ec.ini
cat >"$st" <<'INI'
[osmigrate]
version = 1
runbook = endpoint-change

[lifetime]
url = https://lifetime.example.internal/lifetimeapi/rest/v2
token_file = /home/me/.config/osmigrate/lifetime.token

[endpoint]
old = sql-old.example.internal:1433
new = sql-new.example.internal:1433

[server "FE1"]
role = frontend
INI
for a in self_managed both_accessible list_servers; do M endpoints done --action "$a"; done
for a in open_tool change_address apply_exit sc_install restart running; do
	M servers done --item FE1 --action "$a"
done
M solution done --action create_solution
M settings done --action apply_settings
M republish done --action publish_running
out=$("$OSMIGRATE" report --state "$st" 2>&1)
printf '%s\n' "$out" | grep -q '^\*\*Verdict: complete\*\*$'; ok $? "every action ticked: complete"
printf '%s\n' "$out" | grep -qi 'token_file\|lifetime'; ok $((! $?)) "no token_file, no [lifetime]: it only fills the server list here"
printf '%s\n' "$out" | grep -qi 'type findings\|type verification\|type_verification'; ok $((! $?)) "no type verification in an endpoint-change record"
"$OSMIGRATE" report --state "$st" --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["types"] is None, d["types"]
assert not any(e["section"] == "lifetime" for e in d["environment"]), d["environment"]
assert d["verdict"]["status"] == "complete", d["verdict"]'
ok $? "JSON: types null, no [lifetime], verdict complete"
M solution pending --action create_solution
M solution done
out=$("$OSMIGRATE" report --state "$st" 2>&1)
printf '%s\n' "$out" | grep -q '^\*\*Verdict: complete with 1 override\*\*$'
ok $? "a step done with its action unticked: complete with 1 override"
printf '%s\n' "$out" | grep -q '^- step solution: forced, done with 0/1 actions ticked: (no reason given)'
ok $? "listed under the overrides and forced items"
out=$("$OSMIGRATE" report --state "$st" --format text 2>&1)
printf '%s\n' "$out" | grep -q '^Verdict:    complete with 1 override$'; ok $? "the text report agrees"
# The way back began (rollback.h): the verdict is "rolled back", everywhere.
M servers done --item FE1 --action rollback_address
out=$("$OSMIGRATE" report --state "$st" 2>&1)
printf '%s\n' "$out" | grep -q '^\*\*Verdict: rolled back\*\*$'; ok $? "a rollback that happened: rolled back"
"$OSMIGRATE" status --state "$st" | grep -q '^Verdict: rolled back$'; ok $? "status agrees"
"$OSMIGRATE" report --state "$st" --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["verdict"]["status"] == "rolled_back", d["verdict"]'
ok $? "JSON: rolled_back"
done_testing
