#!/bin/sh
# pgfixture.sh - a throwaway PostgreSQL server for the demo and the tests.
#
#   scripts/pgfixture.sh start DIR [--tls] [--log-statements]
#   scripts/pgfixture.sh stop DIR
#   scripts/pgfixture.sh status DIR
#   scripts/pgfixture.sh psql DIR [psql args...]
#
# start: initdb into DIR/data (once), listen on 127.0.0.1 on a free random
# port and on a Unix socket, start with pg_ctl -w, create the roles the demo
# and the tests use, write DIR/env (sourceable, exports PGHOST PGPORT PGUSER
# PGDATABASE) and print it.  Starting a running fixture only prints DIR/env,
# unless --tls/--log-statements changed, then the server is restarted.
#
# Layout: DIR/data (PGDATA), DIR/run (socket, server.log, TLS cert and key),
# DIR/env, DIR/pgpass (0600) and DIR/pg_service.conf (service "osmigrate-demo").
# As root the server runs as the `postgres` user (initdb refuses root):
# DIR/data and DIR/run then belong to postgres and DIR gets o+x so postgres
# can reach them; if DIR's parents are closed to postgres (e.g. under /root)
# data and run go to a directory under /tmp that DIR/env names.
#
# Roles (cluster-wide):
#   osm_admin    superuser; trust on the socket and on 127.0.0.1 (tests, setup)
#   osm_app      login, password "osm_app_demo" (in DIR/pgpass), the demo user
#   osm_noprivs  login, password "osm_noprivs_demo", no table privileges
#   osm_nolimit  login, password "osm_nolimit_demo", CONNECTION LIMIT 0
#                ("too many connections" without opening hundreds of sessions)
# These passwords protect nothing: the server listens on loopback only and is
# thrown away; they exist so that password authentication is exercised.
#
# --tls: a self-signed certificate (CN and SAN DNS:localhost, so verify-full
# succeeds for host=localhost with sslrootcert=$FIXTURE_CA and fails for
# host=127.0.0.1); TCP connections without TLS are rejected except for
# osm_admin's setup path over the socket.
# --log-statements: log_statement=all into $PGLOG (the log is always there).
set -eu

APP_PASSWORD=osm_app_demo
NOPRIVS_PASSWORD=osm_noprivs_demo
NOLIMIT_PASSWORD=osm_nolimit_demo

me=${0##*/}
die() { printf '%s: %s\n' "$me" "$*" >&2; exit 1; }
usage() {
	cat >&2 <<EOF
usage: $me start DIR [--tls] [--log-statements]
       $me stop DIR
       $me status DIR
       $me psql DIR [psql arguments]
EOF
	exit 64
}

# A caller's libpq environment must not leak into the fixture's own calls.
unset PGHOST PGPORT PGUSER PGDATABASE PGSERVICE PGSERVICEFILE PGSSLMODE PGREQUIRESSL PGOPTIONS PGHOSTADDR \
	PGPASSWORD PGPASSFILE PGSSLROOTCERT PGCONNECT_TIMEOUT PGTARGETSESSIONATTRS \
	PGGSSENCMODE PGSSLCERT PGSSLKEY PGDATA 2>/dev/null || true

[ $# -ge 2 ] || usage
cmd=$1
dir=$2
shift 2
case $dir in
/*) ;;
*) dir=$(pwd)/$dir ;;
esac

# The newest PostgreSQL under /usr/lib/postgresql, else whatever is on PATH.
bindir=
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n); do
	[ -x "$d/pg_ctl" ] && bindir=$d
done
if [ -z "$bindir" ]; then
	p=$(command -v pg_ctl 2>/dev/null) || die "PostgreSQL server binaries not found (install postgresql)"
	bindir=${p%/*}
fi
psql_bin=$bindir/psql
[ -x "$psql_bin" ] || psql_bin=$(command -v psql) || die "psql not found (install postgresql-client)"

is_root=false
[ "$(id -u)" -eq 0 ] && is_root=true

# Run a server-side command as the server's owner, from a directory it can
# read (PostgreSQL tools fail when the working directory is closed to them).
as_owner() {
	if $is_root; then
		(cd / && runuser -u postgres -- "$@")
	else
		"$@"
	fi
}

# Single-quote a value for the env file.
shq() { printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"; }

load_env() {
	[ -f "$dir/env" ] || return 1
	# shellcheck disable=SC1091
	. "$dir/env"
}

running() {
	[ -n "${FIXTURE_DATA:-}" ] && [ -f "$FIXTURE_DATA/postmaster.pid" ] &&
		as_owner "$bindir/pg_ctl" status -D "$FIXTURE_DATA" >/dev/null 2>&1
}

fixture_psql() {
	"$psql_bin" -X -q -v ON_ERROR_STOP=1 -h "$FIXTURE_SOCKDIR" -p "$PGPORT" \
		-U osm_admin -d postgres "$@"
}

random_port() {
	n=$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')
	echo $((20000 + n % 40000))
}

port_free() {
	if command -v ss >/dev/null 2>&1; then
		[ -z "$(ss -Htln "sport = :$1" 2>/dev/null)" ]
	else
		true
	fi
}

# Where data, socket and log live (see the layout above).
choose_dirs() {
	mkdir -p "$dir"
	data=$dir/data
	run=$dir/run
	if $is_root; then
		if [ -f "$dir/rundir" ]; then
			base=$(cat "$dir/rundir")
			# /tmp may have been cleaned since (reboot): recreate it reachable.
			mkdir -p "$base"
			chmod 755 "$base"
			data=$base/data
			run=$base/run
		elif ! runuser -u postgres -- test -x "$dir" 2>/dev/null; then
			chmod o+x "$dir" 2>/dev/null || true
			if ! runuser -u postgres -- test -x "$dir" 2>/dev/null; then
				base=$(mktemp -d /tmp/osmigrate-pg.XXXXXX)
				chmod 755 "$base"
				echo "$base" >"$dir/rundir"
				data=$base/data
				run=$base/run
			fi
		fi
		mkdir -p "$data" "$run"
		chown postgres:postgres "$data" "$run"
	else
		mkdir -p "$data" "$run"
	fi
	chmod 700 "$data" "$run"
	sockdir=$run
	# A Unix socket path must fit in 107 bytes.
	if [ ${#sockdir} -gt 80 ]; then
		if [ -f "$dir/sockdir" ]; then
			sockdir=$(cat "$dir/sockdir")
		else
			sockdir=$(mktemp -d /tmp/osmpg.XXXXXX)
			echo "$sockdir" >"$dir/sockdir"
		fi
		if $is_root; then chown postgres:postgres "$sockdir"; fi
		chmod 700 "$sockdir"
	fi
}

make_cert() {
	[ -f "$run/server.crt" ] && [ -f "$run/server.key" ] && return 0
	command -v openssl >/dev/null 2>&1 || die "--tls needs openssl (install openssl)"
	openssl req -x509 -newkey rsa:2048 -nodes -days 3650 \
		-subj "/CN=localhost" -addext "subjectAltName=DNS:localhost" \
		-keyout "$run/server.key" -out "$run/server.crt" >/dev/null 2>&1 ||
		die "openssl could not create a self-signed certificate"
	chmod 600 "$run/server.key"
	chmod 644 "$run/server.crt"
	owned_by_server "$run/server.key" "$run/server.crt"
}

owned_by_server() {
	if $is_root; then chown postgres:postgres "$@"; fi
}

write_conf() {
	{
		echo "# written by pgfixture.sh on every start"
		echo "listen_addresses = '127.0.0.1'"
		echo "port = $port"
		echo "unix_socket_directories = '$sockdir'"
		echo "max_connections = 40"
		echo "fsync = off"
		echo "password_encryption = 'scram-sha-256'"
		if [ "$tls" = 1 ]; then
			echo "ssl = on"
			echo "ssl_cert_file = '$run/server.crt'"
			echo "ssl_key_file = '$run/server.key'"
		else
			echo "ssl = off"
		fi
		if [ "$logstmt" = 1 ]; then
			echo "log_statement = 'all'"
		else
			echo "log_statement = 'none'"
		fi
		echo "log_connections = on"
		echo "log_line_prefix = '%m [%p] %u@%d %a '"
	} >"$data/osmigrate.conf"
	{
		echo "# written by pgfixture.sh on every start"
		echo "local all all trust"
		if [ "$tls" = 1 ]; then
			echo "hostssl all osm_admin 127.0.0.1/32 trust"
			echo "hostssl all all 127.0.0.1/32 scram-sha-256"
			echo "hostnossl all all 127.0.0.1/32 reject"
		else
			echo "host all osm_admin 127.0.0.1/32 trust"
			echo "host all all 127.0.0.1/32 scram-sha-256"
		fi
	} >"$data/pg_hba.conf"
	owned_by_server "$data/osmigrate.conf" "$data/pg_hba.conf"
}

write_env() {
	tmp=$dir/env.tmp
	{
		echo "# written by scripts/pgfixture.sh; source it"
		echo "PGHOST=127.0.0.1"
		echo "PGPORT=$port"
		echo "PGUSER=osm_admin"
		echo "PGDATABASE=postgres"
		echo "export PGHOST PGPORT PGUSER PGDATABASE"
		echo "FIXTURE_DIR=$(shq "$dir")"
		echo "FIXTURE_DATA=$(shq "$data")"
		echo "FIXTURE_RUN=$(shq "$run")"
		echo "FIXTURE_SOCKDIR=$(shq "$sockdir")"
		echo "FIXTURE_BINDIR=$(shq "$bindir")"
		echo "FIXTURE_TLS=$tls"
		echo "FIXTURE_LOGSTMT=$logstmt"
		if [ "$tls" = 1 ]; then
			echo "FIXTURE_CA=$(shq "$run/server.crt")"
		fi
		echo "FIXTURE_PGPASS=$(shq "$dir/pgpass")"
		echo "FIXTURE_SERVICEFILE=$(shq "$dir/pg_service.conf")"
		echo "PGLOG=$(shq "$run/server.log")"
	} >"$tmp"
	mv "$tmp" "$dir/env"

	umask_old=$(umask)
	umask 077
	{
		echo "127.0.0.1:$port:*:osm_app:$APP_PASSWORD"
		echo "localhost:$port:*:osm_app:$APP_PASSWORD"
		echo "127.0.0.1:$port:*:osm_noprivs:$NOPRIVS_PASSWORD"
		echo "127.0.0.1:$port:*:osm_nolimit:$NOLIMIT_PASSWORD"
	} >"$dir/pgpass.tmp"
	mv "$dir/pgpass.tmp" "$dir/pgpass"
	umask "$umask_old"
	{
		echo "# libpq service file for the demo (PGSERVICEFILE=$dir/pg_service.conf)"
		echo "[osmigrate-demo]"
		echo "host=127.0.0.1"
		echo "port=$port"
		echo "dbname=demo"
		echo "user=osm_app"
		echo "connect_timeout=10"
		echo "[osmigrate-demo-admin]"
		echo "host=127.0.0.1"
		echo "port=$port"
		echo "dbname=postgres"
		echo "user=osm_admin"
	} >"$dir/pg_service.conf"
}

create_roles() {
	fixture_psql <<EOF
DO \$\$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'osm_app') THEN
		CREATE ROLE osm_app LOGIN PASSWORD '$APP_PASSWORD';
	END IF;
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'osm_noprivs') THEN
		CREATE ROLE osm_noprivs LOGIN PASSWORD '$NOPRIVS_PASSWORD';
	END IF;
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'osm_nolimit') THEN
		CREATE ROLE osm_nolimit LOGIN CONNECTION LIMIT 0 PASSWORD '$NOLIMIT_PASSWORD';
	END IF;
END
\$\$;
EOF
}

start() {
	tls=0
	logstmt=0
	for a in "$@"; do
		case $a in
		--tls) tls=1 ;;
		--log-statements) logstmt=1 ;;
		*) usage ;;
		esac
	done

	if load_env && running; then
		if [ "$FIXTURE_TLS" = "$tls" ] && [ "$FIXTURE_LOGSTMT" = "$logstmt" ]; then
			cat "$dir/env"
			return 0
		fi
		# Options changed: restart on the same port with the new settings.
		as_owner "$bindir/pg_ctl" stop -D "$FIXTURE_DATA" -m fast -w >/dev/null 2>&1 || true
	fi

	choose_dirs
	if [ ! -f "$data/PG_VERSION" ]; then
		as_owner "$bindir/initdb" -D "$data" -U osm_admin -E UTF8 --locale=C \
			--auth-local=trust --auth-host=scram-sha-256 --no-sync \
			>"$dir/initdb.log" 2>&1 || {
			cat "$dir/initdb.log" >&2
			die "initdb failed (log above, also in $dir/initdb.log)"
		}
		echo "include_if_exists = 'osmigrate.conf'" >>"$data/postgresql.conf"
	fi
	[ "$tls" = 1 ] && make_cert

	touch "$run/server.log"
	owned_by_server "$run/server.log"

	port=${PGPORT:-}
	tries=0
	while :; do
		tries=$((tries + 1))
		[ "$tries" -gt 10 ] && die "could not start PostgreSQL on a free port (see $run/server.log)"
		if [ -z "$port" ] || ! port_free "$port"; then
			port=$(random_port)
			port_free "$port" || { port=; continue; }
		fi
		write_conf
		if as_owner "$bindir/pg_ctl" start -D "$data" -l "$run/server.log" -w -t 60 >/dev/null 2>&1; then
			break
		fi
		# Lost a race for the port (or a real failure: then the log says why).
		if tail -n 20 "$run/server.log" 2>/dev/null | grep -q -i -e 'could not bind' -e 'in use'; then
			port=
			continue
		fi
		tail -n 20 "$run/server.log" >&2 2>/dev/null || true
		die "PostgreSQL did not start (log: $run/server.log)"
	done
	PGPORT=$port
	FIXTURE_SOCKDIR=$sockdir
	create_roles || die "could not create the fixture roles"
	write_env
	cat "$dir/env"
}

stop() {
	load_env || return 0
	[ -n "${FIXTURE_DATA:-}" ] || return 0
	if [ -f "$FIXTURE_DATA/postmaster.pid" ]; then
		as_owner "$bindir/pg_ctl" stop -D "$FIXTURE_DATA" -m fast -w >/dev/null 2>&1 || true
	fi
	return 0
}

case $cmd in
start) start "$@" ;;
stop) stop ;;
status)
	if load_env && running; then
		echo "running on 127.0.0.1:$PGPORT (data $FIXTURE_DATA)"
	else
		echo "not running"
		exit 3
	fi
	;;
psql)
	load_env || die "no fixture in $dir (run: $me start $dir)"
	fixture_psql "$@"
	;;
*) usage ;;
esac
