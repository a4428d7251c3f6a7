#!/bin/sh
# records_clock.sh - each step's start, end and duration (issue 14 "A
# clock"): recorded in UTC from osmigrate's clock (OSMIGRATE_NOW fakes it),
# shown by status and the report in local time with the UTC offset.
. "$top_srcdir/tests/lib/tap.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-clock.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'rm -rf "$work"; exit 129' HUP
trap 'rm -rf "$work"; exit 130' INT
trap 'rm -rf "$work"; exit 143' TERM
umask 077
st=$work/ec.ini
printf '[osmigrate]\nversion = 1\nrunbook = endpoint-change\n' >"$st"
at() { # UTC time, args...
	t=$1; shift
	OSMIGRATE_NOW=$t "$OSMIGRATE" mark --state "$st" "$@" >/dev/null 2>&1
}
at 2026-12-02T22:04:00Z endpoints done --action self_managed
at 2026-12-02T22:30:00Z endpoints done --action both_accessible
grep -q '^started = 2026-12-02T22:04:00Z$' "$st"; ok $? "the first tick starts the step, in UTC"
grep -q '^ended = ' "$st"; ok $((! $?)) "a step not done has not ended"
out=$(TZ=CET-1 "$OSMIGRATE" status --state "$st")
printf '%s\n' "$out" | grep -q '^      started 2026-12-02 23:04 +01:00, not ended$'
ok $? "status: started in local time with the UTC offset, not ended"
at 2026-12-02T23:10:30Z endpoints done --action list_servers
grep -q '^ended = 2026-12-02T23:10:30Z$' "$st"; ok $? "the last tick (step done) ends it, in UTC"
grep -q '^started = 2026-12-02T22:04:00Z$' "$st"; ok $? "the start is kept"
out=$(TZ=CET-1 "$OSMIGRATE" status --state "$st")
printf '%s\n' "$out" | grep -q '^      started 2026-12-02 23:04 +01:00, ended 2026-12-03 00:10 +01:00 (1 h 06 min)$'
ok $? "status: start, end and duration in CET (a POSIX TZ: no tzdata needed)"
out=$(TZ=EST5 "$OSMIGRATE" status --state "$st")
printf '%s\n' "$out" | grep -q 'started 2026-12-02 17:04 -05:00, ended 2026-12-02 18:10 -05:00 (1 h 06 min)'
ok $? "status: the same record in New York time"
TZ=CET-1 "$OSMIGRATE" report --state "$st" --format md >"$work/r.md"
grep -q '^- Started 2026-12-02 23:04 +01:00, ended 2026-12-03 00:10 +01:00 (1 h 06 min)$' "$work/r.md"
ok $? "report (Markdown): the step's start, end and duration"
TZ=CET-1 "$OSMIGRATE" report --state "$st" --format text >"$work/r.txt"
grep -q '^   Started 2026-12-02 23:04 +01:00, ended' "$work/r.txt"; ok $? "report (text) too"
"$OSMIGRATE" report --state "$st" --format json >"$work/r.json"
grep -q '"started":"2026-12-02T22:04:00Z","ended":"2026-12-02T23:10:30Z","duration_s":3990' "$work/r.json"
ok $? "report (JSON): UTC as stored and the duration in seconds"
at 2026-12-02T23:20:00Z endpoints pending --action list_servers
grep -q '^ended = ' "$st"; ok $((! $?)) "reopened (an action unticked): no longer ended"
at 2026-12-02T23:25:00Z servers skipped --reason "no servers in this lab"
grep -A8 '^\[step "servers"\]' "$st" | grep -q '^ended = 2026-12-02T23:25:00Z$'; ok $? "a skipped step has ended too"
done_testing
