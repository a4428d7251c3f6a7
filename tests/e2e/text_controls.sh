#!/bin/sh
# text_controls: names and values with bidi controls (U+202A..U+202E,
# U+2066..U+2069, LRM/RLM/ALM), C1 controls (as UTF-8 and as raw bytes),
# escape codes, line separators and newlines, from the state file, the
# journal and a LifeTime that sends them, never reach the text outputs
# (status, status --log, check, report md and text) raw, and a newline in
# a name never starts an output line.  The JSON report stays valid and
# faithful: the same characters as \u escapes.
. "$top_srcdir/tests/lib/tap.sh"

command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 is needed to inspect the bytes"; exit 0; }
work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-ctl.XXXXXX")
fx="$top_srcdir/scripts/httpfixture.sh"
cleanup() {
	sh "$fx" stop "$work/fx" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
trap 'cleanup; exit 129' HUP
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
umask 077
unset OSMIGRATE_LIFETIME_TOKEN http_proxy https_proxy HTTPS_PROXY ALL_PROXY all_proxy

# clean FILE: no C0 control but newline, no DEL, no C1, no bidi control or
# mark, no line separator, no byte that is not valid UTF-8.
clean() {
	python3 - "$1" <<'PY'
import sys
s = open(sys.argv[1], "rb").read().decode("utf-8", "surrogateescape")
bad = []
for ch in s:
    o = ord(ch)
    if 0xdc80 <= o <= 0xdcff:
        bad.append("raw byte 0x%02x" % (o - 0xdc00))
    elif (o < 0x20 and ch != "\n") or 0x7f <= o <= 0x9f or o in (0x61c, 0x200e, 0x200f, 0x2028, 0x2029) \
            or 0x202a <= o <= 0x202e or 0x2066 <= o <= 0x2069:
        bad.append("U+%04X" % o)
if bad:
    print("# found: " + " ".join(bad[:12]))
    sys.exit(1)
PY
}
# no_injected FILE: no output line starts with the text after a newline.
no_injected() { ! grep -q '^ *INJECTED' "$1"; }

rlo=$(printf '\342\200\256') lri=$(printf '\342\201\246') lrm=$(printf '\342\200\216')
alm=$(printf '\330\234') c1=$(printf '\302\233') ls=$(printf '\342\200\250')
st=$work/cm.ini
cat >"$st" <<INI
[osmigrate]
version = 1
runbook = connector-migration
created = 2026-11-22T01:00:00Z

[target]
host = db.example.com
dbname = shop${rlo}evil

[extension "Evil${rlo}exe.txt"]
logical_database = l${lri}d${lrm}b${alm}

[extension "C1${c1}31m name"]

[step "prerequisites"]
status = done
by = alice@admin1
at = 2026-11-22T01:10:00Z
note = first\\nINJECTED by a note\\x9b31m raw C1 \\x1b[2J ${rlo}${ls}INJECTED after LS

[check "target_connect"]
status = failed
at = 2026-11-22T01:05:00Z
label = connection\\nINJECTED label
summary = refused${rlo}\\nINJECTED summary
detail = line one\\nline two ${c1}
fix = fix it${lri}\\x85
INI
chmod 600 "$st"

"$OSMIGRATE" status --state "$st" >"$work/status.out" 2>&1
is "$?" 0 "status of the hostile state: exit 0"
clean "$work/status.out"; ok $? "status: no raw control characters"
no_injected "$work/status.out"; ok $? "status: a newline in a value starts no line"
grep -q "Evil?exe.txt" "$work/status.out"; ok $? "status: the RLO is shown as '?'"
for f in md text; do
	"$OSMIGRATE" report -f $f --state "$st" >"$work/report.$f" 2>&1
	is "$?" 0 "report -f $f: exit 0"
	clean "$work/report.$f"; ok $? "report -f $f: no raw control characters"
	no_injected "$work/report.$f"; ok $? "report -f $f: a newline in a value starts no line"
done
"$OSMIGRATE" report -f json --state "$st" >"$work/report.json" 2>&1
is "$?" 0 "report -f json: exit 0"
clean "$work/report.json"; ok $? "report -f json: no raw control characters (escaped)"
grep -q 'Evil\\u202eexe.txt' "$work/report.json"; ok $? "report -f json: the RLO is escaped as \\u202e"
python3 - "$work/report.json" "Evil${rlo}exe.txt" "C1${c1}31m name" <<'PY'
import json, sys
r = json.load(open(sys.argv[1], encoding="utf-8"))
names = [s["name"] for s in r["environment"] if s["section"] == "extension"]
assert sys.argv[2] in names and sys.argv[3] in names, names
PY
ok $? "report -f json: valid, and the names are the same characters as in the state"

# ---- the journal: notes typed with controls ----
"$OSMIGRATE" mark prerequisites done --state "$st" \
	--note "$(printf 'note\nINJECTED by mark\342\200\256 \302\205 \033[31m')" >"$work/mark.out" 2>&1
is "$?" 0 "mark with a hostile note: exit 0"
clean "$work/mark.out"; ok $? "mark: no raw control characters"
"$OSMIGRATE" status --log --state "$st" >"$work/log.out" 2>&1
is "$?" 0 "status --log: exit 0"
grep -q "note" "$work/log.out"; ok $? "status --log: the note event is listed"
clean "$work/log.out"; ok $? "status --log: no raw control characters"
no_injected "$work/log.out"; ok $? "status --log: a newline in a note starts no line"
"$OSMIGRATE" report -f md --state "$st" >"$work/report2.md" 2>&1
clean "$work/report2.md" && no_injected "$work/report2.md"; ok $? "report after the note: still clean"

# ---- a LifeTime that sends hostile names ----
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
	skip "nginx is not installed: no LifeTime fixture"
	done_testing
fi
cp -r "$top_srcdir/demo/www" "$work/www"
chmod -R u+w "$work/www"
python3 - "$work/www/lifetimeapi/v2/applications.json" <<'PY'
import json, sys
p = sys.argv[1]
apps = json.load(open(p))
for a in apps:
    if a["Name"] == "Customers":
        a["Name"] = "Cust\nINJECTED app\u202e\u0085\u2066\x1b[2J"
        for s in a["AppStatusInEnvs"]:
            if s["ConsistencyStatusMessages"]:
                s["ConsistencyStatusMessages"] = "republish\nINJECTED message\u202d\u200f"
json.dump(apps, open(p, "w"))
PY
sh "$fx" start "$work/fx" --www "$work/www" >"$work/start.out" 2>&1
ok $? "LifeTime fixture starts" || { diag "$(cat "$work/start.out")"; done_testing; }
. "$work/fx/env"
cat >"$work/lt.ini" <<INI
[lifetime]
url = $LIFETIME_HTTPS_URL
token_file = $LIFETIME_TOKEN_FILE
cafile = $CA_FILE
INI
"$OSMIGRATE" check connector-migration --answers "$work/lt.ini" --step republish \
	--state "$work/lt-state.ini" >"$work/check.out" 2>&1 </dev/null
is "$?" 2 "check against the hostile LifeTime: the outdated application fails (exit 2)"
grep -q "Cust INJECTED app" "$work/check.out"; ok $? "check: the application is named, on one line"
clean "$work/check.out"; ok $? "check: no raw control characters"
no_injected "$work/check.out"; ok $? "check: a newline in a LifeTime name starts no line"
"$OSMIGRATE" status --state "$work/lt-state.ini" >"$work/lt-status.out" 2>&1
clean "$work/lt-status.out" && no_injected "$work/lt-status.out"; ok $? "status after the check: clean"
"$OSMIGRATE" report -f text --state "$work/lt-state.ini" >"$work/lt-report.txt" 2>&1
clean "$work/lt-report.txt" && no_injected "$work/lt-report.txt"; ok $? "report after the check: clean"
"$OSMIGRATE" status --log --state "$work/lt-state.ini" >"$work/lt-log.out" 2>&1
clean "$work/lt-log.out" && no_injected "$work/lt-log.out"; ok $? "journal after the check: clean"
done_testing
