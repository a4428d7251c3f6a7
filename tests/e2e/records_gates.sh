#!/bin/sh
# records_gates.sh - the gates of issue 14 through `mark` and `status`: a
# FAILED check keeps an item from being marked done (exit 2, the failing
# check listed; the completing --action too) until --reason overrides it;
# the override is recorded (reason, who, when, what it overrode) and
# journalled; an item with unticked actions needs --reason (forced, [x]!);
# status gives the verdict (incomplete / complete / complete with N
# overrides) and lists the overrides; skipped items are not counted as done
# and stay skipped in later steps listing them, until reopened there.
. "$top_srcdir/tests/lib/tap.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-gates.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'rm -rf "$work"; exit 129' HUP
trap 'rm -rf "$work"; exit 130' INT
trap 'rm -rf "$work"; exit 143' TERM
umask 077

st=$work/cm.ini
cat >"$st" <<'INI'
[osmigrate]
version = 1
runbook = connector-migration

[extension "Orders"]

[extension "HRDB"]

[consumer "OrdersUI"]
url = http://127.0.0.1:1/OrdersUI/_ping.html
INI

mark() { out=$("$OSMIGRATE" mark --state "$st" "$@" 2>&1); rc=$?; }
status() { out=$("$OSMIGRATE" status --state "$st" 2>&1); rc=$?; }
has() { printf '%s\n' "$out" | grep -qF -- "$1"; ok $? "$2"; }
hasnt() { printf '%s\n' "$out" | grep -qF -- "$1"; ok $((! $?)) "$2"; }
sec() { sed -n "/^\\[$1\\]/,/^\\[/p" "$st"; }

# A real FAILED: nothing listens on port 1.
"$OSMIGRATE" check connector-migration --step consumers --state "$st" >/dev/null 2>&1 </dev/null
is "$?" 2 "consumer_ping FAILED and was recorded"

mark consumers done --item OrdersUI
is "$rc" 2 "an item whose check FAILED is not marked done: exit 2"
has "'OrdersUI' cannot be marked done: its check consumer_ping:OrdersUI FAILED" \
	"the refusal lists the failing check"
has "To override, repeat with --reason TEXT." "and says how to override"
mark consumers done --item OrdersUI --action no_errors
is "$rc" 2 "the tick that would complete it is refused the same way"
has "consumer_ping:OrdersUI FAILED" "naming the check"
sec 'item "consumers:OrdersUI"' | grep -q '^tick\.'
ok $((! $?)) "nothing was ticked"

mark consumers done --item OrdersUI --action no_errors --reason "known outage of the ping page"
is "$rc" 0 "--reason overrides: exit 0"
has "override recorded" "mark says the override was recorded"
sec 'item "consumers:OrdersUI"' | grep -q '^status = done$'; ok $? "the item is done"
sec 'item "consumers:OrdersUI"' | grep -q '^reason = override: known outage of the ping page$'
ok $? "the reason is recorded"
sec 'item "consumers:OrdersUI"' | grep -q '^overrode = result consumer_ping:OrdersUI FAILED 20[0-9-]*T[0-9:]*Z$'
ok $? "what it overrode is recorded: the result, its verdict and time"
sec 'item "consumers:OrdersUI"' | grep -q '^override_by = [^ ]*@'; ok $? "who overrode it"
sec 'item "consumers:OrdersUI"' | grep -q '^override_at = 20'; ok $? "and when"
grep -q '	consumers	OrdersUI	override	known outage of the ping page	' "$st.journal"
ok $? "the override is journalled"
grep -q '	consumers	OrdersUI	overrode	result consumer_ping:OrdersUI FAILED ' "$st.journal"
ok $? "with what it overrode"

# Forced: an item with unticked actions.
mark rebind done --item Orders
is "$rc" 2 "an item with unticked actions needs --reason: exit 2"
has "'Orders' has 2 of 2 actions unticked" "the refusal counts them"
mark rebind done --item Orders --reason "rebound before the window"
is "$rc" 0 "forced with a reason: exit 0"
mark rebind skipped --item HRDB --reason "HRDB stays on ardoPostgreSQL"
is "$rc" 0 "an item skipped with a reason"

status
is "$rc" 0 "status: exit 0 whatever the verdict"
has "Verdict: incomplete" "status: the verdict"
printf '%s\n' "$out" | grep -q '^  \[>\] rebind .*1/2 extensions done, 1 skipped'
ok $? "status: a skipped item is not counted as done (M3)"
printf '%s\n' "$out" | grep -q '^        \[x\]! Orders  *0/2'
ok $? "status: the forced item is marked [x]!"
printf '%s\n' "$out" | grep -q '^        \[-\] HRDB .*skipped in step rebind  reason: HRDB stays on ardoPostgreSQL'
ok $? "status: the skip shows in the later step listing the same item, with its reason"
has "Overrides:" "status: the overrides are listed"
has "  rebind 'Orders': forced, done with 0/2 actions ticked: rebound before the window (by " \
	"status: the forced item, with its reason and who"
has "  consumers 'OrdersUI': known outage of the ping page (by " "status: the override"
has "      overrode: result consumer_ping:OrdersUI FAILED" "status: what it overrode"

mark refresh pending --item HRDB
is "$rc" 0 "reopened in refresh"
status
printf '%s\n' "$out" | grep -q '^        \[ \] HRDB '
ok $? "status: reopened in refresh, HRDB is pending there"

# endpoint-change: complete, then complete with 1 override.
st=$work/ec.ini
printf '[osmigrate]\nversion = 1\nrunbook = endpoint-change\n\n[server "FE1"]\nrole = frontend\n' >"$st"
for a in self_managed both_accessible list_servers; do mark endpoints done --action "$a"; done
for a in open_tool change_address apply_exit sc_install restart running; do
	mark servers done --item FE1 --action "$a"
done
mark solution done --action create_solution
mark settings done --action apply_settings
mark republish done --action publish_running
is "$rc" 0 "every action ticked"
status
has "Verdict: complete" "status: complete when every step is done and nothing overridden"
has "the procedure is complete." "and says so at the end"
hasnt "Overrides:" "no overrides listed"
mark solution pending --action create_solution
mark solution done
is "$rc" 0 "a step marked done with its action unticked"
status
has "Verdict: complete with 1 override" "status: complete with 1 override"
printf '%s\n' "$out" | grep -q '^  \[x\]! solution '
ok $? "status: the forced step is marked [x]!"
has "  solution: forced, done with 0/1 actions ticked (no reason given)" \
	"status: the forced step in Overrides"

done_testing
