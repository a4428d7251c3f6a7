#!/bin/sh
# proof_secrets.sh - a password in PGPASSWORD and a LifeTime token in
# OSMIGRATE_LIFETIME_TOKEN, both unique and both really used (the role's
# password and the fixture's Bearer token), reach no file osmigrate writes
# (state files, journals, saved answers, reports in every format, types and
# compare output files, locks, anything else under the test's directories),
# none of its stdout/stderr, and no process command line while any command
# runs (tests/lib/proof_scan.py watches /proc for the whole run, including
# every child osmigrate starts).  Commands: check for all three runbooks,
# types, compare, status (and --log), mark (also with a password= in a
# note), report md/json/text.  Modes: state, journal, report and answers
# files 0600, the default state directory 0700, under umask 022; a state
# file readable by others is refused (65) with the chmod that fixes it.
# records_secrets.sh covers the connector-migration check on its own.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pg.sh"
. "$top_srcdir/tests/lib/proof.sh"

command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 watches the command lines"; exit 0; }
pg_start
proof_workdir secrets
W=$PROOF_WORK

PW="pw-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
TOKEN="tok-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
printf '%s\n%s\n' "$PW" "$TOKEN" >"$W/patterns"
# The fixture checks this token (it keeps an existing token file).
mkdir -p "$W/http"
(umask 077; printf '%s' "$TOKEN" >"$W/http/token")
proof_http
proof_demo
# The role's password becomes the secret (over stdin: no command line).
printf "ALTER ROLE osm_app PASSWORD '%s';\n" "$PW" | pg_psql -X -q -v ON_ERROR_STOP=1 >/dev/null ||
	bail "could not set the password"
# Nothing but PGPASSWORD may supply it, nothing but the variable the token.
export PGPASSFILE="$W/no-pgpass" HOME="$W/home" XDG_STATE_HOME="$W/xdg"
mkdir -p "$HOME"
proof_answers proof-app "$W/in.ini"
unset PGHOST PGUSER PGDATABASE http_proxy https_proxy
sed '/^token_file/d' "$W/in.ini" >"$W/answers.ini"
rm -f "$W/in.ini" "$W/http/token.bak"

out=$W/out      # every stdout/stderr of osmigrate
files=$W/files  # every file osmigrate is told to write
mkdir -p "$out" "$files"
umask 022

# The scanner must be able to fail: a process that carries the token.
: >"$W/stop0"
rm -f "$W/stop0"
python3 "$top_srcdir/tests/lib/proof_scan.py" "$W/patterns" "$W/stop0" "$W/scan0" &
scan0=$!
proof_wait_file "$W/scan0.ready"
sh -c 'sleep 0.5' "$TOKEN" &
ctl=$!
wait "$ctl"
: >"$W/stop0"
wait "$scan0"
grep -q '^LEAK' "$W/scan0"
ok $? "control: the scanner sees a secret on a command line"

python3 "$top_srcdir/tests/lib/proof_scan.py" "$W/patterns" "$W/stop" "$W/scan" &
scanpid=$!
proof_wait_file "$W/scan.ready"
proof_on_exit ": >\"$W/stop\"; wait $scanpid 2>/dev/null"

export PGPASSWORD="$PW" OSMIGRATE_LIFETIME_TOKEN="$TOKEN"
n=0
run() {  # NAME ARGS...: osmigrate ARGS, stdout/stderr kept, exit code in $rc
	name=$1; shift
	n=$((n + 1))
	"$OSMIGRATE" "$@" >"$out/$name.out" 2>"$out/$name.err" </dev/null
	rc=$?
	echo "$name $rc" >>"$W/rcs"
}

for rb in connector-migration endpoint-change restore-database; do
	run "check-$rb" check "$rb" --answers "$W/answers.ini" --state "$files/$rb.ini" \
		--save-answers "$files/$rb.answers.ini"
	[ $rc -le 3 ]; ok $? "check $rb ran (exit $rc)"
done
grep -q '^Checking connection to target service proof-app \.\.\. *ok$' "$out/check-connector-migration.out"
ok $? "the password from PGPASSWORD was used (target connection ok)"
grep -q '^Checking environments to deploy to (LifeTime) \.\.\. *ok$' "$out/check-connector-migration.out"
ok $? "the token from OSMIGRATE_LIFETIME_TOKEN was used (LifeTime environments ok)"

run types-json types --answers "$W/answers.ini" --format json -o "$files/types.json"
[ $rc -le 2 ]; ok $? "types --format json -o (exit $rc)"
run types-text types --answers "$W/answers.ini" --no-data
run types-conninfo types "service=proof-app" --columns
run compare-json compare --exact --format json -o "$files/compare.json" "service=proof-app" "service=proof-app dbname=demo_restored"
is "$rc" 0 "compare with PGPASSWORD: identical (exit 0)"
run compare-text compare --exact "service=proof-app" "service=proof-app dbname=demo_restored"
run compare-uri compare --exact "postgresql://osm_app@127.0.0.1:$PGPORT/demo" "host=127.0.0.1 port=$PGPORT user=osm_app dbname=demo_restored"
is "$rc" 0 "compare with a URI and a conninfo, password from PGPASSWORD"

st=$files/connector-migration.ini
run mark1 mark --state "$st" prerequisites done --note "checked with the DBA"
run mark2 mark --runbook endpoint-change endpoints done --note "default state file"
is "$rc" 0 "mark into the default state file"
run status status --state "$st"
is "$rc" 0 "status"
run status-log status --log --state "$st"
run status-default status --runbook endpoint-change
for f in md json text; do
	run "report-$f" report --state "$st" --format "$f" -o "$files/report.$f"
	is "$rc" 0 "report --format $f -o"
	run "report-$f-stdout" report --state "$st" --format "$f"
done

: >"$W/stop"
wait "$scanpid"
diag "$(tail -1 "$W/scan")"
seen=$(sed -n 's/^seen \([0-9]*\) osmigrate.*/\1/p' "$W/scan")
# Quick commands (status, report) may start and end between two scans; the
# checks, types and compare runs last long enough to be seen.
[ "${seen:-0}" -ge 5 ]
ok $? "the scanner watched the osmigrate processes ($seen seen for $n commands)"
is "$(grep -c '^LEAK' "$W/scan")" 0 "neither secret on the command line of osmigrate or anything it started"
if grep -q '^CHILD' "$W/scan"; then diag "$(grep '^CHILD' "$W/scan")"; fi

# A note that carries a password (typed by mistake) is masked.  Run after
# the scanner: the secret is on this command line on purpose.
"$OSMIGRATE" mark --state "$st" prerequisites done --note "tried host=db password=$PW" \
	>"$out/mark-masked.out" 2>"$out/mark-masked.err"
is "$?" 0 "mark with password=... in the note"

leaks=$(grep -rlF -f "$W/patterns" "$files" "$out" "$HOME" "$XDG_STATE_HOME" 2>/dev/null)
is "$leaks" "" "neither secret in any file osmigrate wrote or printed"
[ -n "$leaks" ] && diag "$leaks"
nfiles=$(find "$files" "$out" "$XDG_STATE_HOME" -type f | wc -l)
[ "$nfiles" -ge 40 ]
ok $? "the search covered every output ($nfiles files)"
grep -q 'password=' "$st.journal" && ! grep -qF "$PW" "$st.journal"
ok $? "the journal keeps the note with the password masked"

# Modes, under umask 022.
for f in "$files"/*.ini "$files"/*.journal "$files"/report.* "$XDG_STATE_HOME"/osmigrate/*; do
	is "$(stat -c %a "$f")" 600 "mode 0600: ${f#"$W"/}"
done
is "$(stat -c %a "$XDG_STATE_HOME/osmigrate")" 700 "mode 0700: the default state directory"

# A state file others can read is refused, untouched, with the fix.
chmod 644 "$st"
cp "$st" "$W/before"
"$OSMIGRATE" status --state "$st" >"$W/o644" 2>&1
is "$?" 65 "a state file readable by others: exit 65"
grep -q "chmod 600 $st" "$W/o644"
ok $? "the message says how to fix it (chmod 600)"
"$OSMIGRATE" mark --state "$st" prerequisites pending >"$W/o644m" 2>&1
is "$?" 65 "mark refuses it too"
cmp -s "$st" "$W/before" && [ "$(stat -c %a "$st")" = 644 ]
ok $? "the refused file is left untouched"
chmod 600 "$st"
"$OSMIGRATE" status --state "$st" >/dev/null 2>&1
is "$?" 0 "after the chmod the state file is accepted"

done_testing
