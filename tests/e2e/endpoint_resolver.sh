#!/bin/sh
# endpoint_resolver.sh - what name resolution can do to the endpoint checks,
# in a network and mount namespace of this test's own (unshare, root only),
# so nothing leaves the machine and the host's files stay untouched:
#  - a DNS server that never answers (a UDP socket on the namespace's
#    127.0.0.1:53 that reads nothing back): the check gives up at its
#    timeout ("could not check", exit 3) instead of hanging in getaddrinfo();
#  - a name with two addresses (/etc/hosts bind-mounted), one listening and
#    one refusing: a warning naming the address that does not answer.
. "$top_srcdir/tests/lib/tap.sh"

if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null 2>&1 ||
	! command -v ip >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1 ||
	! unshare -n -m true 2>/dev/null; then
	echo "1..0 # SKIP needs root, unshare (network and mount namespaces), ip and python3"
	exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-resolver.XXXXXX")
trap 'rm -rf "$work"' EXIT
# glibc would wait 30 s for this server; the check must stop at its own 10 s.
printf 'nameserver 127.0.0.1\noptions timeout:30 attempts:1\n' >"$work/resolv.conf"
printf '127.0.0.1 localhost\n127.0.0.1 db.osmigrate.test\n127.0.0.2 db.osmigrate.test\n' >"$work/hosts"

cat >"$work/inner.sh" <<'EOF'
set -u
work=$1
ip link set lo up || exit 90
mount --bind "$work/resolv.conf" /etc/resolv.conf || exit 91
mount --bind "$work/hosts" /etc/hosts || exit 91
python3 - "$work" <<'PY' &
import os, socket, sys, time
dns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
dns.bind(("127.0.0.1", 53))                  # reads nothing, answers nothing
l = socket.socket()
l.bind(("127.0.0.1", 0))
l.listen(64)                                 # 127.0.0.2 on the same port refuses
with open(sys.argv[1] + "/port.tmp", "w") as f:
    f.write("%d\n" % l.getsockname()[1])
os.rename(sys.argv[1] + "/port.tmp", sys.argv[1] + "/port")
time.sleep(60)
PY
helper=$!
i=0
while [ ! -e "$work/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$work/port")

printf '[endpoint]\nnew = db.example.test:1433\n' >"$work/answers1.ini"
"$OSMIGRATE" check restore-database --step prepare --answers "$work/answers1.ini" >"$work/out1" 2>&1
echo $? >"$work/rc1"

printf '[endpoint]\nold = 127.0.0.1:%s\nnew = db.osmigrate.test:%s\n' "$port" "$port" >"$work/answers2.ini"
"$OSMIGRATE" check endpoint-change --step endpoints --answers "$work/answers2.ini" >"$work/out2" 2>&1
echo $? >"$work/rc2"
echo "$port" >"$work/port2"

# The token may go over plain http only to this machine: a name must be
# resolved to know that, and that lookup is bounded too.
printf '[lifetime]\nurl = http://lifetime.example.test/lifetimeapi/rest/v2\n[http]\ntimeout = 3\n' >"$work/answers3.ini"
t0=$(date +%s)
OSMIGRATE_LIFETIME_TOKEN=tok-resolver-test "$OSMIGRATE" check connector-migration --step prerequisites \
	--answers "$work/answers3.ini" >"$work/out3" 2>&1
echo $? >"$work/rc3"
echo $(( $(date +%s) - t0 )) >"$work/secs3"
kill "$helper" 2>/dev/null
exit 0
EOF

export OSMIGRATE
timeout 90 unshare -n -m sh "$work/inner.sh" "$work"
rc=$?
case $rc in
90|91) echo "1..0 # SKIP could not set up the namespace (exit $rc)"; exit 0 ;;
0) ;;
*) bail "the namespace script failed (exit $rc)" ;;
esac

is "$(cat "$work/rc1")" 3 "a DNS server that never answers: could not check (exit 3), no hang"
grep -q 'could not check: the resolver did not answer within' "$work/out1"; r=$?
ok $r "the summary says the resolver did not answer"
[ $r -eq 0 ] || diag "$(cat "$work/out1")"
grep -q 'DNS servers of this host did not answer for db.example.test' "$work/out1"
ok $? "the fix points at the resolver and names the host"

port=$(cat "$work/port2")
is "$(cat "$work/rc2")" 1 "a name with one address answering and one refusing: warning (exit 1)"
grep -q "only some addresses accept connections from this host; not reachable: 127.0.0.2:$port" "$work/out2"; r=$?
ok $r "the warning names the address that does not answer"
[ $r -eq 0 ] || diag "$(cat "$work/out2")"
grep -q "127.0.0.1:$port  *connected" "$work/out2"; ok $? "the detail lists every resolved address"
grep -q "Remove the stale DNS records of db.osmigrate.test" "$work/out2"; ok $? "the fix says what to do"

grep -q 'lifetime.example.test does not resolve here (the resolver did not answer within' "$work/out3"; r=$?
ok $r "LifeTime over plain http: a resolver that never answers is given up on, and said so"
[ $r -eq 0 ] || diag "$(cat "$work/out3")"
[ "$(cat "$work/secs3")" -lt 25 ]; ok $? "LifeTime over plain http: no wait for the resolver's own 30 s ($(cat "$work/secs3") s)"

done_testing
