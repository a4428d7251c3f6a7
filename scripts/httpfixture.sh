#!/bin/sh
# httpfixture.sh - a throwaway nginx on 127.0.0.1 that plays OutSystems
# front-ends (_ping.html pages, healthy and broken) and the LifeTime
# Deployment API v2 (recorded JSON, Bearer token checked).
#
#   httpfixture.sh start DIR [--www WWWDIR] [--owner PID]
#                                             start; writes and prints DIR/env;
#                                             with --owner, nginx is stopped when
#                                             process PID ends (a crashed test)
#   httpfixture.sh stop DIR                   stop (idempotent)
#   httpfixture.sh status DIR                 exit 0 when running
#
# DIR is created if needed and holds everything: nginx.conf, pid, logs, temp
# paths, the TLS material and the token.  WWWDIR defaults to demo/www of
# this source tree; tests pass a copy with edited JSON.  Works as root and as
# a normal user: nginx runs as a single daemonised process (master_process
# off), so it never switches user and never needs to read files as nobody.
#
# DIR/env (shell syntax):
#   HTTP_PORT HTTP_BASE=http://127.0.0.1:PORT
#   HTTPS_PORT HTTPS_BASE=https://127.0.0.1:PORT  (self-signed, CA in CA_FILE)
#   CA_FILE          the CA that signed the HTTPS certificate
#   LIFETIME_URL     $HTTP_BASE/lifetimeapi/rest/v2
#   LIFETIME_HTTPS_URL $HTTPS_BASE/lifetimeapi/rest/v2
#   LIFETIME_TOKEN_FILE  DIR/token, mode 0600
#
# Paths served (same on both listeners):
#   /<Module>/_ping.html for OrdersUI, CustomersUI, Inventory_CS  healthy (200,
#                             an HTML page: no text of a _ping.html is known)
#   /LoginPortal/_ping.html   200, an SSO login form (a password field)
#   /PoolDown/_ping.html      503 (application pool stopped)
#   /Missing/_ping.html       404
#   /Forbidden/_ping.html     403
#   /LoginRedirect/_ping.html 302 to /Users/Login.aspx
#   /HttpsOnly/_ping.html     301 to the https listener's /OrdersUI/_ping.html
#   /Injected/_ping.html      200 with a proxy's sign-in form instead
#   /ProxyError/_ping.html    200 with a proxy's "502 Bad Gateway" page
#   /AuthRequired/_ping.html  401 (a login required)
#   /NotHtml/_ping.html       200, text/plain
#   /Slow/_ping.html          200 and headers at once, then the body trickles at 1 byte/s
#   /lifetimeapi/rest/v2/PATH/   WWWDIR/lifetimeapi/v2/PATH.json (the query string is
#                                ignored), 404 when there is no such file (an older
#                                LifeTime), 401 without the token: environments,
#                                applications, modules, environments/KEY/dbconnections,
#                                deployments, deployments/KEY/status,
#                                deployments/KEY/getmissingdbmappings; a KEY starting
#                                no-capability gets LifeTime's 400 for an environment
#                                without the capability
set -eu

die() { echo "httpfixture: $*" >&2; exit 1; }

here=$(cd "$(dirname "$0")" && pwd)
NGINX=${NGINX:-}
if [ -z "$NGINX" ]; then
	for n in nginx /usr/sbin/nginx; do
		if command -v "$n" >/dev/null 2>&1; then NGINX=$(command -v "$n"); break; fi
	done
fi

cmd=${1:-}; dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: httpfixture.sh start|stop|status DIR [--www WWWDIR]"
shift 2

# Alive and not a zombie: in a container whose init does not reap, a dead
# daemon stays a zombie and kill -0 still succeeds on it.
alive() {
	kill -0 "$1" 2>/dev/null || return 1
	[ -r "/proc/$1/stat" ] || return 0
	state=$(sed 's/.*) //; s/ .*//' "/proc/$1/stat" 2>/dev/null) || return 1
	[ "$state" != Z ]
}

running() {
	[ -f "$dir/nginx.pid" ] && alive "$(cat "$dir/nginx.pid")"
}

# A port nobody listens on now; nginx may still lose a race, so start() retries.
random_port() {
	od -An -N2 -tu2 /dev/urandom | awk '{ print 20000 + $1 % 40000 }'
}

make_tls() {
	t=$dir/tls
	mkdir -p "$t"
	[ -f "$t/server.pem" ] && return 0
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-days 30 -subj "/CN=osmigrate test CA" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" \
		-keyout "$t/ca.key" -out "$t/ca.pem" >/dev/null 2>&1 || die "openssl: could not create the CA"
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-subj "/CN=127.0.0.1" -keyout "$t/server.key" -out "$t/server.csr" >/dev/null 2>&1 \
		|| die "openssl: could not create the server key"
	printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost" \
		"basicConstraints=CA:FALSE" "keyUsage=digitalSignature" \
		"extendedKeyUsage=serverAuth" >"$t/ext.cnf"
	openssl x509 -req -in "$t/server.csr" -CA "$t/ca.pem" -CAkey "$t/ca.key" \
		-CAcreateserial -days 30 -extfile "$t/ext.cnf" -out "$t/server.pem" >/dev/null 2>&1 \
		|| die "openssl: could not sign the server certificate"
}

write_conf() {
	http_port=$1; https_port=$2; token=$3
	# Everything the client can ask for is a fixed location; the JSON and
	# the healthy pages come from $www, the broken answers from return.
	cat >"$dir/nginx.conf" <<CONF
# generated by httpfixture.sh; removed by "httpfixture.sh stop"
daemon on;
master_process off;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 256; }
http {
	access_log $dir/logs/access.log;
	client_body_temp_path $dir/tmp/body;
	proxy_temp_path $dir/tmp/proxy;
	fastcgi_temp_path $dir/tmp/fastcgi;
	uwsgi_temp_path $dir/tmp/uwsgi;
	scgi_temp_path $dir/tmp/scgi;
	types { text/html html; application/json json; }
	default_type text/plain;
	server_tokens off;
	map_hash_bucket_size 128;
	map \$http_authorization \$lifetime_ok {
		default 0;
		"Bearer $token" 1;
	}
	server {
		listen 127.0.0.1:$http_port;
		listen 127.0.0.1:$https_port ssl;
		server_name localhost;
		ssl_certificate $dir/tls/server.pem;
		ssl_certificate_key $dir/tls/server.key;
		root $www;

		location = /PoolDown/_ping.html {
			return 503 "<html><body><h1>Service Unavailable</h1><p>HTTP Error 503. The service is unavailable.</p></body></html>\n";
		}
		location = /Missing/_ping.html { return 404; }
		location = /Forbidden/_ping.html { return 403; }
		location = /LoginRedirect/_ping.html {
			return 302 /Users/Login.aspx?OriginalURL=%2fLoginRedirect%2f_ping.html;
		}
		location = /HttpsOnly/_ping.html {
			return 301 https://127.0.0.1:$https_port/OrdersUI/_ping.html;
		}
		location = /Users/Login.aspx {
			default_type text/html;
			return 200 "<html><head><title>Log in</title></head><body><form>Please log in <input type=password name=p></form></body></html>\n";
		}
		location = /Injected/_ping.html {
			default_type text/html;
			return 200 "<html><head><title>Corporate proxy</title></head><body>Access to this site requires sign-in. <form><input name=u><input type='password' name=p></form></body></html>\n";
		}
		location = /ProxyError/_ping.html {
			default_type text/html;
			return 200 "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>The proxy server received an invalid response from an upstream server.</p></body></html>\n";
		}
		location = /AuthRequired/_ping.html {
			add_header WWW-Authenticate 'Negotiate' always;
			return 401 "<html><body>401 - Unauthorized</body></html>\n";
		}
		location = /NotHtml/_ping.html {
			types { }
			default_type text/plain;
			return 200 "OK\n";
		}
		location = /Slow/_ping.html {
			alias $www/Slow/_ping.html;
			# the status line, the headers and the page's first bytes at
			# once, then 1 byte/s: it answered, the page never completes
			limit_rate_after 300;
			limit_rate 1;
		}
		location /lifetimeapi/rest/v2/ {
			default_type application/json;
			if (\$lifetime_ok = 0) {
				return 401 '{"Errors":["The request requires a valid authentication token."]}';
			}
			# A target environment without the capability (LifeTime's 400).
			location ~ ^/lifetimeapi/rest/v2/deployments/no-capability[A-Za-z0-9_-]*/getmissingdbmappings/?\$ {
				default_type application/json;
				if (\$lifetime_ok = 0) {
					return 401 '{"Errors":["The request requires a valid authentication token."]}';
				}
				return 400 '{"Errors":["The target environment does not have the capability to configure database mappings."]}';
			}
			location ~ ^/lifetimeapi/rest/v2/([A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*)/?\$ {
				default_type application/json;
				if (\$lifetime_ok = 0) {
					return 401 '{"Errors":["The request requires a valid authentication token."]}';
				}
				try_files /lifetimeapi/v2/\$1.json =404;
			}
			return 404 '{"Errors":["Unknown resource."]}';
		}
	}
}
CONF
}

start() {
	www=$here/../demo/www
	owner=
	while [ $# -gt 0 ]; do
		case $1 in
		--www) [ $# -ge 2 ] || die "--www needs a directory"; www=$2; shift 2 ;;
		--owner)
			[ $# -ge 2 ] && [ "$2" -gt 1 ] 2>/dev/null || die "--owner needs a process id"
			owner=$2; shift 2 ;;
		*) die "unknown option: $1" ;;
		esac
	done
	[ -n "$NGINX" ] || die "nginx not found: install the Debian package nginx-light"
	command -v openssl >/dev/null 2>&1 || die "openssl not found: install the Debian package openssl"
	[ -d "$www" ] || die "no such directory: $www"
	www=$(cd "$www" && pwd)
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	running && die "already running in $dir (run: httpfixture.sh stop $dir)"
	old_umask=$(umask); umask 077
	mkdir -p "$dir/logs" "$dir/tmp"
	make_tls
	if [ ! -s "$dir/token" ]; then
		od -An -N24 -tx1 /dev/urandom | tr -d ' \n' >"$dir/token"
	fi
	chmod 600 "$dir/token"
	token=$(cat "$dir/token")
	umask "$old_umask"

	tries=0
	while :; do
		tries=$((tries + 1))
		http_port=$(random_port); https_port=$(random_port)
		[ "$http_port" != "$https_port" ] || continue
		write_conf "$http_port" "$https_port" "$token"
		chmod 600 "$dir/nginx.conf"
		: >"$dir/logs/start.log"
		if "$NGINX" -p "$dir" -c "$dir/nginx.conf" -e "$dir/logs/error.log" \
			>"$dir/logs/start.log" 2>&1; then
			break
		fi
		if grep -q "Address already in use" "$dir/logs/start.log" "$dir/logs/error.log" 2>/dev/null \
			&& [ "$tries" -lt 20 ]; then
			continue
		fi
		cat "$dir/logs/start.log" >&2
		die "nginx did not start (see $dir/logs/error.log)"
	done
	# nginx daemonises before the pid file is certain to exist.
	i=0
	while ! running; do
		i=$((i + 1)); [ $i -lt 50 ] || die "nginx did not write $dir/nginx.pid"
		sleep 0.1
	done
	if [ -n "$owner" ]; then
		# Watchdog: a test that crashes never runs its stop; this does.
		(
			while alive "$owner" && running; do sleep 1; done
			stop
		) </dev/null >/dev/null 2>&1 &
	fi
	cat >"$dir/env" <<ENV
HTTP_PORT=$http_port
HTTP_BASE=http://127.0.0.1:$http_port
HTTPS_PORT=$https_port
HTTPS_BASE=https://127.0.0.1:$https_port
CA_FILE=$dir/tls/ca.pem
LIFETIME_URL=http://127.0.0.1:$http_port/lifetimeapi/rest/v2
LIFETIME_HTTPS_URL=https://127.0.0.1:$https_port/lifetimeapi/rest/v2
LIFETIME_TOKEN_FILE=$dir/token
ENV
	cat "$dir/env"
}

stop() {
	[ -d "$dir" ] || return 0
	if running; then
		pid=$(cat "$dir/nginx.pid")
		kill "$pid" 2>/dev/null || true
		# A single-process nginx takes over a second to act on TERM; the
		# fixture holds nothing worth a graceful exit, so do not wait for it.
		i=0
		while alive "$pid"; do
			i=$((i + 1))
			if [ $i -eq 6 ]; then kill -9 "$pid" 2>/dev/null || true; fi
			[ $i -lt 100 ] || die "nginx (pid $pid) does not stop"
			sleep 0.05
		done
	fi
	rm -f "$dir/nginx.pid"
}

case $cmd in
start) start "$@" ;;
stop) stop ;;
status) running ;;
*) die "unknown command: $cmd (start, stop, status)" ;;
esac
