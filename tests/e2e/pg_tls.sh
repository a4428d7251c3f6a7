#!/bin/sh
# pg_tls.sh - TLS cases against a throwaway PostgreSQL that requires TLS
# for TCP (pg_hba hostssl only) with a self-signed certificate for
# "localhost": TLS required, certificate not trusted (no CA, host name
# mismatch under verify-full), verify-full success, and target_connect
# reporting TLS in use.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pg.sh"

PROBE="$top_builddir/tests/pg-probe"
[ -x "$PROBE" ] || bail "tests/pg-probe not built (make check builds it)"
command -v openssl >/dev/null 2>&1 || { echo "1..0 # SKIP openssl is needed for the certificate"; exit 0; }

pg_start --tls
PGPASSFILE=$FIXTURE_PGPASS
# An empty HOME: no ~/.postgresql/root.crt may make an untrusted server look trusted.
HOME="$PG_TEST_DIR/home"
mkdir -p "$HOME"
export PGPASSFILE HOME
unset PGPASSWORD PGSERVICE PGSSLMODE PGSSLROOTCERT
U="port=$PGPORT user=osm_app dbname=postgres"

run_probe() { out=$(timeout 120 "$PROBE" "$@" 2>&1); }
val() { printf '%s\n' "$out" | sed -n "s/^$1=//p" | head -n 1; }

run_probe connect "host=127.0.0.1 $U sslmode=disable"
is "$(val class)" "TLS required" "server accepts only TLS: sslmode=disable is refused"
case $(val fix) in *sslmode*require*) r=0 ;; *) r=1 ;; esac
ok $r "the fix says to set sslmode = require"

run_probe connect "host=127.0.0.1 $U sslmode=require"
is "$(val class)" ok "sslmode=require connects (encryption without verification)"
is "$(val ssl)" on "TLS is in use"

run_probe connect "host=localhost $U sslmode=verify-full"
is "$(val class)" "certificate not trusted" "verify-full without the CA: not trusted"

run_probe connect "host=127.0.0.1 $U sslmode=verify-full sslrootcert=$FIXTURE_CA"
is "$(val class)" "certificate not trusted" "verify-full with the CA but another host name"
case $(val message) in *"does not match host name"*) r=0 ;; *) r=1 ;; esac
ok $r "the message says the host name does not match ($(val message))"
case $(val fix) in *sslrootcert*"Do not turn verification off"*) r=0 ;; *) r=1 ;; esac
ok $r "the fix points at sslrootcert and the certificate's name"

run_probe connect "host=localhost $U sslmode=verify-full sslrootcert=$FIXTURE_CA"
is "$(val class)" ok "verify-full with the CA and the certificate's name connects"
is "$(val ssl)" on "verified TLS in use"

# The check reports TLS on for a verified connection.
cat >"$PG_TEST_DIR/settings.ini" <<EOF
[target]
host = localhost
port = $PGPORT
dbname = postgres
user = osm_app
sslmode = verify-full
sslrootcert = $FIXTURE_CA
EOF
run_probe check "$PG_TEST_DIR/settings.ini" target_connect
is "$(val target_connect.status)" ok "target_connect ok over verified TLS"
case $(val target_connect.summary) in *"TLS on"*"user osm_app"*) r=0 ;; *) r=1 ;; esac
ok $r "summary: version, TLS on, latency, user ($(val target_connect.summary))"

sed -i 's/^sslmode = .*/sslmode = disable/' "$PG_TEST_DIR/settings.ini"
run_probe check "$PG_TEST_DIR/settings.ini" target_connect pg_version
is "$(val target_connect.status)" FAILED "target_connect FAILED when TLS is required"
case $(val target_connect.summary) in "TLS required:"*) r=0 ;; *) r=1 ;; esac
ok $r "its summary leads with the failure class"
is "$(val pg_version.status)" error "pg_version could not check (error, never ok)"

done_testing
