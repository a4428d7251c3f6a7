#!/bin/sh
# proof_valgrind.sh - the main headless commands and one short wizard walk
# in tmux under valgrind memcheck: 0 errors and 0 bytes definitely lost.
# Every run is `valgrind --error-exitcode=99 --leak-check=full
# --errors-for-leak-kinds=definite` with its own log; the test fails on an
# exit of 99 or on any error or definite leak in a log.  Against the real
# fixtures: PostgreSQL (seed + restored copy) and nginx (HTTP and HTTPS with
# its CA, the LifeTime API with its token), so libpq, libcurl and OpenSSL
# paths run too.  Skips when valgrind is not installed; PROOF_VALGRIND=0
# skips it on purpose (e.g. a quick local run).
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pg.sh"

if [ "${PROOF_VALGRIND:-1}" = 0 ]; then echo "1..0 # SKIP PROOF_VALGRIND=0"; exit 0; fi
command -v valgrind >/dev/null 2>&1 || { echo "1..0 # SKIP valgrind is not installed (scripts/deps.sh installs it)"; exit 0; }
pg_start
. "$top_srcdir/tests/lib/proof.sh"
proof_workdir valgrind
W=$PROOF_WORK
proof_http
proof_demo
proof_answers proof-app "$W/answers.ini"
# One consumer over HTTPS, verified with the fixture's CA: OpenSSL runs too.
cat >>"$W/answers.ini" <<EOF

[consumer "OrdersUI_TLS"]
url = $HTTPS_BASE/OrdersUI/_ping.html
EOF
# valgrind slows the TLS handshake tenfold: give the pings room (timeouts
# are not what this test is about).
sed -i "s|^timeout = 5$|timeout = 60\\ncafile = $CA_FILE|" "$W/answers.ini"
export HOME="$W" XDG_STATE_HOME="$W/xdg"
unset http_proxy https_proxy OSMIGRATE_LIFETIME_TOKEN
mkdir -p "$W/vg"

VG="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite --num-callers=30"
n=0
# vg NAME EXPECTED-EXITS ARGS...: osmigrate ARGS under valgrind
vg() {
	name=$1 expect=$2; shift 2
	n=$((n + 1))
	$VG --log-file="$W/vg/$name.%p.log" "$OSMIGRATE" "$@" >"$W/$name.out" 2>&1 </dev/null
	rc=$?
	case " $expect " in
	*" $rc "*) ok 0 "valgrind: osmigrate $name (exit $rc)" ;;
	*) ok 1 "valgrind: osmigrate $name (exit $rc, expected one of $expect)"
	   diag "$(tail -5 "$W/$name.out")"; cat "$W/vg/$name".*.log 2>/dev/null | head -40 | sed 's/^/# /' ;;
	esac
}

# The control: the same invocation catches a program that loses memory.
LISTENER=$top_builddir/tests/tools/proof-listener
if [ -x "$LISTENER" ]; then
	$VG --log-file="$W/control.log" "$LISTENER" leak >/dev/null 2>&1
	rc=$?
	is "$rc" 99 "control: valgrind exits 99 on a definite leak"
	grep -q 'definitely lost' "$W/control.log"
	ok $? "control: the log names the leak"
else
	skip "control: tests/tools/proof-listener is not built"
fi

st=$W/cm.ini
vg help 0 --help
vg check-cm "1 2 3" check connector-migration --answers "$W/answers.ini" --state "$st"
grep -q '^Checking consumer module OrdersUI_TLS \.\.\. *ok$' "$W/check-cm.out"
rc=$?
ok $rc "the HTTPS ping ran (and passed) under valgrind"
[ $rc -eq 0 ] || diag "$(grep -A4 'OrdersUI_TLS' "$W/check-cm.out")"
# 3 is possible: the services' ports are not observed by default, and the
# republish step has no earlier page to compare with in a single run.
vg check-ec "0 1 2 3" check endpoint-change --answers "$W/answers.ini"
vg check-rd "0 1 2" check restore-database --answers "$W/answers.ini" --save-answers "$W/saved.ini"
vg types-json 2 types --answers "$W/answers.ini" --format json -o "$W/types.json"
vg types-nodata "1 2" types --answers "$W/answers.ini" --no-data
vg compare 0 compare --exact "service=proof-app" "service=proof-app dbname=demo_restored"
vg mark 0 mark --state "$st" prerequisites done --note "under valgrind"
vg status 0 status --state "$st"
vg status-log 0 status --log --state "$st"
vg report-md 0 report --state "$st"
vg report-json 0 report --state "$st" --format json -o "$W/report.json"
printf '[osmigrate]\nversion = 1\n[step "x"\n' >"$W/bad.ini"
chmod 600 "$W/bad.ini"
vg bad-state 65 status --state "$W/bad.ini"

# One short walk through the wizard in tmux: open, tick, next, quit, resume.
if command -v tmux >/dev/null 2>&1; then
	. "$top_srcdir/tests/lib/tmux.sh"
	# tmux.sh installs its own traps: chain them with ours.
	trap '_tmux_cleanup; proof_cleanup' EXIT
	trap '_tmux_cleanup; proof_cleanup; exit 1' INT TERM HUP
	TMUX_TIMEOUT=60
	ws=$W/wizard.ini
	tmux_start 80 24 $VG --log-file="$W/vg/tui.%p.log" "$OSMIGRATE" --state "$ws" connector-migration
	tmux_wait "Actions (Space ticks)" 60
	ok $? "valgrind: the wizard opens"
	tmux_keys Space
	tmux_wait "ticked by" 30
	ok $? "valgrind: Space ticks"
	tmux_keys n
	tmux_wait "step 2/9" 30
	ok $? "valgrind: n goes to the next step"
	tmux_keys q
	tmux_wait_exit 60
	is "$tmux_rc" 0 "valgrind: q exits 0 (not 99)"
	tmux_start 80 24 $VG --log-file="$W/vg/tui2.%p.log" "$OSMIGRATE" --state "$ws" connector-migration
	tmux_wait "A saved session exists" 60
	tmux_keys r
	tmux_wait "step 2/9" 30
	ok $? "valgrind: the wizard resumes"
	tmux_keys q
	tmux_wait_exit 60
	is "$tmux_rc" 0 "valgrind: q exits 0 after resume"
else
	skip "tmux is not installed: no wizard walk under valgrind"
fi

# The logs: -q leaves only errors and definite leaks in them.
bad=$(cat "$W"/vg/*.log 2>/dev/null | grep -c -E 'definitely lost|Invalid|uninitialised|Mismatched|Syscall param|ERROR SUMMARY: [1-9]|overlap')
nlogs=$(ls "$W"/vg/*.log 2>/dev/null | wc -l)
[ "$nlogs" -ge "$n" ]
ok $? "every run left a valgrind log ($nlogs logs for $n commands and the wizard)"
is "$bad" 0 "valgrind: 0 errors and 0 bytes definitely lost in all runs"
if [ "$bad" -ne 0 ]; then
	for f in "$W"/vg/*.log; do [ -s "$f" ] && { diag "== ${f##*/}"; head -60 "$f" | sed 's/^/# /'; }; done
fi

done_testing
