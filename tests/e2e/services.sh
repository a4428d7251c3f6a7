#!/bin/sh
# services.sh - the OutSystems services' ports from the admin host (issue
# 12): 12001 and 12002 on every application server, 12000 and 5672 on the
# Deployment Controller only.  Without [services] reachable = yes nothing is
# probed ("could not observe", never ok or FAILED); with it an open port
# listens and a refused one does not: expected open on the servers step,
# closed on restore-database's stop step.  The documented ports are mapped
# to loopback ports this test listens on (OSMIGRATE_SERVICE_PORTS, a
# test-only override); nothing binds a fixed or privileged port.
. "$top_srcdir/tests/lib/tap.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-services.XXXXXX")
lpid=
cleanup() {
	[ -n "$lpid" ] && kill "$lpid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
trap 'cleanup; exit 129' HUP
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 needed for the listeners"; exit 0; }

# Three listening ports (kept open until killed) and one closed port.
python3 - "$work/ports" <<'PY' &
import socket, sys, time
socks = []
for _ in range(3):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16); socks.append(s)
c = socket.socket(); c.bind(("127.0.0.1", 0)); closed = c.getsockname()[1]; c.close()
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(" ".join(str(s.getsockname()[1]) for s in socks) + " %d\n" % closed)
import os; os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while True:
    time.sleep(60)
PY
lpid=$!
n=0; while [ ! -s "$work/ports" ] && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
read -r p1 p2 p3 pc <"$work/ports"
[ -n "$pc" ]; ok $? "listeners on loopback ports $p1 $p2 $p3, $pc closed"

key() { sed -n "/^\[check \"$1\"\]/,/^\[/p" "$2" | sed -n "s/^$3 = //p"; }
write() {  # REACHABLE FILE
	cat >"$2" <<INI
[http]
timeout = 2

[services]
reachable = $1

[server "dc01"]
role = controller
url = http://127.0.0.1:$pc/OrdersUI/_ping.html

[server "fe01"]
role = frontend
url = http://127.0.0.1:$pc/OrdersUI/_ping.html
INI
}
run() {  # RUNBOOK STEP ANSWERS STATE
	"$OSMIGRATE" check "$1" --answers "$3" --state "$4" --step "$2" >"$work/out" 2>&1 </dev/null
}

# Not reachable (the default): nothing probed, could not observe.
write no "$work/off.ini"
OSMIGRATE_SERVICE_PORTS="12001=$p1,12002=$p2,12000=$p3,5672=$pc" \
	run endpoint-change servers "$work/off.ini" "$work/off-state.ini"
is "$(key services_running:dc01 "$work/off-state.ini" status)" error "off: dc01 could not observe (error)"
key services_running:fe01 "$work/off-state.ini" summary | grep -q "^could not observe: this host is not set to reach"
ok $? "off: says why (the setting)"
grep -q "^FAILED: OutSystems services" "$work/out"; [ $? -ne 0 ]; ok $? "off: never FAILED"

# Reachable: dc01's RabbitMQ port refuses (nothing listens); fe01 is fine.
write yes "$work/on.ini"
OSMIGRATE_SERVICE_PORTS="12001=$p1,12002=$p2,12000=$p3,5672=$pc" \
	run endpoint-change servers "$work/on.ini" "$work/on-state.ini"
is "$(key services_running:fe01 "$work/on-state.ini" status)" ok "on: fe01's two services listen: ok"
key services_running:fe01 "$work/on-state.ini" summary | grep -q "(2 ports)"
ok $? "on: a front-end is checked on 12001 and 12002 only"
is "$(key services_running:dc01 "$work/on-state.ini" status)" failed "on: dc01 FAILED"
key services_running:dc01 "$work/on-state.ini" summary | grep -q "^not all running: 5672 RabbitMQ does not listen"
ok $? "on: names the service that does not listen"
key services_running:dc01 "$work/on-state.ini" detail | grep -q "12000 Deployment Controller service (127.0.0.1:$p3): listens"
ok $? "on: the Deployment Controller is checked on 12000 too"

# restore-database's stop step expects them closed.
OSMIGRATE_SERVICE_PORTS="12001=$p1,12002=$p2,12000=$p3,5672=$pc" \
	run restore-database stop "$work/on.ini" "$work/rd-state.ini"
is "$(key services_stopped:fe01 "$work/rd-state.ini" status)" failed "stop step: fe01's services still listen: FAILED"
key services_stopped:fe01 "$work/rd-state.ini" summary | grep -q "^still running: 12001 Deployment Service listens"
ok $? "stop step: says which still run"
# restore-database's servers step: stopped until the server's "restart" is
# ticked, running after.
cp "$work/rd-state.ini" "$work/rd2-state.ini"
"$OSMIGRATE" mark servers done --item fe01 --action restart --reason "test: front-end first" \
	--state "$work/rd2-state.ini" >/dev/null 2>&1 </dev/null
OSMIGRATE_SERVICE_PORTS="12001=$p1,12002=$p2,12000=$p3,5672=$pc" \
	run restore-database servers "$work/on.ini" "$work/rd2-state.ini"
is "$(key services_running:fe01 "$work/rd2-state.ini" status)" ok "servers step: fe01 restarted, its services listen: ok"
is "$(key services_running:dc01 "$work/rd2-state.ini" status)" failed \
	"servers step: dc01 not restarted yet but its services listen: FAILED"
key services_running:dc01 "$work/rd2-state.ini" label | grep -q "not restarted yet"
ok $? "the label says it is not restarted yet"

kill "$lpid"; wait "$lpid" 2>/dev/null; lpid=
OSMIGRATE_SERVICE_PORTS="12001=$p1,12002=$p2,12000=$p3,5672=$pc" \
	run restore-database stop "$work/on.ini" "$work/rd-state.ini"
is "$(key services_stopped:fe01 "$work/rd-state.ini" status)" ok "stop step: once stopped: ok"
key services_stopped:dc01 "$work/rd-state.ini" summary | grep -q "^stopped, as expected: nothing listens (4 ports)"
ok $? "stop step: 'stopped, as expected' on the controller's 4 ports"

done_testing
