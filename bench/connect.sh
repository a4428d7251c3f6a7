#!/bin/bash
# bench/connect.sh - time to a connection verdict: osmigrate versus
# pg_isready, on a refused port and on a live server.  Run by hand (never
# part of make check):
#
#   bench/connect.sh BUILD_DIR [RUNS=21]
#
# Starts a throwaway PostgreSQL (scripts/pgfixture.sh, 127.0.0.1, random
# port) and writes an answers file holding only [target] (user osm_app,
# SCRAM password from the fixture's pgpass file, sslmode=disable,
# connect_timeout=5).  Times, median of RUNS runs each, interleaved:
#   osmigrate check connector-migration --step connection --answers F
#       (the cheapest command that gives the verdict; the step runs three
#        checks - connection, privileges, ardoPostgreSQL sessions - and
#        each opens its own session, so a live run makes 3 connections)
#   pg_isready -h 127.0.0.1 -p PORT -U osm_app -d postgres -t 5
#       (one startup packet, no authentication, no query)
#   psql -X -c 'SELECT 1' (live server only: one authenticated session)
# first against a free port nobody listens on (refused), then against the
# live server; prints the medians and the ratios osmigrate/pg_isready.
# Then builds bench/connect_bench.c against BUILD_DIR/libosmigrate.a and
# times, in-process (no process start-up), the target_connect check alone
# against PQpingParams (pg_isready's call) and a bare connect + SELECT 1.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$here/lib.sh"
build=${1:?usage: bench/connect.sh BUILD_DIR [RUNS]}
runs=${2:-21}
bin=$build/osmigrate
[ -x "$bin" ] || bench_die "no osmigrate in $build (build it first)"
bench_tmp
trap 'sh "$top/scripts/pgfixture.sh" stop "$BENCH_TMP/pg" >/dev/null 2>&1; rm -rf "$BENCH_TMP"' EXIT
export XDG_STATE_HOME=$BENCH_TMP/xdg

sh "$top/scripts/pgfixture.sh" start "$BENCH_TMP/pg" >/dev/null
# shellcheck disable=SC1091
. "$BENCH_TMP/pg/env"
live_port=$PGPORT
unset PGHOST PGPORT PGUSER PGDATABASE
export PGPASSFILE=$FIXTURE_PGPASS
isready=$FIXTURE_BINDIR/pg_isready
psql=$FIXTURE_BINDIR/psql

# A port nobody listens on: random, checked free with ss.
while :; do
	refused_port=$((20000 + RANDOM % 40000))
	[ "$refused_port" != "$live_port" ] || continue
	[ -z "$(ss -Htln "sport = :$refused_port" 2>/dev/null)" ] && break
done

answers() {
	printf '[osmigrate]\nversion = 1\n\n[target]\nhost = 127.0.0.1\nport = %s\n' "$1"
	printf 'dbname = postgres\nuser = osm_app\nsslmode = disable\nconnect_timeout = 5\n'
}
umask 077
answers "$refused_port" >"$BENCH_TMP/refused.ini"
answers "$live_port" >"$BENCH_TMP/live.ini"

osm() { "$bin" check connector-migration --step connection --answers "$BENCH_TMP/$1.ini"; }
isr() { "$isready" -h 127.0.0.1 -p "$1" -U osm_app -d postgres -t 5; }
sel() { "$psql" -X -q -A -t -h 127.0.0.1 -p "$live_port" -U osm_app -d postgres -c 'SELECT 1'; }

# Show once what each verdict is (the timed runs discard output).
verdict() { "$@" 2>&1 | grep -m1 -e '^Checking' -e 'no response' -e 'accepting' -e '^1$' || :; }
echo "refused port $refused_port:"
echo "  osmigrate:  $(verdict osm refused)"
echo "  pg_isready: $(verdict isr "$refused_port")"
echo "live server port $live_port:"
echo "  osmigrate:  $(verdict osm live)"
echo "  pg_isready: $(verdict isr "$live_port")"
echo "  psql:       $(verdict sel)"
n0=$(grep -c 'connection authorized' "$PGLOG" || :)
osm live >/dev/null 2>&1 || :
n1=$(grep -c 'connection authorized' "$PGLOG" || :)

for f in osm_ref isr_ref osm_live isr_live sel_live; do : >"$BENCH_TMP/$f"; done
for ((i = 0; i < runs; i++)); do
	time_us osm refused >>"$BENCH_TMP/osm_ref"
	time_us isr "$refused_port" >>"$BENCH_TMP/isr_ref"
	time_us osm live >>"$BENCH_TMP/osm_live"
	time_us isr "$live_port" >>"$BENCH_TMP/isr_live"
	time_us sel >>"$BENCH_TMP/sel_live"
done
m() { median <"$BENCH_TMP/$1"; }
printf 'refused port, median of %s: osmigrate check %s, pg_isready %s, ratio %s\n' \
	"$runs" "$(ms "$(m osm_ref)")" "$(ms "$(m isr_ref)")" "$(ratio "$(m osm_ref)" "$(m isr_ref)")"
printf 'live server, median of %s: osmigrate check %s (%s sessions per run), pg_isready %s, ratio %s\n' \
	"$runs" "$(ms "$(m osm_live)")" "$((n1 - n0))" "$(ms "$(m isr_live)")" \
	"$(ratio "$(m osm_live)" "$(m isr_live)")"
printf 'live server: psql SELECT 1 (one authenticated session) %s; osmigrate/psql ratio %s\n' \
	"$(ms "$(m sel_live)")" "$(ratio "$(m osm_live)" "$(m sel_live)")"

cc=${CC:-cc}
# shellcheck disable=SC2046 # pkg-config output is meant to be split
if "$cc" -std=c11 -O2 -I"$here/../src/base" -I"$here/../src/core" -I"$here/../src/probe" \
	-I"$here/../src/checks" -I"$build" $(pkg-config --cflags libpq) \
	-o "$BENCH_TMP/connect_bench" "$here/connect_bench.c" "$build/libosmigrate.a" \
	$(pkg-config --libs libpq libcurl inih) -pthread 2>"$BENCH_TMP/cc.log"; then
	n=$((runs < 20 ? 20 : runs))
	echo "in-process, refused port: $("$BENCH_TMP/connect_bench" "$BENCH_TMP/refused.ini" "$n" | paste -sd ';' | sed 's/;/; /')"
	echo "in-process, live server: $("$BENCH_TMP/connect_bench" "$BENCH_TMP/live.ini" "$n" | paste -sd ';' | sed 's/;/; /')"
else
	echo "connect_bench.c did not build (in-process figures skipped):"
	sed 's/^/  /' "$BENCH_TMP/cc.log"
fi
