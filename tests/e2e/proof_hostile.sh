#!/bin/sh
# proof_hostile.sh - hostile servers: each ends in a classified message with
# a "What to do" within its timeout, never a hang or a crash.
#   PostgreSQL side (tests/tools/proof-listener): a listener that hangs up
#   in the startup handshake, one that completes the handshake and hangs up
#   as soon as a query arrives, a rogue one whose error text and notices
#   carry escape sequences (shown neutralised; notices only counted); a
#   real PostgreSQL stopped while `types` is in the middle of a probe (then
#   started again: the same scan works).
#   HTTP side: a redirect loop (302 to itself), a body cut short, an HTTPS
#   server whose certificate expired (signed by a CA given in [http] cafile;
#   openssl ca with a start and end date in the past), a self-signed
#   certificate, and nginx's /Slow/_ping.html that trickles 1 byte/s.
# The silent listener (connect timeout) is pg_connect.sh's; TLS for
# PostgreSQL is pg_tls.sh's.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pg.sh"
. "$top_srcdir/tests/lib/proof.sh"

LISTENER=$top_builddir/tests/tools/proof-listener
[ -x "$LISTENER" ] || { echo "1..0 # SKIP tests/tools/proof-listener is not built (make check builds it)"; exit 0; }
command -v openssl >/dev/null 2>&1 || { echo "1..0 # SKIP openssl is needed for the certificates"; exit 0; }
pg_start
proof_workdir hostile
W=$PROOF_WORK
proof_http
export PGPASSFILE="$W/no-pgpass" HOME="$W"
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy OSMIGRATE_LIFETIME_TOKEN

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# listener MODE: start one, its port in $port
listener() {
	rm -f "$W/$1.port"
	"$LISTENER" "$1" "$W/$1.port" &
	proof_on_exit "kill $! 2>/dev/null"
	proof_wait_file "$W/$1.port" || bail "proof-listener $1 did not start"
	port=$(cat "$W/$1.port")
}

# block NAME FILE: the result block of one check ("FAILED: NAME" ... blank)
block() { awk -v n="$1" 'index($0, ": " n) && /^(ok|warning|FAILED|error):/ { p = 1 } p && /^$/ { exit } p' "$2"; }

# --- PostgreSQL that hangs up --------------------------------------------
for mode in pg-close pg-midquery; do
	listener $mode
	printf '[target]\nhost = 127.0.0.1\nport = %s\ndbname = demo\nuser = osm_app\nconnect_timeout = 5\n' \
		"$port" >"$W/$mode.ini"
	t0=$(now_ms)
	PGPASSWORD=not-used "$OSMIGRATE" check connector-migration --answers "$W/$mode.ini" --step connection \
		>"$W/$mode.out" 2>&1 </dev/null
	rc=$?
	el=$(($(now_ms) - t0))
	[ $rc -eq 2 ] || [ $rc -eq 3 ]
	ok $? "$mode: check ends with failed/could not check (exit $rc) in $el ms"
	[ $el -lt 7000 ]
	ok $? "$mode: within the 5 s connect timeout"
	grep -q '^Checking connection to target .* \.\.\. *FAILED$' "$W/$mode.out" &&
		! grep -q '\.\.\. *ok$' "$W/$mode.out"
	ok $? "$mode: the connection is FAILED, nothing is ok"
	grep -q 'server closed the connection unexpectedly' "$W/$mode.out" && grep -q 'What to do:' "$W/$mode.out"
	ok $? "$mode: the message says the server hung up, and what to do"
done
grep -q 'could not make the session read-only: connection lost' "$W/pg-midquery.out"
ok $? "pg-midquery: the message says where the connection was lost"

# --- A rogue PostgreSQL: its words reach the terminal neutralised --------
# Its error text and 4000 notices hold escape sequences, a carriage return
# before a fake "osmigrate: ok" line and a bidi override.
esc=$(printf '\033')
cr=$(printf '\r')
rlo=$(printf '\342\200\256')
for mode in pg-rogue-error pg-rogue-notice; do
	listener $mode
	printf '[target]\nhost = 127.0.0.1\nport = %s\ndbname = demo\nuser = osm_app\nconnect_timeout = 5\n' \
		"$port" >"$W/$mode.ini"
	PGPASSWORD=not-used "$OSMIGRATE" check connector-migration --answers "$W/$mode.ini" --step connection \
		>"$W/$mode.check" 2>&1 </dev/null
	PGPASSWORD=not-used "$OSMIGRATE" types "host=127.0.0.1 port=$port user=osm_app dbname=demo connect_timeout=5" \
		>"$W/$mode.types" 2>&1 </dev/null
	is "$?" 3 "$mode: types could not check (exit 3)"
	grep -q 'ALL CHECKS PASSED' "$W/$mode.types" && grep -q 'ALL CHECKS PASSED' "$W/$mode.check"
	ok $? "$mode: check and types show what the server said"
	! LC_ALL=C grep -q "$esc\\|$cr\\|$rlo" "$W/$mode.types" "$W/$mode.check" &&
		! grep -q '^osmigrate: ok' "$W/$mode.types" "$W/$mode.check"
	ok $? "$mode: without its escape sequences, carriage return and bidi override, on no line of its own"
done
grep -q 'sent 4000 notices or warnings .*not shown' "$W/pg-rogue-notice.types"
ok $? "pg-rogue-notice: its 4000 notices were counted, not shown"

# --- PostgreSQL stopped during a type scan --------------------------------
DB="host=127.0.0.1 port=$PGPORT user=osm_admin dbname=postgres connect_timeout=5"
pg_psql -X -q -v ON_ERROR_STOP=1 -d postgres >/dev/null <<'SQL' || bail "could not create the table"
CREATE TABLE held (id integer PRIMARY KEY, d date);
INSERT INTO held VALUES (1, '1800-01-01');
SQL
pg_psql -X -q -d postgres -c "BEGIN; LOCK TABLE held IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60); COMMIT;" \
	>/dev/null 2>&1 &
proof_on_exit "kill $! 2>/dev/null"
i=0
until [ "$(pg_psql -X -A -t -d postgres -c "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'held' AND l.mode = 'AccessExclusiveLock' AND l.granted")" = 1 ]; do
	i=$((i + 1)); [ $i -lt 100 ] || bail "the lock was not taken"; sleep 0.1
done
"$OSMIGRATE" types "$DB" --table public.held >"$W/types.out" 2>"$W/types.err" &
tpid=$!
proof_on_exit "kill $tpid 2>/dev/null"
i=0
until [ "$(pg_psql -X -A -t -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'osmigrate' AND wait_event_type = 'Lock'")" = 1 ]; do
	i=$((i + 1)); [ $i -lt 100 ] || bail "the probe never blocked"; sleep 0.1
done
t0=$(now_ms)
sh "$top_srcdir/scripts/pgfixture.sh" stop "$PG_TEST_DIR" >/dev/null 2>&1
wait "$tpid"
rc=$?
el=$(($(now_ms) - t0))
is "$rc" 3 "server stopped during a probe: types exits 3 (could not check)"
[ $el -lt 10000 ]
ok $? "types ended $el ms after the server went down"
grep -q 'lost the connection' "$W/types.err" && grep -q 'run it again' "$W/types.err" &&
	! grep -q 'pg_catalog' "$W/types.err" && ! grep -q '	' "$W/types.err" && ! grep -q 'LINE 1' "$W/types.err"
ok $? "the message says the connection was lost and to run it again (no catalog advice, no query quote)"
diag "$(cat "$W/types.err")"
sh "$top_srcdir/scripts/pgfixture.sh" start "$PG_TEST_DIR" >/dev/null 2>&1
ok $? "the server starts again"
. "$PG_TEST_DIR/env"
DB="host=127.0.0.1 port=$PGPORT user=osm_admin dbname=postgres connect_timeout=5"
"$OSMIGRATE" types "$DB" --table public.held >"$W/types2.out" 2>&1
is "$?" 2 "after the restart the same scan runs (the 1800 date is a blocker: exit 2)"

# --- HTTP ----------------------------------------------------------------
listener http-redirect; loop=$port
listener http-half; half=$port
# A CA, and a server certificate it signed that expired in 2020.
mkdir -p "$W/ca"
(
	cd "$W/ca" || exit 1
	printf '[ca]\ndefault_ca = proof\n[proof]\ndir = .\ndatabase = index.txt\nnew_certs_dir = .\nserial = serial\ndefault_md = sha256\npolicy = any\ncopy_extensions = copy\nunique_subject = no\n[any]\ncommonName = supplied\n' >ca.cnf
	: >index.txt; echo 01 >serial
	openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=proof CA" -keyout ca.key -out ca.pem &&
	openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" \
		-keyout srv.key -out srv.csr &&
	openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -startdate 20200101000000Z \
		-enddate 20200201000000Z -in srv.csr -out expired.pem
) >"$W/ca.log" 2>&1
rc=$?
ok $rc "openssl makes a certificate that expired in 2020"
[ $rc -eq 0 ] || diag "$(cat "$W/ca.log")"
tls=
for try in 1 2 3 4 5; do
	p=$("$LISTENER" freeport)
	openssl s_server -quiet -www -accept "127.0.0.1:$p" -cert "$W/ca/expired.pem" -key "$W/ca/srv.key" \
		>"$W/s_server.log" 2>&1 &
	spid=$!
	proof_on_exit "kill $spid 2>/dev/null"
	# s_server binds before it reads its files; it exits if the port was taken.
	sleep 0.5
	if kill -0 $spid 2>/dev/null; then tls=$p; break; fi
done
[ -n "$tls" ]
ok $? "an HTTPS server with the expired certificate listens"

cat >"$W/http.ini" <<EOF
[http]
timeout = 3
cafile = $W/ca/ca.pem

[consumer "Loop"]
url = http://127.0.0.1:$loop/Loop/_ping.html

[consumer "Half"]
url = http://127.0.0.1:$half/Half/_ping.html

[consumer "Expired"]
url = https://127.0.0.1:$tls/Expired/_ping.html

[consumer "SelfSigned"]
url = $HTTPS_BASE/OrdersUI/_ping.html

[consumer "Slow"]
url = $HTTP_BASE/Slow/_ping.html
EOF
t0=$(now_ms)
"$OSMIGRATE" check connector-migration --answers "$W/http.ini" --step consumers >"$W/http.out" 2>&1 </dev/null
rc=$?
el=$(($(now_ms) - t0))
[ $rc -ge 1 ] && [ $rc -le 3 ]
ok $? "the HTTP checks end (exit $rc) in $el ms"
[ $el -lt 8000 ]
ok $? "within the 3 s HTTP timeout (the pings run in parallel)"

hcase() {  # NAME VERDICT CLASS-REGEX DETAIL-REGEX
	block "consumer module $1" "$W/http.out" >"$W/b.$1"
	grep -Eq "^$2: consumer module $1\$" "$W/b.$1" && grep -Eq "^  Class: ($3)\$" "$W/b.$1" &&
		grep -Eq "$4" "$W/b.$1" && grep -q '^  What to do: ' "$W/b.$1"
	ok $? "$1: $2, class '$3', with what to do"
	[ -s "$W/b.$1" ] || diag "$(grep -A6 "consumer module $1" "$W/http.out")"
}
hcase Loop "warning|FAILED|error" "redirect( loop)?" "redirects to itself"
hcase Half "FAILED|error" "connection failed|truncated|incomplete answer" "transfer closed|bytes remaining"
hcase Expired "error|FAILED" "TLS.*" "outside its validity dates"
hcase SelfSigned "error|FAILED" "TLS.*" "self.signed|not trusted|unable to get"
hcase Slow "FAILED" "page incomplete" "answered 200, but the page did not complete within 3(\\.0)? s"

done_testing
