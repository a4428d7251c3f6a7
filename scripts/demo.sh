#!/bin/sh
# demo.sh - the embedded demo environment: a throwaway PostgreSQL seeded with
# an ardoPostgreSQL-era application database (demo/seed.sql) and an nginx on
# 127.0.0.1 playing front-ends and the LifeTime API (demo/www), plus an
# answers file that points the wizard at them.  Nothing leaves loopback.
#
#   scripts/demo.sh start          start (idempotent); prints the demo's env
#   scripts/demo.sh stop           stop both servers
#   scripts/demo.sh run BINARY     start, open the wizard on the demo, stop on exit
#   scripts/demo.sh env            print the environment the wizard needs, as
#                                  export lines: eval "$(scripts/demo.sh env)"
#   scripts/demo.sh republish MODULE
#                                  simulate a publication of MODULE: its
#                                  _ping.html gets a new hash, so the next ping
#                                  sees a changed page (the demo serves a copy
#                                  of demo/www in DIR/www)
#
# Directory: $OSMIGRATE_DEMO_DIR, else one per checkout:
# ${XDG_STATE_HOME:-~/.local/state}/osmigrate-demo/NAME-SUM (the checkout's
# folder name and a checksum of its path), so two clones never share a
# saved session.  The demo's state files go to DIR/state (XDG_STATE_HOME for
# the wizard), so the demo never touches your real sessions.  No password is in any state or
# answers file: libpq reads the demo role's from DIR/pg/pgpass (0600) through
# the service file DIR/pg/pg_service.conf.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
checkout=$(basename "$top")-$(printf '%s' "$top" | cksum | cut -d' ' -f1)
DIR=${OSMIGRATE_DEMO_DIR:-${XDG_STATE_HOME:-$HOME/.local/state}/osmigrate-demo/$checkout}
umask 077

say() { printf 'demo: %s\n' "$*" >&2; }

start() {
	mkdir -p "$DIR/state"
	chmod 700 "$DIR" "$DIR/state"
	if ! sh "$here/pgfixture.sh" status "$DIR/pg" >/dev/null 2>&1; then
		say "starting PostgreSQL (throwaway, 127.0.0.1, random port) in $DIR/pg"
		sh "$here/pgfixture.sh" start "$DIR/pg" >/dev/null
		seeded=no
	else
		seeded=yes
	fi
	if [ "$seeded" = no ] || ! sh "$here/pgfixture.sh" psql "$DIR/pg" -d demo -Atqc 'select 1' >/dev/null 2>&1; then
		say "loading the demo database (demo/seed.sql)"
		sh "$here/pgfixture.sh" psql "$DIR/pg" -q -v ON_ERROR_STOP=1 -f "$top/demo/seed.sql" >/dev/null
		# The restore-database demo compares the database with a restored copy.
		sh "$here/pgfixture.sh" psql "$DIR/pg" -q -v ON_ERROR_STOP=1 \
			-c 'SET client_min_messages = warning' -c 'DROP DATABASE IF EXISTS demo_restored' -c 'CREATE DATABASE demo_restored TEMPLATE demo' >/dev/null
	fi
	if ! sh "$here/httpfixture.sh" status "$DIR/http" >/dev/null 2>&1; then
		say "starting nginx (127.0.0.1, random port) in $DIR/http"
		# A copy: "republish" changes pages, never the source tree's.
		rm -rf "$DIR/www"
		cp -R "$top/demo/www" "$DIR/www"
		sh "$here/httpfixture.sh" start "$DIR/http" --www "$DIR/www" >/dev/null
	fi
	write_answers
}

write_answers() {
	# shellcheck disable=SC1091
	. "$DIR/pg/env"
	# shellcheck disable=SC1091
	. "$DIR/http/env"
	sed -e "s|@PGPORT@|$PGPORT|g" -e "s|@HTTP_BASE@|$HTTP_BASE|g" \
	    -e "s|@LIFETIME_URL@|$LIFETIME_URL|g" -e "s|@TOKEN_FILE@|$LIFETIME_TOKEN_FILE|g" \
	    "$top/demo/answers.ini.in" >"$DIR/answers.ini.tmp"
	mv "$DIR/answers.ini.tmp" "$DIR/answers.ini"
}

stop() {
	sh "$here/httpfixture.sh" stop "$DIR/http" >/dev/null 2>&1 || true
	sh "$here/pgfixture.sh" stop "$DIR/pg" >/dev/null 2>&1 || true
	say "demo servers stopped"
}

# A value in single quotes for sh (a quote inside becomes '\'').
shq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

demo_env() {
	# OSMIGRATE_DEMO_DIR too: with XDG_STATE_HOME exported, demo.sh finds
	# the same directory again.
	echo "export OSMIGRATE_DEMO_DIR=$(shq "$DIR")"
	echo "export XDG_STATE_HOME=$(shq "$DIR/state")"
	echo "export PGSERVICEFILE=$(shq "$DIR/pg/pg_service.conf")"
	echo "export PGPASSFILE=$(shq "$DIR/pg/pgpass")"
	echo "# then: osmigrate --answers $(shq "$DIR/answers.ini") RUNBOOK"
}

# A publication brings a new hash of the deployed application into the
# module's _ping.html (an OutSystems forum answer, not documentation).
republish() {
	page=$DIR/www/$1/_ping.html
	case $1 in */*|.*|'') echo "demo: not a module name: $1" >&2; exit 64 ;; esac
	[ -f "$page" ] || { echo "demo: no such demo module (is the demo started?): $page" >&2; exit 66; }
	hash=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
	sed "s/<!-- [0-9a-f]\{32\} -->/<!-- $hash -->/" "$page" >"$page.tmp"
	mv "$page.tmp" "$page"
	say "$1 republished (its _ping.html changed): press r on the republish step"
}

case ${1:-} in
start) start; demo_env ;;
republish) republish "${2:?usage: demo.sh republish MODULE}" ;;
stop) stop ;;
env) demo_env ;;
run)
	bin=${2:?usage: demo.sh run BINARY}
	start
	trap stop EXIT
	trap 'exit 129' HUP
	trap 'exit 130' INT
	trap 'exit 143' TERM
	# shellcheck disable=SC1091
	. "$DIR/pg/env"
	unset PGHOST PGPORT PGUSER PGDATABASE
	rc=0
	XDG_STATE_HOME="$DIR/state" PGSERVICEFILE="$DIR/pg/pg_service.conf" PGPASSFILE="$DIR/pg/pgpass" \
		OSMIGRATE_LIFETIME_TOKEN= "$bin" --answers "$DIR/answers.ini" || rc=$?
	say "wizard ended (exit $rc); progress is kept in $DIR/state"
	exit "$rc"
	;;
*) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 64 ;;
esac
