#!/bin/sh
# http_fixture.sh - scripts/httpfixture.sh's interface (env file, token
# mode, start/stop/status) and `osmigrate check` for the HTTP checks against
# it: consumer pings of every class, server pings, LifeTime platform version,
# consistency and environments, a wrong token, exit codes.
. "$top_srcdir/tests/lib/tap.sh"

fx="$top_srcdir/scripts/httpfixture.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-http.XXXXXX")
cleanup() {
	sh "$fx" stop "$work/fx" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
trap 'cleanup; exit 129' HUP
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM

unset OSMIGRATE_LIFETIME_TOKEN http_proxy https_proxy HTTPS_PROXY ALL_PROXY all_proxy

sh "$fx" start "$work/fx" >"$work/start.out" 2>&1
ok $? "fixture starts" || { cat "$work/start.out" | diag; bail "no nginx fixture (install nginx-light)"; }
. "$work/fx/env"
for k in HTTP_PORT HTTP_BASE HTTPS_BASE CA_FILE LIFETIME_URL LIFETIME_HTTPS_URL LIFETIME_TOKEN_FILE; do
	eval v=\${$k:-}
	[ -n "$v" ]; ok $? "env has $k"
done
cmp -s "$work/start.out" "$work/fx/env"; ok $? "start prints the env file"
is "$(stat -c %a "$LIFETIME_TOKEN_FILE")" 600 "token file is mode 0600"
sh "$fx" status "$work/fx"; ok $? "status: running"
sh "$fx" start "$work/fx" >/dev/null 2>&1; [ $? -ne 0 ]; ok $? "a second start in the same dir is refused"

# ---- consumers: one of each class, as the operator would write them ----
cat >"$work/consumers.ini" <<INI
[http]
timeout = 2

[consumer "Orders"]
url = $HTTP_BASE/OrdersUI/_ping.html

[consumer "PoolDown"]
url = $HTTP_BASE/PoolDown/_ping.html

[consumer "Missing"]
url = $HTTP_BASE/Missing/_ping.html

[consumer "Forbidden"]
url = $HTTP_BASE/Forbidden/_ping.html

[consumer "Login"]
url = $HTTP_BASE/LoginRedirect/_ping.html

[consumer "Proxy"]
url = $HTTP_BASE/Injected/_ping.html

[consumer "Slow"]
url = $HTTP_BASE/Slow/_ping.html

[consumer "Portal"]
url = $HTTP_BASE/LoginPortal/_ping.html

[consumer "ProxyError"]
url = $HTTP_BASE/ProxyError/_ping.html

[consumer "Auth"]
url = $HTTP_BASE/AuthRequired/_ping.html

[consumer "Tls"]
url = $HTTPS_BASE/CustomersUI/_ping.html
INI
"$OSMIGRATE" check connector-migration --answers "$work/consumers.ini" --step consumers \
	>"$work/out" 2>&1 </dev/null
rc=$?
is "$rc" 2 "consumers with failures: exit 2"
line() { grep -E "^Checking consumer module $1 " "$work/out"; }
line Orders | grep -q ' ok$'; ok $? "healthy consumer is ok"
line PoolDown | grep -q 'FAILED$'; ok $? "503 consumer FAILED"
line Missing | grep -q 'FAILED$'; ok $? "404 consumer FAILED"
line Forbidden | grep -q 'FAILED$'; ok $? "403 consumer FAILED"
line Login | grep -q 'warning$'; ok $? "redirecting consumer: warning"
line Proxy | grep -q 'warning$'; ok $? "a proxy's sign-in form: warning"
line Portal | grep -q 'warning$'; ok $? "an SSO login page: warning"
line ProxyError | grep -q 'warning$'; ok $? "a proxy's error page: warning"
line Auth | grep -q 'warning$'; ok $? "401: warning"
grep -q "a login or SSO form (it has a password field)" "$work/out"; ok $? "the login form is named"
grep -q "an error page, as a proxy or load balancer sends" "$work/out"; ok $? "the proxy error page is named"
grep -q "401 Unauthorized: this address requires a login" "$work/out"; ok $? "401 says a login is required"
grep -q "not deployed" "$work/out"; [ $? -ne 0 ]; ok $? "404 does not claim the module is not deployed"
line Slow | grep -q 'FAILED$'; ok $? "slow consumer times out: FAILED"
grep -q "answered 200, but the page did not complete within 2.0 s" "$work/out"
ok $? "a page that trickles: it answered, the page did not complete (not \"no answer\")"
line Tls | grep -q 'error$'; ok $? "untrusted certificate: could not check"
grep -q "application pool" "$work/out"; ok $? "503 explained as the application pool"
grep -q "/Users/Login.aspx" "$work/out"; ok $? "redirect names its Location"
grep -q "\[http\] cafile" "$work/out"; ok $? "TLS failure names [http] cafile"
[ "$(grep -c ', [0-9]* ms$' "$work/out")" -ge 7 ]; ok $? "each failed ping shows its elapsed time"
grep -q "^Checking consumer module Orders " "$work/out" || diag "$(cat "$work/out")"

# The CA bundle option makes the TLS consumer pass.
printf '[http]\ncafile = %s\n\n[consumer "Tls"]\nurl = %s/CustomersUI/_ping.html\n' \
	"$CA_FILE" "$HTTPS_BASE" >"$work/tls.ini"
"$OSMIGRATE" check connector-migration --answers "$work/tls.ini" --step consumers \
	>"$work/out" 2>&1 </dev/null
is "$?" 0 "with [http] cafile the HTTPS consumer is ok"

# ---- LifeTime ----
cat >"$work/lt.ini" <<INI
[lifetime]
url = $LIFETIME_HTTPS_URL
token_file = $LIFETIME_TOKEN_FILE
cafile = $CA_FILE

[environment "Development"]

[environment "Production"]

[environment "Staging"]
INI
"$OSMIGRATE" check connector-migration --answers "$work/lt.ini" --step prerequisites \
	--state "$work/state.ini" >"$work/out" 2>&1 </dev/null
grep -E "^Checking Platform Server version" "$work/out" | grep -q ' ok$'
ok $? "platform version from LifeTime: ok"
grep -q "^summary = 3 environments, lowest 11.31.0.45003 (LifeTime)" "$work/state.ini"
ok $? "the lowest environment version is recorded"
grep -q -- "$(cat "$LIFETIME_TOKEN_FILE")" "$work/state.ini"; [ $? -ne 0 ]
ok $? "the token value is not in the state file"

# A typed Platform Server version that none of LifeTime's matches is said,
# not silently dropped (operator trial): a warning naming both.
{
	printf '[osmigrate]\nversion = 1\nrunbook = connector-migration\n\n'
	cat "$work/lt.ini"
	printf '\n[step "prerequisites"]\nfield.platform_version = 11.20.0\n'
} >"$work/typed.ini"
chmod 600 "$work/typed.ini"
"$OSMIGRATE" check connector-migration --state "$work/typed.ini" --step prerequisites \
	>"$work/out" 2>&1 </dev/null
grep -E "^Checking Platform Server version" "$work/out" | grep -q ' warning$'
ok $? "typed 11.20.0 against LifeTime's versions: a warning" || diag "$(cat "$work/out")"
grep -q "typed on the prerequisites screen (11.20.0) is not what LifeTime reports (" "$work/out"
ok $? "naming the typed version and LifeTime's"

"$OSMIGRATE" check connector-migration --answers "$work/lt.ini" --step republish \
	>"$work/out" 2>&1 </dev/null
is "$?" 2 "an Outdated application: exit 2"
grep -q "Customers in Development: Outdated" "$work/out"; ok $? "the inconsistent application is listed"

"$OSMIGRATE" check connector-migration --answers "$work/lt.ini" --step deploy \
	>"$work/out" 2>&1 </dev/null
is "$?" 3 "deploy: the supported connection is not named, so its checks could not check (exit 3)"
grep -Eq '^Checking environments to deploy to \(LifeTime\) \.\.\. *warning$' "$work/out"
ok $? "an environment unknown to LifeTime: warning"
grep -q 'Staging' "$work/out"; ok $? "the unknown environment is named"

# A wrong token: could not check, and the token is never printed.
bad=wrong-token-$$-0123456789
OSMIGRATE_LIFETIME_TOKEN=$bad "$OSMIGRATE" check connector-migration --answers "$work/lt.ini" \
	--step republish >"$work/out" 2>&1 </dev/null
is "$?" 3 "a wrong token: could not check, exit 3"
grep -q "401" "$work/out"; ok $? "401 reported"
grep -q -- "$bad" "$work/out"; [ $? -ne 0 ]; ok $? "the token is not printed"
grep -q -- "$(cat "$LIFETIME_TOKEN_FILE")" "$work/out"; [ $? -ne 0 ]; ok $? "the real token is not printed"

# token_file readable by others: refused.
chmod 644 "$LIFETIME_TOKEN_FILE"
"$OSMIGRATE" check connector-migration --answers "$work/lt.ini" --step republish \
	>"$work/out" 2>&1 </dev/null
is "$?" 3 "a token file readable by others is refused (exit 3)"
grep -q "chmod 600" "$work/out"; ok $? "the fix says chmod 600"
chmod 600 "$LIFETIME_TOKEN_FILE"

# No LifeTime and no typed version: could not check, never ok.
printf '[http]\ntimeout = 2\n' >"$work/none.ini"
"$OSMIGRATE" check connector-migration --answers "$work/none.ini" --step prerequisites \
	>"$work/out" 2>&1 </dev/null
grep -E "^Checking Platform Server version" "$work/out" | grep -q ' error$'
ok $? "no LifeTime, no typed version: error"
grep -q "type the Platform Server version" "$work/out"; ok $? "the fix says how to give the version"

# ---- servers (endpoint-change) ----
cat >"$work/servers.ini" <<INI
[server "dc01"]
role = controller
url = $HTTP_BASE/OrdersUI/_ping.html

[server "fe01"]
role = frontend
url = $HTTP_BASE/PoolDown/_ping.html

[server "fe02"]
role = frontend
INI
"$OSMIGRATE" check endpoint-change --answers "$work/servers.ini" --step servers \
	>"$work/out" 2>&1 </dev/null
is "$?" 2 "a server down: exit 2"
grep -E "^Checking application server dc01 " "$work/out" | grep -q ' ok$'; ok $? "dc01 ok"
grep -E "^Checking application server fe01 " "$work/out" | grep -q 'FAILED$'; ok $? "fe01 FAILED"
grep -E "^Checking application server fe02 " "$work/out" | grep -q 'error$'; ok $? "fe02 without url: could not check"

# Ctrl-C during a slow ping: the check returns at once, as cancelled.
printf '[http]\ntimeout = 60\n\n[consumer "Slow"]\nurl = %s/Slow/_ping.html\n' \
	"$HTTP_BASE" >"$work/slow.ini"
"$OSMIGRATE" check connector-migration --answers "$work/slow.ini" --step consumers \
	>"$work/out" 2>&1 </dev/null &
pid=$!
sleep 1
kill -INT "$pid"
i=0
while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -0 "$pid" 2>/dev/null; [ $? -ne 0 ]; ok $? "SIGINT ends a 60 s ping within 5 s"
kill -KILL "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
grep -q "cancelled" "$work/out"; ok $? "the ping is reported as cancelled"

sh "$fx" stop "$work/fx"; ok $? "fixture stops"
sh "$fx" status "$work/fx"; [ $? -ne 0 ]; ok $? "status: stopped"
done_testing
