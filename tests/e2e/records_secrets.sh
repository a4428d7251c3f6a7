#!/bin/sh
# records_secrets.sh - a password in PGPASSWORD and a LifeTime token in
# OSMIGRATE_LIFETIME_TOKEN are used (the connection check passes with the
# password) but appear in no file osmigrate writes (state file, journal,
# saved answers, reports) and in no process command line while it runs.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pg.sh"

command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 is needed for the test listener"; exit 0; }

pg_start

work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-secrets.XXXXXX")
hangpid=
cleanup_secrets() {
	[ -n "$hangpid" ] && kill "$hangpid" 2>/dev/null
	rm -rf "$work"
	pg_cleanup
}
trap cleanup_secrets EXIT
trap 'cleanup_secrets; exit 129' HUP
trap 'cleanup_secrets; exit 130' INT
trap 'cleanup_secrets; exit 143' TERM
umask 077

# A LifeTime "server" that accepts and never answers keeps osmigrate busy
# long enough to look at every command line on the machine.
python3 - "$work/hang.port" <<'PY' &
import os, socket, sys, time
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(64)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write("%d\n" % l.getsockname()[1])
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
held = []
l.settimeout(1.0)
while os.getppid() != 1:
    try:
        c, _ = l.accept(); held.append(c)
    except socket.timeout:
        pass
PY
hangpid=$!
i=0
while [ ! -s "$work/hang.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$work/hang.port" ] || bail "the test listener did not start"
HANG=$(cat "$work/hang.port")

# The secrets: the fixture's real osm_app password, and a random token.
PW=osm_app_demo
TOKEN="osmtok-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
printf '%s\n%s\n' "$PW" "$TOKEN" >"$work/patterns"

cat >"$work/answers.ini" <<INI
[target]
host = 127.0.0.1
port = $PGPORT
dbname = postgres
user = osm_app

[lifetime]
url = http://127.0.0.1:$HANG/lifetimeapi/v2

[http]
timeout = 4
INI

# No ~/.pgpass or fixture pgpass: the password can only come from PGPASSWORD.
export HOME="$work"
unset PGPASSFILE PGSERVICEFILE PGSERVICE PGUSER PGDATABASE

# Scanner: every process's command line, looking for either secret.  The
# patterns come from a file so that grep's own command line holds neither.
scan() {
	found=0
	for f in /proc/[0-9]*/cmdline; do
		if { tr '\0' ' ' <"$f"; } 2>/dev/null | grep -qF -f "$work/patterns"; then
			found=1
			diag "secret in the command line of ${f%/cmdline}"
		fi
	done
	return $found
}

# The scanner must be able to fail: a process that does carry the token.
sh -c 'sleep 3' "$TOKEN" &
control=$!
sleep 0.2
scan >/dev/null 2>&1
ok $((! $?)) "control: the scanner sees a secret on a command line"
kill "$control" 2>/dev/null; wait "$control" 2>/dev/null

PGPASSWORD=$PW OSMIGRATE_LIFETIME_TOKEN=$TOKEN \
	"$OSMIGRATE" check connector-migration --answers "$work/answers.ini" \
	--state "$work/st.ini" --save-answers "$work/saved.ini" \
	>"$work/check.out" 2>&1 </dev/null &
checkpid=$!
clean=0
scans=0
while kill -0 "$checkpid" 2>/dev/null; do
	scan || clean=1
	scans=$((scans + 1))
	sleep 0.3
done
wait "$checkpid"
rc=$?
diag "check exit $rc after $scans scans"
[ "$scans" -ge 2 ]
ok $? "command lines were scanned while osmigrate ran ($scans times)"
is "$clean" 0 "neither secret on any command line while osmigrate ran"
grep -q '^Checking connection to target .* \.\.\. *ok$' "$work/check.out"
ok $? "the password from PGPASSWORD was used (connection ok)"
grep '^Checking' "$work/check.out" | sed 's/^/# /'

PGPASSWORD=$PW OSMIGRATE_LIFETIME_TOKEN=$TOKEN "$OSMIGRATE" mark --state "$work/st.ini" \
	connection done --note "tested as osm_app" >/dev/null 2>&1
ok $? "mark with the secrets in the environment"
PGPASSWORD=$PW OSMIGRATE_LIFETIME_TOKEN=$TOKEN "$OSMIGRATE" report --state "$work/st.ini" \
	-o "$work/report.md" 2>/dev/null
ok $? "report -o"
PGPASSWORD=$PW OSMIGRATE_LIFETIME_TOKEN=$TOKEN "$OSMIGRATE" report --state "$work/st.ini" \
	-f json -o "$work/report.json" 2>/dev/null
PGPASSWORD=$PW OSMIGRATE_LIFETIME_TOKEN=$TOKEN "$OSMIGRATE" status --state "$work/st.ini" \
	>"$work/status.out" 2>&1

for f in st.ini st.ini.journal saved.ini report.md report.json; do
	[ -s "$work/$f" ]
	ok $? "$f was written"
done
# Every file under the work directory, whatever osmigrate named it.
leaks=$(grep -rlF -f "$work/patterns" "$work" --exclude=patterns --exclude=answers.ini 2>/dev/null)
is "$leaks" "" "neither secret in any file osmigrate wrote"

done_testing
