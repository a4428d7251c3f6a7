#!/bin/sh
# endpoint_dns_timeout.sh - a DNS server that never answers: the endpoint
# check gives up after the timeout ("could not check", exit 3) instead of
# hanging in getaddrinfo().  Runs in a network and mount namespace of its
# own (unshare, root only): the namespace's resolv.conf names a UDP socket
# on the namespace's 127.0.0.1:53 that reads nothing back.  Nothing leaves
# the namespace.
. "$top_srcdir/tests/lib/tap.sh"

if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null 2>&1 ||
	! command -v ip >/dev/null 2>&1 || ! command -v python3 >/dev/null 2>&1 ||
	! unshare -n -m true 2>/dev/null; then
	echo "1..0 # SKIP needs root, unshare (network and mount namespaces), ip and python3"
	exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-dns.XXXXXX")
trap 'rm -rf "$work"' EXIT
printf '[endpoint]\nnew = db.example.test:1433\n' >"$work/answers.ini"
# glibc would wait 30 s for this server; the check must stop at its own 10 s.
printf 'nameserver 127.0.0.1\noptions timeout:30 attempts:1\n' >"$work/resolv.conf"

cat >"$work/inner.sh" <<'EOF'
set -u
work=$1
ip link set lo up || exit 90
mount --bind "$work/resolv.conf" /etc/resolv.conf || exit 91
python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 53))
open(sys.argv[1], "w").close()
time.sleep(60)' "$work/dns-ready" &
dns=$!
i=0
while [ ! -e "$work/dns-ready" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
"$OSMIGRATE" check restore-database --step prepare --answers "$work/answers.ini" >"$work/out" 2>&1
rc=$?
kill "$dns" 2>/dev/null
exit $rc
EOF

export OSMIGRATE
timeout 60 unshare -n -m sh "$work/inner.sh" "$work"
rc=$?
case $rc in
90|91) echo "1..0 # SKIP could not set up the namespace (exit $rc)"; exit 0 ;;
esac
is "$rc" 3 "a DNS server that never answers: could not check (exit 3), no hang"
grep -q 'could not check: the resolver did not answer within' "$work/out"; r=$?
ok $r "the summary says the resolver did not answer"
[ $r -eq 0 ] || diag "$(cat "$work/out")"
grep -q 'DNS servers of this host did not answer for db.example.test' "$work/out"
ok $? "the fix points at the resolver and names the host"

done_testing
