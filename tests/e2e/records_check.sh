#!/bin/sh
# records_check.sh - `osmigrate check`: the pg_upgrade-style lines, the
# summary and "What to do", every exit code (0 ok, 1 warnings, 2 failure,
# 3 could not check, failure winning over could-not-check, 64 usage, 65 bad
# answers file), and results recorded in the state file and the journal.
# Uses the endpoint checks against sockets this test opens on 127.0.0.1.
. "$top_srcdir/tests/lib/tap.sh"

command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 is needed for the test sockets"; exit 0; }

work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-rcheck.XXXXXX")
sockpid=
cleanup() {
	[ -n "$sockpid" ] && kill "$sockpid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'cleanup; exit 129' HUP
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
umask 077

python3 - "$work/ports" <<'PY' &
import os, socket, sys
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(64)
r = socket.socket(); r.bind(("127.0.0.1", 0))
h = socket.socket(); h.bind(("127.0.0.1", 0)); h.listen(64)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write("%d %d %d\n" % (l.getsockname()[1], r.getsockname()[1], h.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
held = []
l.settimeout(0.5)
h.settimeout(0.5)
while os.getppid() != 1:
    try:
        c, _ = l.accept(); c.close()
    except socket.timeout:
        pass
    try:
        c, _ = h.accept(); held.append(c)   # accepts, never answers
    except socket.timeout:
        pass
PY
sockpid=$!
i=0
while [ ! -s "$work/ports" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$work/ports" ] || bail "the test sockets did not start"
read -r LISTEN REFUSE HANG <"$work/ports"

answers() { # old new
	printf '[endpoint]\nold = %s\nnew = %s\n' "$1" "$2" >"$work/a.ini"
}
run() { # args... -> $out, $rc (stdin is never a terminal here)
	out=$("$OSMIGRATE" check "$@" </dev/null 2>&1)
	rc=$?
}
has() { printf '%s\n' "$out" | grep -qE -- "$1"; ok $? "$2"; }

answers "127.0.0.1:$LISTEN" "127.0.0.1:$LISTEN"
run endpoint-change --step endpoints --answers "$work/a.ini"
is "$rc" 0 "all ok: exit 0"
has '^Checking platform: old address 127\.0\.0\.1:[0-9]+ \.\.\. +ok$' "one padded Checking line per result"
has '^2 checks: 2 ok, 0 warnings, 0 failed, 0 could not check$' "summary line"
printf '%s\n' "$out" | grep -q 'What to do'
ok $((! $?)) "no advice when everything is ok"
col1=$(printf '%s\n' "$out" | grep '^Checking old' | awk '{ print index($0, " ok") }')
col2=$(printf '%s\n' "$out" | grep '^Checking new' | awk '{ print index($0, " ok") }')
is "$col1" "$col2" "results line up in one column"

answers "127.0.0.1:$REFUSE" "127.0.0.1:$LISTEN"
run endpoint-change --step endpoints --answers "$work/a.ini"
is "$rc" 1 "old endpoint unreachable (a warning only): exit 1"
has '\.\.\. +warning$' "the warning line"
has '^  What to do: ' "what to do for the warning"

answers "127.0.0.1:$LISTEN" "127.0.0.1:$REFUSE"
run endpoint-change --step endpoints --answers "$work/a.ini"
is "$rc" 2 "new endpoint refused: exit 2"
has '\.\.\. +FAILED$' "the FAILED line"
has '^FAILED: platform: new address' "the failure is explained after the summary"

run restore-database --step verify --answers "$work/a.ini"
is "$rc" 3 "clone not comparable (could not check): exit 3"
has '\.\.\. +error$' "the error line"

# Failure and could-not-check together: the failure decides (exit 2).
run restore-database --step prepare --answers "$work/a.ini"
is "$rc" 2 "prepare alone fails"
printf '[server "DC"]\nrole = controller\n' >>"$work/a.ini"
run restore-database --answers "$work/a.ini"
is "$rc" 2 "a failure and checks that could not run: exit 2"
has 'could not check$' "the summary counts both"

run restore-database --step prerequisites --answers "$work/a.ini"
is "$rc" 3 "a step without automated checks: exit 3, not 0 (nothing was checked)"
has 'No automated checks' "and says nothing was checked"

# Usage errors: 64.
run
is "$rc" 64 "no runbook: exit 64"
run nosuch --answers "$work/a.ini"
is "$rc" 64 "unknown runbook: exit 64"
XDG_STATE_HOME=$work/nosession; export XDG_STATE_HOME
run endpoint-change
is "$rc" 64 "no settings given and no session in the default state file: exit 64"
has 'no session of endpoint-change' "and says there is no session to check"
unset XDG_STATE_HOME
run endpoint-change --answers "$work/a.ini" --step nosuch
is "$rc" 64 "unknown step: exit 64"
has '^  endpoints ' "the valid steps are listed"
run endpoint-change restore-database --answers "$work/a.ini"
is "$rc" 64 "two runbooks: exit 64"

# Bad answers files: 65 with the line number.
printf '[endpoint]\nold = 127.0.0.1:1\ncolour = blue\n' >"$work/bad.ini"
run endpoint-change --answers "$work/bad.ini"
is "$rc" 65 "unknown key in the answers file: exit 65"
has 'bad\.ini.*3|line 3' "the error names line 3"
printf '[step "endpoints"]\nstatus = done\n' >"$work/progress.ini"
run endpoint-change --answers "$work/progress.ini"
is "$rc" 65 "progress sections are refused in an answers file: exit 65"
run endpoint-change --answers "$work/none.ini"
[ "$rc" -ne 0 ] && [ "$rc" -ne 1 ] && [ "$rc" -ne 2 ] && [ "$rc" -ne 3 ]
ok $? "a missing answers file is not mistaken for a check result (exit $rc)"

# Recorded in the state file and the journal.
answers "127.0.0.1:$LISTEN" "127.0.0.1:$REFUSE"
run endpoint-change --step endpoints --answers "$work/a.ini" --state "$work/st.ini"
is "$rc" 2 "with --state: same exit code"
has "^Results recorded in $work/st.ini" "says where the results went"
grep -q '^\[check "endpoint_new:platform"\]' "$work/st.ini"
ok $? "the result is in the state file"
sed -n '/^\[check "endpoint_new:platform"\]/,/^\[/p' "$work/st.ini" | grep -q '^status = failed'
ok $? "with its status"
grep -q "^old = 127.0.0.1:$LISTEN" "$work/st.ini"
ok $? "the answers were copied into the state file"
grep -q '	endpoints	platform	check.endpoint_new	failed: ' "$work/st.ini.journal"
ok $? "the journal records the check"
out=$("$OSMIGRATE" status --state "$work/st.ini" 2>&1)
has 'FAILED +endpoint_new:platform ' "status shows the last result"
answers "127.0.0.1:$LISTEN" "127.0.0.1:$LISTEN"
run endpoint-change --step endpoints --answers "$work/a.ini" --state "$work/st.ini"
is "$rc" 0 "a later run replaces the result"
sed -n '/^\[check "endpoint_new:platform"\]/,/^\[/p' "$work/st.ini" | grep -q '^status = ok'
ok $? "the state file holds the latest status"
run restore-database --answers "$work/a.ini" --state "$work/st.ini"
is "$rc" 64 "a state file of another runbook: exit 64"
run restore-database --step prepare --answers "$work/a.ini" --state "$work/rd.ini"
grep -q '	restore-database	prepare	platform	check.endpoint_new	ok' "$work/rd.ini.journal"
ok $? "the journal files a shared check id under this runbook's step"

# --save-answers: the settings of the state file, without progress, reusable.
run endpoint-change --step endpoints --state "$work/st.ini" --save-answers "$work/saved.ini"
is "$rc" 0 "check --state --save-answers: exit 0"
is "$(stat -c %a "$work/saved.ini")" 600 "the saved answers file is 0600"
grep -q "^new = 127.0.0.1:$LISTEN" "$work/saved.ini"
ok $? "the saved answers hold the settings"
grep -q '^\[\(check\|step\|item\|types\|finding\)' "$work/saved.ini"
ok $((! $?)) "the saved answers hold no progress and no check results"
run endpoint-change --step endpoints --answers "$work/saved.ini"
is "$rc" 0 "the saved answers file drives check again"
out=$(NO_COLOR= "$OSMIGRATE" check endpoint-change --step endpoints --answers "$work/a.ini" 2>&1 </dev/null)
printf '%s' "$out" | grep -q "$(printf '\033')"
ok $((! $?)) "no escape codes when stdout is not a terminal"

# Ctrl-C while a check waits: cancelled promptly, exit 130.
printf '[http]\ntimeout = 30\n[server "DC"]\nrole = controller\nurl = http://127.0.0.1:%s/M/_ping.html\n' \
	"$HANG" >"$work/hang.ini"
"$OSMIGRATE" check endpoint-change --step servers --answers "$work/hang.ini" \
	>"$work/hang.out" 2>&1 </dev/null &
pid=$!
sleep 1
kill -INT "$pid"
t0=$(date +%s)
wait "$pid"
rc=$?
t1=$(date +%s)
is "$rc" 130 "interrupted by SIGINT: exit 130"
[ $((t1 - t0)) -le 3 ]
ok $? "the waiting check stopped promptly ($((t1 - t0)) s, timeout was 30 s)"

done_testing
