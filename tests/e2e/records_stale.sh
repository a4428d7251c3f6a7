#!/bin/sh
# records_stale.sh - a check result is tied to the settings it was computed
# from.  clone_compare ok, then [compare] changed: status, report (md, text,
# json) and the wizard call the result stale ("settings changed since this
# check ran: run it again"), `mark decommission done` is refused; settings
# the check does not read leave it current; a result recorded without the
# digest (an older osmigrate) never unlocks either.
. "$top_srcdir/tests/lib/tap.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-stale.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'rm -rf "$work"; exit 129' HUP
trap 'rm -rf "$work"; exit 130' INT
trap 'rm -rf "$work"; exit 143' TERM
umask 077

st=$work/restore.ini
cat >"$st" <<'INI'
[osmigrate]
version = 1
runbook = restore-database

[compare]
old = host=127.0.0.1 port=1 dbname=old connect_timeout=5
new = host=127.0.0.1 port=1 dbname=new connect_timeout=5
INI

mark() { out=$("$OSMIGRATE" mark --state "$st" "$@" 2>&1); rc=$?; }
status() { out=$("$OSMIGRATE" status --state "$st" 2>&1); rc=$?; }
has() { printf '%s\n' "$out" | grep -qF -- "$1"; ok $? "$2"; }
hasnt() { printf '%s\n' "$out" | grep -qF -- "$1"; ok $((! $?)) "$2"; }

# The check runs for real (nothing listens on port 1) and records the
# digest of the [compare] it read; the test then turns its verdict into ok,
# as a passed verification would have recorded it.
"$OSMIGRATE" check restore-database --step verify --state "$st" >/dev/null 2>&1 </dev/null
is "$?" 3 "clone_compare ran (could not connect) and was recorded"
grep -q '^settings_digest = [0-9a-f]\{16\}$' "$st"; ok $? "the result carries the digest of its settings"
sed -i '/^\[check "clone_compare"\]/,/^\[/ s/^status = error$/status = ok/' "$st"

status
printf '%s\n' "$out" | grep -q '^  ok  *clone_compare'; ok $? "status: the current ok is shown as ok"
hasnt "settings changed since" "status: nothing stale yet"
# Decommission also waits for every earlier step (records_mark.sh).
for s in prerequisites prepare stop backup restore verify servers solution settings republish; do
	mark "$s" skipped --reason "done outside osmigrate"
done
mark decommission done
is "$rc" 0 "a current ok unlocks decommission"
mark decommission pending

# A setting the check does not read: still current.
printf '\n[endpoint]\nnew = db2.example:5432\n' >>"$st"
status
printf '%s\n' "$out" | grep -q '^  ok  *clone_compare'; ok $? "a change of [endpoint] leaves clone_compare current"

# [compare] now names another database: the ok was about the old one.
sed -i 's/^new = host=127.0.0.1 port=1 dbname=new connect_timeout=5$/new = host=127.0.0.1 port=1 dbname=other connect_timeout=5/' "$st"
grep -q 'dbname=other' "$st" || bail "the test could not change [compare] new"
status
printf '%s\n' "$out" | grep -q '^  stale  *clone_compare .*(was ok)'; ok $? "status: stale, and what it was"
has "settings changed since this check ran: run it again" "status: says why and what to do"
has "(locked: clone not verified)" "status: decommission is locked again"
mark decommission done
is "$rc" 2 "mark decommission done on a stale ok: refused (exit 2)"
has "settings changed since this check ran" "the refusal says the result is stale"
grep -q '^\[step "decommission"\]' "$st" && sed -n '/^\[step "decommission"\]/,/^\[/p' "$st" | grep -q '^status = done$'
ok $((! $?)) "decommission is not done"

out=$("$OSMIGRATE" report --state "$st" 2>&1); rc=$?
is "$rc" 0 "report (md): exit 0"
has "| stale (was ok) |" "report: the checks table says stale, not ok"
printf '%s\n' "$out" | grep -qE 'check clone\\?_compare: stale \(was ok\) - settings changed since this check ran: run it again'
ok $? "report: the outstanding list asks to run it again"
out=$("$OSMIGRATE" report --format text --state "$st" 2>&1)
has "stale (was ok) clone_compare" "report (text): stale"
"$OSMIGRATE" report --format json --state "$st" >"$work/r.json"
python3 - "$work/r.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
c = [x for x in d["checks"] if x["id"] == "clone_compare"][0]
assert c["status"] == "ok" and c["stale"] is True, c
assert c["stale_reason"] == "settings changed since this check ran: run it again", c
PY
ok $? "report (json): stale true with the reason"

# The same settings again: the result is about them again.
sed -i 's/dbname=other/dbname=new/' "$st"
mark decommission done
is "$rc" 0 "[compare] back as it was checked: the ok counts again"
mark decommission pending

# Recorded by an osmigrate that did not track settings: never unlocks.
sed -i '/^settings_digest = /d' "$st"
status
has "recorded before osmigrate tracked the settings of a check: run it again" \
	"status: a result without digest is not current"
mark decommission done
is "$rc" 2 "a result without digest does not unlock decommission"

# The wizard shows the stale result on its step and keeps decommission locked.
if command -v tmux >/dev/null 2>&1; then
	. "$top_srcdir/tests/lib/tmux.sh"
	sed -i 's/^new = host=127.0.0.1 port=1 dbname=new/new = host=127.0.0.1 port=1 dbname=other/' "$st"
	"$OSMIGRATE" check restore-database --step verify --state "$st" >/dev/null 2>&1 </dev/null
	sed -i '/^\[check "clone_compare"\]/,/^\[/ s/^status = error$/status = ok/' "$st"
	sed -i 's/dbname=other/dbname=third/' "$st"
	tmux_start 100 30 "$OSMIGRATE" --state "$st" restore-database
	tmux_wait "A saved session exists"; tmux_keys r
	tmux_wait "Actions (Space ticks)"; ok $? "wizard opens"
	i=0
	while ! tmux_screen | grep -q 'step 6/11' && [ $i -lt 12 ]; do tmux_keys n; sleep 0.2; i=$((i + 1)); done
	tmux_wait "step 6/11"; ok $? "on the verify step"
	tmux_wait "stale   clone"; ok $? "wizard: the result is shown as stale"
	tmux_wait "settings changed since this check ran"; ok $? "wizard: and why"
	tmux_keys n n n n n
	tmux_wait "step 11/11"
	tmux_wait "LOCKED"; ok $? "wizard: decommission stays locked"
	tmux_keys q
	tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
else
	for n in 1 2 3 4 5 6; do skip "tmux not installed"; done
fi

done_testing
