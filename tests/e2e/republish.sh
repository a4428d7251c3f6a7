#!/bin/sh
# republish.sh - republish observed (issue 12): every ping records the
# SHA-256 of the module's page in the state file; the consumers' pings
# before the rebind (connector-migration / connection) are the "before",
# and the republish and consumers steps say "Changed since <time>:
# republished" (ok) or "Unchanged since <time>: was it republished?"
# (warning).  The same for the servers of endpoint-change: the after ping
# against the before, the republish step against the after.  A republish is
# simulated with the demo's own command (scripts/demo.sh republish MODULE):
# the page's content changes between two pings (nginx on 127.0.0.1 serves a
# copy of demo/www, as the demo does).
. "$top_srcdir/tests/lib/tap.sh"

fx="$top_srcdir/scripts/httpfixture.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-republish.XXXXXX")
cleanup() {
	sh "$fx" stop "$work/fx" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
trap 'cleanup; exit 129' HUP
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
unset OSMIGRATE_LIFETIME_TOKEN http_proxy https_proxy HTTPS_PROXY ALL_PROXY all_proxy

cp -R "$top_srcdir/demo/www" "$work/www"
if ! sh "$fx" start "$work/fx" --www "$work/www" >"$work/fx.out" 2>&1; then
	echo "1..0 # SKIP no nginx fixture (scripts/deps.sh installs nginx-light)"
	exit 0
fi
. "$work/fx/env"
sect() { sed -n "/^\[check \"$1\"\]/,/^\[/p" "$2"; }
key() { sect "$1" "$2" | sed -n "s/^$3 = //p"; }
republish() {  # MODULE: the demo's simulated publication (a new hash in its page)
	OSMIGRATE_DEMO_DIR=$work sh "$top_srcdir/scripts/demo.sh" republish "$1" 2>/dev/null
}

cat >"$work/cm.ini" <<INI
[http]
timeout = 3

[consumer "Orders"]
url = $HTTP_BASE/OrdersUI/_ping.html

[consumer "Customers"]
url = $HTTP_BASE/CustomersUI/_ping.html
INI
cat >"$work/down.ini" <<INI
[consumer "Reports"]
url = $HTTP_BASE/PoolDown/_ping.html
INI
st=$work/cm-state.ini
run() {  # RUNBOOK STEP [ANSWERS]
	"$OSMIGRATE" check "$1" --answers "${3:-$work/cm.ini}" --state "$st" --step "$2" \
		>"$work/out" 2>&1 </dev/null
}

# No before yet: the republish step cannot tell.
run connector-migration republish
grep -q "could not check: no ping to compare with (taken before the rebind" "$work/out"
ok $? "no ping before the rebind: republish could not check, and says where it is taken"

run connector-migration connection
want=$(sha256sum "$work/www/OrdersUI/_ping.html" | cut -d' ' -f1)
is "$(key consumer_ping_before:Orders "$st" body_sha256)" "$want" \
	"the before ping records the page's SHA-256 in the state file"
before_at=$(key consumer_ping_before:Orders "$st" at)
[ -n "$before_at" ]; ok $? "the before ping has its time"

# Only Orders is republished.
republish OrdersUI; ok $? "demo.sh republish changes a page"
run connector-migration republish
is "$(key consumer_republished:Orders "$st" status)" ok "Orders: republished: ok"
key consumer_republished:Orders "$st" summary | grep -qF "Changed since $before_at: republished"
ok $? "Orders: 'Changed since <time>: republished'"
is "$(key consumer_republished:Customers "$st" status)" warning "Customers: unchanged: warning"
key consumer_republished:Customers "$st" summary |
	grep -qF "Unchanged since $before_at: was it republished?"
ok $? "Customers: 'Unchanged since <time>: was it republished?'"
key consumer_republished:Customers "$st" fix | grep -q "OutSystems forum answer"
ok $? "the fix says where the rule comes from"
is "$(key consumer_republished:Orders "$st" body_sha256)" \
	"$(sha256sum "$work/www/OrdersUI/_ping.html" | cut -d' ' -f1)" "the new page's digest is recorded"

# The republish step has started: the connection step's r no longer
# replaces the before (it would record the republished page as "before").
"$OSMIGRATE" mark republish done --action create_solution --state "$st" >/dev/null 2>&1 </dev/null
run connector-migration connection
is "$(key consumer_ping_before:Orders "$st" body_sha256)" "$want" \
	"once the republish step has started, the before's page is kept"
is "$(key consumer_ping_before:Orders "$st" at)" "$before_at" "and its time"
key consumer_ping_before:Orders "$st" summary | grep -q "^kept (the republish step has started"
ok $? "and it says it was kept"

run connector-migration consumers
is "$?" 1 "consumers step: a consumer not republished is a warning (exit 1)"
is "$(key consumer_ping:Orders "$st" status)" ok "consumers step: Orders ok"
key consumer_ping:Orders "$st" summary | grep -qF "module files served"
ok $? "consumers step: the ping's own summary stays"
key consumer_ping:Orders "$st" summary | grep -qF "Changed since $before_at: republished"
ok $? "consumers step: Orders changed since the before"
key consumer_ping:Customers "$st" summary | grep -qF "Unchanged since $before_at: was it republished?"
ok $? "consumers step: Customers unchanged, asked"

republish CustomersUI
run connector-migration consumers
is "$?" 0 "after Customers' republish the consumers step is ok (exit 0)"

# A consumer already down before the rebind is noted, it does not fail the
# connection step.
st=$work/down-state.ini
run connector-migration connection "$work/down.ini"
is "$(key consumer_ping_before:Reports "$st" status)" warning "a consumer down before the rebind: a warning"
key consumer_ping_before:Reports "$st" summary | grep -q "^not healthy already before the rebind: 503"
ok $? "it says it was not healthy already before the rebind"

# ---- endpoint-change: before/after of a server, then the republish step ----
cat >"$work/ec.ini" <<INI
[http]
timeout = 3

[server "DC1"]
role = controller
url = $HTTP_BASE/Inventory_CS/_ping.html
INI
st=$work/ec-state.ini
run endpoint-change republish "$work/ec.ini"
grep -q "could not check: no ping to compare with (taken after the server's reconfiguration" "$work/out"
ok $? "endpoint-change republish without an after ping: could not check"
run endpoint-change servers "$work/ec.ini"
after_at=$(key server_ping:DC1 "$st" at)
run endpoint-change republish "$work/ec.ini"
is "$?" 1 "endpoint-change: republish step with the page unchanged: warning (exit 1)"
key server_republished:DC1 "$st" summary | grep -qF "Unchanged since $after_at: was it republished?"
ok $? "endpoint-change: 'Unchanged since <time>' against the ping after the reconfiguration"
republish Inventory_CS
run endpoint-change republish "$work/ec.ini"
is "$?" 0 "endpoint-change: republished: ok (exit 0)"
key server_republished:DC1 "$st" summary | grep -qF "Changed since $after_at: republished"
ok $? "endpoint-change: 'Changed since <time>: republished'"

done_testing
