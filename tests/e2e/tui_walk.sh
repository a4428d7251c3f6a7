#!/bin/sh
# tui_walk: an operator's whole walk through each runbook on the demo
# environment (throwaway PostgreSQL and nginx from scripts/demo.sh), at
# 80x24, with keys only: every action of every step and every item ticked,
# every step's checks run, then `osmigrate status` and `report` agree that
# the procedure is complete.  connector-migration and endpoint-change are
# walked to the end; restore-database up to the servers, where the order rule
# (Deployment Controller first) is met by walking the controller first.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"

demo=$TMUX_WORK/demo
export OSMIGRATE_DEMO_DIR="$demo"
trap 'tmux_stop; sh "$top_srcdir/scripts/demo.sh" stop >/dev/null 2>&1' EXIT
if ! sh "$top_srcdir/scripts/demo.sh" start >"$TMUX_WORK/demo.env" 2>"$TMUX_WORK/demo.err"; then
	diag "$(cat "$TMUX_WORK/demo.err")"
	bail "the demo environment did not start"
fi
ok 0 "demo environment started (PostgreSQL and nginx on 127.0.0.1)"
. "$demo/pg/env"
RUN="env PGSERVICEFILE=$demo/pg/pg_service.conf PGPASSFILE=$demo/pg/pgpass XDG_STATE_HOME=$demo/state"
answers=$demo/answers.ini

# The line the cursor is on ("> " after the separator).
cursor() { tmux_screen | grep -E '(│|\|) > ' | head -1; }

# The screen once it stopped changing: keys are sent only after the program
# has drawn what the previous ones did (it may run under valgrind).
settle() {
	_prev= _t=0
	while [ "$_t" -lt 300 ]; do
		_cur=$(tmux_screen)
		[ -n "$_prev" ] && [ "$_cur" = "$_prev" ] && return 0
		_prev=$_cur
		sleep 0.2
		_t=$((_t + 1))
	done
}

# Ticks recorded in the state file: each Space must add one.
nticks() { _c=$(grep -c '^tick\.' "$st" 2>/dev/null); echo "${_c:-0}"; }

# Tick N actions from the cursor on: the cursor starts on the first one.
tick() {
	_i=0
	while [ "$_i" -lt "$1" ]; do
		_before=$(nticks)
		[ "$_i" -gt 0 ] && tmux_keys j
		tmux_keys Space
		_t=0
		while [ "$(nticks)" -le "$_before" ]; do
			_t=$((_t + 1))
			[ "$_t" -lt 600 ] || { diag "tick $_i: not saved"; diag "$(tmux_screen)"; return 1; }
			sleep 0.1
		done
		_i=$((_i + 1))
	done
	settle
}

# Walk the items of an item step: for each, open it if closed (or step
# into it when open), tick its N actions.  An item done folds and the next
# one opens with the cursor on its first action.
items() { # COUNT ACTIONS-PER-ITEM
	_k=0
	while [ "$_k" -lt "$1" ]; do
		settle
		if cursor | grep -q '> + \['; then
			tmux_keys Enter && settle && tmux_keys j
		elif cursor | grep -q '> - \['; then
			tmux_keys j
		fi
		tick "$2" || return 1
		settle
		_k=$((_k + 1))
	done
}

# Go to the first action or item line of the current step.
first() { tmux_keys Home; settle; }

checks() { # run the step's checks; wait until their results are saved and shown
	settle
	_sum=$(cksum <"$st")
	tmux_keys r
	_t=0
	while [ "$_t" -lt 1200 ]; do
		if [ "$(cksum <"$st")" != "$_sum" ] &&
		   tmux_screen | grep -Eq '(checks|type verification) (ok|FAILED|warning|error):'; then
			settle
			return 0
		fi
		sleep 0.1
		_t=$((_t + 1))
	done
	diag "$(tmux_screen)"
	return 1
}
verdict() { # the last checks' verdict word shows
	tmux_screen | grep -q "checks $1:" || { diag "$(tmux_screen)"; return 1; }
}

next_step() { # N: expect "step N/M" after n
	tmux_keys n
	tmux_wait "step $1/" && settle
}

status_all_done() { # STATE N
	out=$($RUN "$OSMIGRATE" status --state "$1")
	[ "$(printf '%s\n' "$out" | grep -c '^ *\[x\] ')" -eq "$2" ] || { diag "$out"; return 1; }
}

# ---- connector-migration -------------------------------------------------
st=$TMUX_WORK/cm.ini
tmux_start 80 24 $RUN "$OSMIGRATE" --answers "$answers" --state "$st" connector-migration
tmux_wait "Actions (Space ticks)"; ok $? "connector-migration opens on the demo"
first; tick 3; ok $? "prerequisites: 3 actions ticked"
tmux_wait '[x] Prerequisites' 5; ok $? "prerequisites done"
next_step 2; first; tick 3; ok $? "connection: 3 actions ticked"
checks; ok $? "connection: checks ran against the demo database"
verdict warning; ok $? "connection: checks ok but for the consumers' pages before the rebind (one down, one login page: warnings)"
next_step 3; checks; ok $? "type scan: r scans every column in scope, before the first rebind"
tmux_keys PPage PPage
tmux_wait 'Type verification (' 10 && tmux_screen | grep -q 'Press t to review'
ok $? "type scan: the summary of the scan shows on the step"
grep -q '^\[types\]' "$st" && grep -q '^\[finding "1"\]' "$st"; ok $? "type scan: findings stored in the state file"
# The demo's blockers FAILED the type verification: the tick that would
# complete the step asks for a reason (the results gate), which is recorded.
first; tick 1 && tmux_keys j Space && tmux_wait "failed or stale checks" 10 &&
	tmux_text "blockers reviewed with the application owners" && tmux_keys Enter &&
	tmux_wait '[x] Scan data types' 10
ok $? "type scan: 2 actions, the last one over the FAILED verification with a typed reason"
grep -q '^overrode = result type_verification FAILED ' "$st"
ok $? "type scan: the override names the result it overrode"
next_step 4; first; tick 1 && tmux_keys j && items 2 2; ok $? "rebind: the ardo connection and 2 extensions x 2 actions"
next_step 5; first; items 2 2; ok $? "refresh: 2 extensions x 2 actions"
checks; ok $? "refresh: tables accessible checked"
next_step 6; first; tick 2; ok $? "republish: 2 actions"
checks; verdict FAILED; ok $? "republish: LifeTime shows the inconsistent application (FAILED)"
next_step 7
first; items 5 1; ok $? "consumers: 5 consumer modules tested"
checks; verdict FAILED; ok $? "consumers: the pool-down consumer FAILS its ping"
tmux_keys PPage PPage PPage PPage PPage PPage
tmux_wait 'Type verification (' 5 && tmux_screen | grep -Eq '^ *(│|\|)? *[1-9][0-9]* blockers|: [1-9][0-9]* blockers'
ok $? "consumers: the type verification summary shows where the consumers are tested"
next_step 8
tmux_wait 'Type verification (' 10 && tmux_screen | grep -q 'Press t to review'
ok $? "types: the seed's data-types step shows the scan for the consumer tests"
first; tick 2; ok $? "types: 2 actions"
next_step 9; first; items 2 4; ok $? "deploy: 2 environments x 4 actions (Development, where the migration was done, is not offered)"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q saves and exits 0"
status_all_done "$st" 9; ok $? "status: all 9 steps done"
$RUN "$OSMIGRATE" report --state "$st" --format json -o "$TMUX_WORK/cm.json"
is "$?" 0 "report written"
python3 - "$TMUX_WORK/cm.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["version"] == 1
assert [s["status"] for s in d["steps"]] == ["done"] * 9, [s["status"] for s in d["steps"]]
assert all(a["ticked"] and a["by"] and a["at"] for s in d["steps"] for a in s["actions"])
assert all(i["status"] == "done" for s in d["steps"] for i in s["items"])
ids = {c["id"] for c in d["checks"]}
assert "target_connect" in ids and "consumer_ping:Reports" in ids, ids
# What is outstanding is exactly the demo's deliberate failures: the
# inconsistent application, the pool-down consumer and the type blockers.
out = d["outstanding"]
assert any("lifetime_consistency" in o for o in out) and any("consumer_ping:Reports" in o for o in out), out
assert all(o.startswith("check ") or o.startswith("type verification") for o in out), out
PY
ok $? "report: every step, action and item done with who/when; checks recorded; only the demo's failures outstanding"

# ---- endpoint-change -----------------------------------------------------
st=$TMUX_WORK/ec.ini
tmux_start 80 24 $RUN "$OSMIGRATE" --answers "$answers" --state "$st" endpoint-change
tmux_wait "Actions (Space ticks)"; ok $? "endpoint-change opens on the demo"
first; tick 3; ok $? "endpoints: 3 actions"
checks; verdict ok; ok $? "endpoints: old and new addresses reachable"
next_step 2; first; items 3 6; ok $? "servers: 3 servers x 6 Configuration Tool actions"
tmux_screen | grep -q '\[x\] Reconfigure each server'; ok $? "servers: the step is done once the 3 servers are"
checks; verdict error; ok $? "servers: the checks ran; the services' ports are not observed ([services] reachable not set): could not check"
for sv in osdc01 osfe01 osfe02; do
	grep -A2 "^\[check \"server_ping:$sv\"\]" "$st" | grep -q '^status = ok$' || break
done; ok $? "servers: every server's ping answers"
next_step 3; first; tick 1; ok $? "all-components solution"
next_step 4; first; tick 1; ok $? "apply settings"
next_step 5; first; tick 1; ok $? "republish"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q saves and exits 0"
status_all_done "$st" 5; ok $? "status: all 5 steps done"

# ---- restore-database, up to the servers ------------------------------------
st=$TMUX_WORK/rd.ini
tmux_start 80 24 $RUN "$OSMIGRATE" --answers "$answers" --state "$st" restore-database
tmux_wait "Actions (Space ticks)"; ok $? "restore-database opens on the demo"
first; tick 6; ok $? "prerequisites: 6 actions"
next_step 2; first; tick 1; checks; verdict ok; ok $? "prepare: new server reachable"
# The demo's servers keep serving their pages after "stop": each tick's
# ping says FAILED (expected down), so the tick that would complete the
# step asks for a reason (the results gate), which is recorded.
next_step 3; first; items 2 1 && settle && {
	if cursor | grep -q '> + \['; then tmux_keys Enter && settle && tmux_keys j
	elif cursor | grep -q '> - \['; then tmux_keys j; fi; true; } &&
	tmux_keys Space && tmux_wait "failed or stale checks" 20 &&
	tmux_text "demo: its servers are not really stopped" && tmux_keys Enter &&
	tmux_wait '[x] Stop IIS' 10
ok $? "stop: IIS and services stopped on 3 servers, the last over the FAILED pings with a reason"
grep -q '^overrode = .*server_stopped:' "$st"
ok $? "stop: the override names the pings it overrode"
next_step 4; first; tick 1; ok $? "backup"
next_step 5; first; tick 1; ok $? "restore"
next_step 6; first; tick 1; checks; verdict ok; ok $? "verify: the restored copy is identical"
next_step 7; first; items 3 7; ok $? "servers: the controller first, then 2 front-ends x 7 actions"
tmux_screen | grep -q '\[x\] Reconfigure servers'; ok $? "servers: done, controller first, no override needed"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q saves and exits 0"
awk '/^\[/ { f = ($0 ~ /^\[(step "servers"|item "servers:)/) } f' "$st" | grep -q '^reason = override'
[ $? -ne 0 ]; ok $? "no order override was recorded on the servers step"
done_testing
