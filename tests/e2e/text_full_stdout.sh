#!/bin/sh
# text_full_stdout: output lost to a full disk (>/dev/full) is an error for
# every command: exit 74 and a message on stderr, never a silent success.
# A verdict (0-3) becomes 74, since the output it belongs to is lost; a
# usage error keeps its 64.
. "$top_srcdir/tests/lib/tap.sh"

[ -w /dev/full ] || { echo "1..0 # SKIP no /dev/full"; exit 0; }
work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-full.XXXXXX")
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

[step "prerequisites"]
status = done
by = alice@admin1
at = 2026-11-22T01:10:00Z

[check "target_connect"]
status = failed
at = 2026-11-22T01:05:00Z
summary = refused
INI
# A port nothing listens on: the endpoint check answers at once.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 9)
printf '[endpoint]\nold = 127.0.0.1:%s\nnew = 127.0.0.1:%s\n' "$port" "$port" >"$work/ep.ini"
ci="host=127.0.0.1 port=$port dbname=x connect_timeout=2"

full() { # expected-code label args...
	want=$1 label=$2; shift 2
	"$OSMIGRATE" "$@" </dev/null >/dev/full 2>"$work/err"
	rc=$?
	is "$rc" "$want" "$label >/dev/full: exit $want"
	if [ "$want" = 74 ]; then
		grep -q "standard output" "$work/err"; ok $? "$label >/dev/full: says standard output was not written"
	fi
}

full 74 "--help" --help
full 74 "--version" --version
for c in check status mark report types compare; do
	full 74 "$c --help" "$c" --help
done
full 74 "status" status --state "$st"
full 74 "status --log" status --log --state "$st"
full 74 "report (md)" report --state "$st"
full 74 "report -f text" report -f text --state "$st"
full 74 "report -f json" report -f json --state "$st"
full 74 "types --print-sql" types --print-sql
"$OSMIGRATE" check endpoint-change --step endpoints --answers "$work/ep.ini" </dev/null >/dev/null 2>&1
rc=$?
[ "$rc" -ge 1 ] && [ "$rc" -le 3 ]; ok $? "check with a closed port: a verdict (1-3) to standard output ($rc)"
full 74 "check (a verdict of $rc)" check endpoint-change --step endpoints --answers "$work/ep.ini"
"$OSMIGRATE" compare "$ci" "$ci" </dev/null >/dev/null 2>&1
is "$?" 3 "compare that cannot connect: exit 3 to standard output"
full 74 "compare (could not compare)" compare "$ci" "$ci"
full 74 "mark" mark prerequisites pending --state "$st"
grep -q '^status = pending' "$st"; ok $? "mark: the state file was written even so (only the confirmation was lost)"

# A more specific exit code than a lost verdict stays.
full 64 "status --bogus (usage)" status --bogus
full 64 "the wizard without a terminal" connector-migration
full 64 "report of a missing state file" report --state "$work/none.ini"

done_testing
