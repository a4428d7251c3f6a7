#!/bin/sh
# endpoint_check.sh - `osmigrate check` for the endpoint checks against
# sockets this test opens on 127.0.0.1: a listener, a bound port that
# refuses (nothing listens), and a name under the reserved .invalid TLD.
# endpoint-change step "endpoints" (old and new; an older answers file's
# unnamed [endpoint] is the platform database's; three databases, Platform,
# Session and Log, with one refused), restore-database step "prepare" (new)
# and "verify" without [compare] (could not check).
. "$top_srcdir/tests/lib/tap.sh"

command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 is needed for the test sockets"; exit 0; }

work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-endpoint.XXXXXX")
sockpid=
cleanup() {
	[ -n "$sockpid" ] && kill "$sockpid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'cleanup; exit 129' HUP
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

# One listening socket and one bound-but-not-listening socket (connects to
# it get RST), held until this test ends; their ports go to $work/ports.
python3 - "$work/ports" <<'PY' &
import socket, sys, time
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(64)
r = socket.socket(); r.bind(("127.0.0.1", 0))
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write("%d %d\n" % (l.getsockname()[1], r.getsockname()[1]))
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    l.settimeout(1.0)
    try:
        c, _ = l.accept(); c.close()
    except socket.timeout:
        pass
    if os.getppid() == 1:   # the test is gone: do not linger
        break
PY
sockpid=$!
i=0
while [ ! -s "$work/ports" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$work/ports" ] || bail "the test sockets did not start"
read -r LISTEN REFUSE <"$work/ports"

answers() { # old new
	{
		echo "[endpoint]"
		[ -n "$1" ] && echo "old = $1"
		[ -n "$2" ] && echo "new = $2"
	} >"$work/answers.ini"
}
run() { # runbook step -> $out, $rc
	out=$("$OSMIGRATE" check "$1" --step "$2" --answers "$work/answers.ini" 2>&1)
	rc=$?
}
has() {
	printf '%s\n' "$out" | grep -qF -- "$1"
	set -- $? "$1" "$2"
	ok "$1" "$3"
	[ "$1" -eq 0 ] || diag "expected: $2" "$out"
}

answers "127.0.0.1:$LISTEN" "127.0.0.1:$LISTEN"
run endpoint-change endpoints
is "$rc" 0 "both endpoints reachable: exit 0"
has "Checking platform: old address 127.0.0.1:$LISTEN" "old endpoint checked (unnamed [endpoint]: platform)"
has "Checking platform: new address 127.0.0.1:$LISTEN" "new endpoint checked"

answers "127.0.0.1:$REFUSE" "127.0.0.1:$LISTEN"
run endpoint-change endpoints
is "$rc" 1 "old endpoint refused: a warning (exit 1), the procedure can go on"
has "platform: old address 127.0.0.1:$REFUSE refused from this host" "says what was observed, from where"
has "Seen from this admin host only" "and that the servers may see otherwise"
if printf '%s\n' "$out" | grep -q "APPLICATIONS ARE DOWN"; then down=1; else down=0; fi
ok "$down" "no claim that applications are down (seen from the admin host only)"

answers "127.0.0.1:$LISTEN" "127.0.0.1:$REFUSE"
run endpoint-change endpoints
is "$rc" 2 "new endpoint refused: FAILED (exit 2)"
has "Do not point the servers' Platform tab at this address yet" "the fix says not to switch yet"
has "nothing listens on that port" "and why"

answers "127.0.0.1:$LISTEN" "osmigrate-test.invalid:1433"
run endpoint-change endpoints
case $rc in 2|3) ok 0 "unresolvable new endpoint: not ok (exit $rc)" ;;
*) ok 1 "unresolvable new endpoint: not ok (exit $rc)"; diag "$out" ;; esac
has "osmigrate-test.invalid" "the name is in the message"

answers "127.0.0.1:$LISTEN" ""
run endpoint-change endpoints
is "$rc" 3 "new endpoint not configured: could not check (exit 3)"
has "Set [endpoint \"platform\"] new" "the fix names the setting"

# Three databases, each on its own pair; the log database's new address
# refuses: FAILED, naming the database.
{
	printf '[endpoint "platform"]\nold = 127.0.0.1:%s\nnew = 127.0.0.1:%s\n\n' "$LISTEN" "$LISTEN"
	printf '[endpoint "session"]\nold = 127.0.0.1:%s\nnew = 127.0.0.1:%s\n\n' "$LISTEN" "$LISTEN"
	printf '[endpoint "log"]\nold = 127.0.0.1:%s\nnew = 127.0.0.1:%s\n' "$LISTEN" "$REFUSE"
} >"$work/answers.ini"
run endpoint-change endpoints
is "$rc" 2 "three databases, log's new address refused: FAILED (exit 2)"
has "log: new address 127.0.0.1:$REFUSE refused" "the failure names the database"
for db in platform session log; do
	for k in old new; do
		has "Checking $db: $k address 127.0.0.1:" "$db $k address checked"
	done
done
has "6 checks: 5 ok, 0 warnings, 1 failed" "one failure among six"
has "Log tab" "the fix names the tab"
printf '\n[server "dc01"]\nrole = controller\n' >>"$work/answers.ini"
"$OSMIGRATE" check endpoint-change --step endpoints --answers "$work/answers.ini" \
	--state "$work/three.ini" >/dev/null 2>&1
grep -A1 '^\[check "endpoint_new:log"\]' "$work/three.ini" | grep -q 'status = failed'
ok $? "[check \"endpoint_new:log\"] status = failed recorded"
grep -A1 '^\[check "endpoint_new:session"\]' "$work/three.ini" | grep -q 'status = ok'
ok $? "[check \"endpoint_new:session\"] status = ok recorded"

# The report's server checklist: per tab, the address to type.
rep=$("$OSMIGRATE" report --state "$work/three.ini" --format text 2>&1)
printf '%s\n' "$rep" | grep -qF "Log tab: type 127.0.0.1:$REFUSE (it shows 127.0.0.1:$LISTEN now)"
ok $? "the report's server checklist gives the Log tab's address" || diag "$rep"
printf '%s\n' "$rep" | grep -qF "Platform tab: type 127.0.0.1:$LISTEN"
ok $? "and the Platform tab's"

printf '[endpoint]\nnew = [::1]:1\n' >"$work/answers.ini"
run restore-database prepare
case $rc in 2) ok 0 "restore-database prepare: [::1]:1 refused or unreachable (exit 2)" ;;
*) ok 1 "restore-database prepare: [::1]:1 (exit $rc)"; diag "$out" ;; esac
has "platform: new address [::1]:1" "prepare runs the new-server check"

answers "" "127.0.0.1:$LISTEN"
run restore-database prepare
is "$rc" 0 "restore-database prepare: new server reachable (exit 0)"

run restore-database verify
is "$rc" 3 "verify without [compare]: could not check (exit 3)"
has "Set [compare] old and new (PostgreSQL), or run the row count query the detail shows on both servers" \
	"the fix offers the ways on: PostgreSQL, exported counts"
has "or verify the clone with your DBMS tools and override with a recorded reason" \
	"and the override"

# Results are recorded in the state file.
answers "127.0.0.1:$REFUSE" "127.0.0.1:$LISTEN"
"$OSMIGRATE" check endpoint-change --step endpoints --answers "$work/answers.ini" \
	--state "$work/state.ini" >/dev/null 2>&1
is "$?" 1 "with --state: exit 1"
grep -A1 '^\[check "endpoint_old:platform"\]' "$work/state.ini" | grep -q 'status = warning'
ok $? "[check \"endpoint_old:platform\"] status = warning recorded"

done_testing
