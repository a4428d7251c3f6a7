#!/bin/sh
# secrets_refused.sh - a password never enters through a connection string,
# a note keeps none, and the LifeTime token goes over plain http only to
# this machine and never through a proxy (issue 10, section 2).
#
#   - answers files whose connection strings carry a password in a form only
#     libpq's parser finds (user:pa?ss@, ?pass%77ord=): exit 65 naming the
#     line and the fix, the secret not echoed;
#   - the command lines of types and compare with such a password: exit 64
#     (a usage error, README "Exit codes"), nothing connects anywhere, the
#     secret not echoed, even where libpq's own message would quote it;
#   - mark --note/--reason with postgresql://u:SECRET@h: stored, journaled,
#     shown by status and every report format as postgresql://u:***@h; a
#     note written by hand into the state file is masked the same way;
#   - [lifetime] url = http://127.0.0.1.attacker.example:PORT/...: refused
#     before anything is sent (a name starting with "127." is a name);
#   - plain http to the LifeTime fixture on 127.0.0.1 with http_proxy,
#     HTTP_PROXY, ALL_PROXY and all_proxy pointing at a listening "proxy":
#     the check passes and the proxy never sees a connection.
# Every listener is on 127.0.0.1 and records each connection it gets.
. "$top_srcdir/tests/lib/tap.sh"

command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 runs the test listener"; exit 0; }
[ -x "$OSMIGRATE" ] || bail "no binary at $OSMIGRATE"

work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-secrets-refused.XXXXXX") || bail "mktemp"
chmod 700 "$work"
lpid=
http=
cleanup() {
	[ -n "$lpid" ] && kill "$lpid" 2>/dev/null
	[ -n "$http" ] && sh "$top_srcdir/scripts/httpfixture.sh" stop "$http" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
trap 'cleanup; exit 129' HUP
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
umask 077
export HOME="$work/home" XDG_STATE_HOME="$work/xdg"
mkdir -p "$HOME"
unset PGPASSWORD PGSERVICEFILE PGSERVICE OSMIGRATE_LIFETIME_TOKEN no_proxy NO_PROXY \
	http_proxy HTTP_PROXY https_proxy HTTPS_PROXY ALL_PROXY all_proxy

# The listener: accepts on 127.0.0.1, logs "connection" and what it got.
python3 - "$work/listen.port" "$work/listen.log" <<'PY' &
import os, socket, sys
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(64)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write("%d\n" % l.getsockname()[1])
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
log = open(sys.argv[2], "ab", buffering=0)
l.settimeout(0.5)
parent = os.getppid()
while os.getppid() == parent:
    try:
        c, _ = l.accept()
    except socket.timeout:
        continue
    log.write(b"connection\n")
    c.settimeout(1.0)
    try:
        log.write(c.recv(65536) + b"\n")
    except OSError:
        pass
    c.close()
PY
lpid=$!
i=0
while [ ! -s "$work/listen.port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$work/listen.port" ] || bail "the test listener did not start"
LPORT=$(cat "$work/listen.port")
: >"$work/listen.log"
nobody_connected() { ! grep -q '^connection' "$work/listen.log"; }

# ---- passwords in answers files: 65, the line, the fix ----

# has_fix FILE: the message says what to do instead.
has_fix() { grep -q '~/.pgpass' "$1" && grep -q 'PGPASSWORD' "$1" && grep -q 'service' "$1"; }

cat >"$work/a1.ini" <<EOF
[osmigrate]
version = 1
[target]
conninfo = postgresql://osm:pa?ss-SECRET1@127.0.0.1:$LPORT/shop
EOF
"$OSMIGRATE" check connector-migration --answers "$work/a1.ini" --step connection \
	--save-answers "$work/saved1.ini" >"$work/o1" 2>&1 </dev/null
is "$?" 65 "answers with user:pa?ss@ in a URI: exit 65"
grep -q "a1.ini, line 4" "$work/o1"; ok $? "the message names the file and line 4"
has_fix "$work/o1"; ok $? "the message names the fix (~/.pgpass, a service, PGPASSWORD)"
! grep -q SECRET1 "$work/o1"; ok $? "the password is not echoed"
[ ! -e "$work/saved1.ini" ]; ok $? "--save-answers wrote nothing"
[ "$(cat "$work/o1")" != "" ] || diag "no output"

cat >"$work/a2.ini" <<EOF
; the keyword percent-encoded, as libpq decodes it
[compare]
old = service=old
new = postgresql://127.0.0.1:$LPORT/shop?pass%77ord=SECRET2
EOF
"$OSMIGRATE" types --answers "$work/a2.ini" >"$work/o2" 2>&1 </dev/null
is "$?" 65 "answers with ?pass%77ord= in [compare] new: exit 65"
grep -q "a2.ini, line 4" "$work/o2"; ok $? "the message names line 4"
has_fix "$work/o2"; ok $? "the message names the fix"
! grep -q SECRET2 "$work/o2"; ok $? "the password is not echoed"

cat >"$work/a3.ini" <<EOF
[target]
host = 127.0.0.1
dbname = postgresql://osm:SECRET3@127.0.0.1:$LPORT/shop
EOF
"$OSMIGRATE" types --answers "$work/a3.ini" >"$work/o3" 2>&1 </dev/null
is "$?" 65 "answers with a password in a dbname libpq would expand: exit 65"
grep -q "a3.ini, line 3" "$work/o3"; ok $? "the message names line 3"
! grep -q SECRET3 "$work/o3"; ok $? "the password is not echoed"
nobody_connected; ok $? "nothing connected anywhere for the refused answers files"

# ---- passwords on the command line: 64, nothing runs ----

"$OSMIGRATE" types "postgresql://osm:SECRET4@127.0.0.1:$LPORT/shop" >"$work/o4" 2>&1 </dev/null
is "$?" 64 "types with a URI password: exit 64 (usage)"
grep -q "carries a password" "$work/o4"; ok $? "types says the connection string carries a password"
has_fix "$work/o4"; ok $? "types names the fix"
! grep -q SECRET4 "$work/o4"; ok $? "types does not echo the password"
"$OSMIGRATE" types -f json "postgresql://127.0.0.1:$LPORT/shop?pass%77ord=SECRET4" \
	>"$work/o4b" 2>&1 </dev/null
is "$?" 64 "types with ?pass%77ord=: exit 64"
! grep -q SECRET4 "$work/o4b"; ok $? "... not echoed"

"$OSMIGRATE" compare "postgresql://osm:SECRET5@[::1/shop" "service=new" >"$work/o5" 2>&1 </dev/null
is "$?" 64 "compare with a password in a URI libpq cannot parse: exit 64"
! grep -q SECRET5 "$work/o5"; ok $? "compare does not echo it (libpq's message would quote the URI)"
grep -q "OLD carries a password" "$work/o5"; ok $? "compare says OLD carries a password"
"$OSMIGRATE" compare "host=127.0.0.1 port=$LPORT dbname=a" \
	"postgresql://127.0.0.1:$LPORT/b?pass%77ord=SECRET5" >"$work/o5b" 2>&1 </dev/null
is "$?" 64 "compare with ?pass%77ord= in NEW: exit 64"
grep -q "NEW carries a password" "$work/o5b"; ok $? "compare says NEW carries a password"
has_fix "$work/o5b"; ok $? "compare names the fix"
nobody_connected; ok $? "types and compare connected nowhere"

# ---- notes and reasons: masked everywhere ----

st=$work/st.ini
"$OSMIGRATE" mark --state "$st" --runbook connector-migration prerequisites done \
	--note "tried postgresql://osm:SECRET6@db.example/shop" >"$work/o6" 2>&1
is "$?" 0 "mark --note with a URI password"
"$OSMIGRATE" mark --state "$st" connection skipped \
	--reason "psql postgresql://db.example/shop?pass%77ord=SECRET6" >"$work/o6b" 2>&1
rc=$?
is "$rc" 0 "mark --reason with a percent-encoded password"
[ "$rc" = 0 ] || diag "$(cat "$work/o6b")"
grep -qF 'note = "tried postgresql://osm:***@db.example/shop"' "$st" ||
	grep -qF 'note = tried postgresql://osm:***@db.example/shop' "$st"
ok $? "the state file keeps the note as postgresql://osm:***@db.example/shop"
grep -qF 'pass%77ord=***' "$st"; ok $? "the state file keeps the reason masked"
grep -qF 'osm:***@db.example' "$st.journal"; ok $? "the journal keeps the note masked"
"$OSMIGRATE" status --state "$st" >"$work/status.out" 2>&1
grep -qF 'osm:***@db.example' "$work/status.out"; ok $? "status shows the note masked"
"$OSMIGRATE" status --log --state "$st" >"$work/status-log.out" 2>&1
for f in md json text; do
	"$OSMIGRATE" report --state "$st" --format "$f" -o "$work/report.$f" 2>/dev/null
	# Markdown escapes the stars: compare without backslashes.
	tr -d '\\' <"$work/report.$f" | grep -qF 'osm:***@db.example'
	ok $? "report -f $f shows the note masked"
done
leaks=$(grep -lF SECRET6 "$st" "$st.journal" "$work/status.out" "$work/status-log.out" \
	"$work"/report.* 2>/dev/null)
is "$leaks" "" "SECRET6 in no state file, journal, status or report"

# A note written into the state file by hand (or by an older osmigrate).
sed 's|osm:\*\*\*@db.example|osm:SECRET7@db.example|' "$st" >"$work/hand.ini"
chmod 600 "$work/hand.ini"
grep -q SECRET7 "$work/hand.ini" || bail "could not write the hand-edited state file"
"$OSMIGRATE" status --state "$work/hand.ini" >"$work/hand.status" 2>&1
is "$?" 0 "status reads a hand-written note with a password"
"$OSMIGRATE" report --state "$work/hand.ini" -f json >"$work/hand.json" 2>&1
"$OSMIGRATE" report --state "$work/hand.ini" >"$work/hand.md" 2>&1
! grep -q SECRET7 "$work/hand.status" "$work/hand.json" "$work/hand.md"
ok $? "status and report mask it"
"$OSMIGRATE" mark --state "$work/hand.ini" prerequisites done >/dev/null 2>&1
! grep -q SECRET7 "$work/hand.ini"; ok $? "the next save drops it from the state file"

# ---- the LifeTime token: https, or plain http to this machine only ----

TOKEN="tok-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
cat >"$work/lt-evil.ini" <<EOF
[lifetime]
url = http://127.0.0.1.attacker.example:$LPORT/lifetimeapi/rest/v2
[http]
timeout = 3
[environment "Production"]
hostname = prod.example.internal
EOF
OSMIGRATE_LIFETIME_TOKEN=$TOKEN "$OSMIGRATE" check connector-migration --step deploy \
	--answers "$work/lt-evil.ini" >"$work/o8" 2>&1 </dev/null
grep -q "refusing to send the LifeTime token over plain http" "$work/o8"
ok $? "http://127.0.0.1.attacker.example: the token is refused, not sent"
grep -q "https://" "$work/o8"; ok $? "the fix says to use https://"
! grep -qF "$TOKEN" "$work/o8"; ok $? "the token is not echoed"
nobody_connected; ok $? "nothing connected to the listener"

if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
	skip "nginx is not installed (scripts/deps.sh installs nginx-light): proxy bypass"
	skip "nginx is not installed: proxy bypass"
	done_testing
	exit 0
fi
http=$work/http
sh "$top_srcdir/scripts/httpfixture.sh" start "$http" >"$work/http.log" 2>&1 ||
	{ diag "$(cat "$work/http.log")"; bail "could not start the nginx fixture"; }
# shellcheck disable=SC1091
. "$http/env"
cat >"$work/lt-proxy.ini" <<EOF
[lifetime]
url = $LIFETIME_URL
token_file = $LIFETIME_TOKEN_FILE
[http]
timeout = 3
[environment "Production"]
hostname = prod.example.internal
EOF
: >"$work/listen.log"
proxy=http://127.0.0.1:$LPORT
http_proxy=$proxy HTTP_PROXY=$proxy ALL_PROXY=$proxy all_proxy=$proxy \
	"$OSMIGRATE" check connector-migration --step deploy --answers "$work/lt-proxy.ini" \
	>"$work/o9" 2>&1 </dev/null
grep -Eq '^Checking environments to deploy to \(LifeTime\) \.\.\. *(ok|warning)$' "$work/o9"
ok $? "plain http to 127.0.0.1 with every proxy variable set: LifeTime answered directly"
grep '^Checking' "$work/o9" | sed 's/^/# /'
nobody_connected; ok $? "the proxy never saw a connection (nor the token)"
grep -q '^connection' "$work/listen.log" && diag "$(head -c 400 "$work/listen.log")"

done_testing
