#!/bin/sh
# records_status.sh - `osmigrate status`: steps with marks, who/when, item
# counts, last check results and the next action; plain text without
# escape codes off a terminal; default state file lookup; exit codes 0, 64
# (no or ambiguous state file), 65 (bad state file).
. "$top_srcdir/tests/lib/tap.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-status.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'rm -rf "$work"; exit 129' HUP
trap 'rm -rf "$work"; exit 130' INT
trap 'rm -rf "$work"; exit 143' TERM
umask 077
export XDG_STATE_HOME="$work/xdg"
st=$work/cm.ini

cat >"$st" <<'INI'
[osmigrate]
version = 1
runbook = connector-migration
created = 2026-11-22T01:00:00Z

[extension "Orders DB"]
logical_database = orders

[extension "Billing"]

[extension "CRM"]

[step "prerequisites"]
status = done
by = alice@admin1
at = 2026-11-22T01:10:00Z
tick.platform_version = alice@admin1 2026-11-22T01:08:00Z
tick.pg_version = alice@admin1 2026-11-22T01:09:00Z
tick.approach = alice@admin1 2026-11-22T01:10:00Z

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
status = failed
at = 2026-11-22T01:05:00Z
label = connection to target
summary = authentication failed for user "osm"
fix = check the password
INI

out=$("$OSMIGRATE" status --state "$st" 2>&1)
is "$?" 0 "status of a good state file: exit 0"
has() { printf '%s\n' "$out" | grep -qE -- "$1"; ok $? "$2"; }
has '^Runbook: connector-migration' "names the runbook"
has '^  \[x\] prerequisites .* done' "done step with its mark"
has '^      by alice@admin1 at 2026-11-22T01:10:00Z' "who and when"
has '^  \[-\] connection .* skipped' "skipped step with its mark"
has 'reason: created by the DBA team' "the skip reason"
has '^  \[ \] rebind .*1/3 extensions done' "item progress of the rebind step"
has '^        \[x\] Billing +2/2' "per-item progress"
# Written by hand, without the digest of its settings: what it said is
# shown, as something to run again, not as the current verdict.
has 'stale +target_connect .*\(was FAILED\) +authentication failed' "the last check results"
has 'recorded before osmigrate tracked the settings of a check: run it again' \
	"a result without its settings digest is to be run again"
has "^Next: step 'rebind'" "the next step"
has 'In Database Connections, select the ardoPostgreSQL' "the next action in the seed's words"
printf '%s' "$out" | grep -q "$(printf '\033')"
ok $((! $?)) "no escape codes when stdout is not a terminal"
out=$(NO_COLOR=1 "$OSMIGRATE" status --state "$st" 2>&1)
printf '%s' "$out" | grep -q "$(printf '\033')"
ok $((! $?)) "no escape codes with NO_COLOR"

# Escape sequences stored in the state file never reach the terminal.
cp "$st" "$work/esc.ini"
printf '\n[step "types"]\nnote = evil \\x1b[2J note\n' >>"$work/esc.ini"
out=$("$OSMIGRATE" status --state "$work/esc.ini" 2>&1)
rc=$?
if [ "$rc" -eq 0 ]; then
	printf '%s' "$out" | grep -q "$(printf '\033')"
	ok $((! $?)) "control characters from the state file are not printed"
else
	# The state reader may refuse control characters outright: also safe.
	is "$rc" 65 "a state file with control characters is refused"
fi

out=$("$OSMIGRATE" status --state "$work/missing.ini" 2>&1)
is "$?" 64 "missing state file: exit 64"
has 'no state file at' "says there is no state file"
printf '[osmigrate\nversion = 1\n' >"$work/bad.ini"
out=$("$OSMIGRATE" status --state "$work/bad.ini" 2>&1)
is "$?" 65 "corrupt state file: exit 65"
has 'bad.ini' "the error names the file"
printf '[osmigrate]\nversion = 1\nrunbook = connector-migration\n' >"$work/open.ini"
chmod 644 "$work/open.ini"
out=$("$OSMIGRATE" status --state "$work/open.ini" 2>&1)
is "$?" 65 "state file readable by others: refused with exit 65"
out=$("$OSMIGRATE" status --bogus 2>&1)
is "$?" 64 "unknown option: exit 64"
out=$("$OSMIGRATE" status --help 2>&1)
is "$?" 0 "--help: exit 0"
has '^Usage: osmigrate status' "--help prints the usage"

# Default state files under $XDG_STATE_HOME/osmigrate.
out=$("$OSMIGRATE" status 2>&1)
is "$?" 64 "no default state file: exit 64"
has 'no state file in' "says where it looked"
"$OSMIGRATE" mark --runbook restore-database prerequisites skipped --reason "rehearsal" >/dev/null 2>&1
ok $? "mark --runbook creates the default state file"
out=$("$OSMIGRATE" status 2>&1)
is "$?" 0 "the one default state file is found"
has '^Runbook: restore-database' "status shows it"
"$OSMIGRATE" mark --runbook endpoint-change endpoints skipped --reason "rehearsal" >/dev/null 2>&1
out=$("$OSMIGRATE" status 2>&1)
is "$?" 64 "two default state files: exit 64"
has '--runbook endpoint-change' "the candidates are listed"
out=$("$OSMIGRATE" status --runbook endpoint-change 2>&1)
is "$?" 0 "--runbook picks one"
has '^Runbook: endpoint-change' "status of the chosen one"
perm=$(stat -c %a "$XDG_STATE_HOME/osmigrate")
is "$perm" 700 "the default state directory is 0700"

done_testing
