#!/bin/sh
# tui_verdicts.sh - the CLI and the wizard give the same verdict on the same
# stored results (result.h: one model, one severity policy).  A state file
# holds, step by step, FAILED, could-not-check, warning, ok and stale
# results; every step's mark and every result's word in `osmigrate status`
# must be what the wizard shows in its step list and its step panels.  And a
# run with a FAILED and several could-not-check results is FAILED in the
# wizard's message and journal, as `check` exits 2 for it.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"
unset OSMIGRATE_LIFETIME_TOKEN PGPASSWORD http_proxy https_proxy HTTPS_PROXY ALL_PROXY all_proxy
w=$TMUX_WORK
export HOME="$w" XDG_STATE_HOME="$w/xdg"

# Port 1 of the loopback: nothing listens, every connection is refused at once.
cat >"$w/answers.ini" <<'EOA'
[target]
host = 127.0.0.1
port = 1
dbname = shop
user = osm

[source]
host = 127.0.0.1
port = 1
dbname = ardo
user = osm

[http]
timeout = 2

[extension "A"]
tables = public.a

[extension "B"]
tables = public.b

[consumer "C1"]
url = http://127.0.0.1:1/C1/_ping.html

[consumer "C2"]
url = http://127.0.0.1:1/C2/_ping.html
EOA
st=$w/cm.ini
"$OSMIGRATE" check connector-migration --answers "$w/answers.ini" --state "$st" \
	</dev/null >"$w/check.out" 2>&1
rc=$?
[ "$rc" -eq 2 ] || [ "$rc" -eq 3 ]
ok $? "check recorded results with the digests of their settings (exit $rc)"

# The status of a recorded result, set by hand: the digest is of the
# settings, so the result stays current.
set_status() {
	sed -i "/^\[check \"$1\"\]/,/^\[/ s/^status = .*/status = $2/" "$st"
	grep -A1 "^\[check \"$1\"\]" "$st" | grep -q "^status = $2\$" || bail "no [check \"$1\"]"
}
set_status platform_version warning
set_status pg_version ok
set_status target_connect failed
set_status target_privileges error
set_status source_connect error
set_status ardo_sessions ok
set_status 'tables_accessible:A' failed
set_status 'tables_accessible:B' ok
set_status lifetime_consistency error
set_status 'consumer_ping:C1' failed
set_status 'consumer_ping:C2' failed
set_status type_verification failed
set_status lifetime_environments ok
# Settings changed since: these two FAILED results are stale, no verdict.
sed -i 's|^tables = public\.a$|tables = public.a2|' "$st"
sed -i 's|^url = http://127.0.0.1:1/C2/_ping.html$|url = http://127.0.0.1:1/C2b/_ping.html|' "$st"
"$OSMIGRATE" mark --state "$st" type_scan done --action run_scan >/dev/null 2>&1 &&
"$OSMIGRATE" mark --state "$st" type_scan done --action review_blockers --reason "blockers reviewed" \
	>/dev/null 2>&1
ok $? "the type scan step marked done over its FAILED result, with a reason"

status=$("$OSMIGRATE" status --state "$st" 2>&1)
is "$?" 0 "status reads the crafted state"
# step id -> mark and title, as status shows them ("  MARK ID TITLE STATUS",
# columns of 3, 14 and 26)
printf '%s\n' "$status" | grep '^  \[.\] ' | while IFS= read -r line; do
	printf '%s|%s|%s\n' "$(printf '%s' "$line" | cut -c7-20 | sed 's/ *$//')" \
		"$(printf '%s' "$line" | cut -c3-5)" \
		"$(printf '%s' "$line" | cut -c22-47 | sed 's/ *$//')"
done >"$w/status.marks"
is "$(wc -l <"$w/status.marks")" 9 "status lists the 9 steps with their marks"
mark_of() { sed -n "s/^$1|\(\[.\]\)|.*/\1/p" "$w/status.marks"; }
is "$(mark_of connection)" "[!]" "status: a step whose checks FAILED is [!] (as the wizard)"
is "$(mark_of consumers)" "[!]" "status: one current FAILED among stale ones still FAILED"
is "$(mark_of refresh)" "[ ]" "status: a stale FAILED does not mark the step"
is "$(mark_of prerequisites)" "[ ]" "status: warnings do not mark the step"
is "$(mark_of republish)" "[ ]" "status: could not check does not mark the step [!]"
is "$(mark_of type_scan)" "[x]" "status: a done step keeps its mark"
# result id -> word, as status shows them
printf '%s\n' "$status" | sed -n 's/^  \(ok\|warning\|FAILED\|error\|stale\) \{1,\}\([^ ]*\) .*/\2|\1/p' \
	>"$w/status.words"
is "$(wc -l <"$w/status.words")" 19 "status lists the 19 results"
word_of() { sed -n "s/^$1|//p" "$w/status.words"; }
is "$(word_of 'tables_accessible:A')" stale "status: a FAILED result whose settings changed is stale"

# The wizard on the same file, parked on the type scan step (done: no cursor
# mark [>] on an open step to tell apart).
label_of() {
	sed -n "/^\[check \"$1\"\]/,/^\[/ s/^label = //p" "$st" | cut -c1-40
}
tmux_start 110 40 "$OSMIGRATE" --state "$st"
tmux_wait "Resume at step"; ok $? "the wizard offers to resume"
tmux_keys r
tmux_wait "Actions (Space ticks)"; ok $? "steps open"
step_no() { grep -n "^$1|" "$w/status.marks" | cut -d: -f1; }
# Move to step $1 one n or b at a time, each time until the title bar says so.
goto_step() {
	i=0
	while [ $i -lt 10 ]; do
		cur=$(tmux_screen | sed -n 's/.* step \([0-9]\)\/9 *$/\1/p' | head -1)
		[ -n "$cur" ] || return 1
		[ "$cur" -eq "$1" ] && return 0
		if [ "$cur" -lt "$1" ]; then
			tmux_keys n
			tmux_wait "step $((cur + 1))/9" || return 1
		else
			tmux_keys b
			tmux_wait "step $((cur - 1))/9" || return 1
		fi
		i=$((i + 1))
	done
	return 1
}
goto_step "$(step_no type_scan)"
ok $? "on the type scan step"
tmux_screen >"$w/list.screen"
while IFS='|' read -r id mark title; do
	t=$(printf '%s' "$title" | cut -c1-20)
	if grep -qF "$mark $t" "$w/list.screen"; then
		ok 0 "step $id: $mark in status and in the wizard's step list"
	else
		ok 1 "step $id: $mark in status, not in the wizard's step list"
		sed 's/^/# /' "$w/list.screen"
	fi
done <"$w/status.marks"

# Each step's panel shows each result with the word status gives it (a
# page down at a time until it shows, or not).
panel_of() {
	case $1 in
	platform_version|pg_version) echo prerequisites ;;
	target_*|source_*|ardo_*|lifetime_dbconnections|consumer_ping_before:*) echo connection ;;
	tables_accessible:*) echo refresh ;;
	lifetime_consistency|consumer_republished:*) echo republish ;;
	consumer_ping:*) echo consumers ;;
	type_verification) echo type_scan ;;
	lifetime_environments|deploy_*) echo deploy ;;
	esac
}
while IFS='|' read -r id word; do
	p=$(panel_of "$id")
	row="$(printf '%-7s' "$word") $(label_of "$id")"
	goto_step "$(step_no "$p")" || bail "could not reach the step $p"
	tmux_keys Home
	found=1
	for page in 1 2 3 4 5 6; do
		tmux_wait "$row" 3 >/dev/null 2>&1 && { found=0; break; }
		tmux_keys NPage
	done
	ok $found "$id: $word in status and in the wizard's $p panel"
	[ $found -eq 0 ] || tmux_screen | sed 's/^/# /'
done <"$w/status.words"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"

# A run: target refused (FAILED), its privileges and sessions could not be
# checked (no consumer listed: no before ping is recorded).  check exits 2
# (FAILED wins); the wizard's message and journal say FAILED, not error.
cat >"$w/run.ini" <<'EOA'
[target]
host = 127.0.0.1
port = 1
dbname = shop
user = osm
EOA
"$OSMIGRATE" check connector-migration --step connection --answers "$w/run.ini" \
	</dev/null >"$w/run.out" 2>&1
is "$?" 2 "check: a FAILED and could-not-check results: exit 2"
grep -q ' FAILED$' "$w/run.out" && grep -q ' error$' "$w/run.out"
ok $? "check listed both a FAILED and a could-not-check result"
tmux_start 110 40 "$OSMIGRATE" --answers "$w/run.ini" --state "$w/run-state.ini" \
	connector-migration
tmux_wait "Actions (Space ticks)"; ok $? "wizard opens"
tmux_keys n
tmux_wait "step 2/9"
tmux_keys r
tmux_wait "checks FAILED: 0 ok, 0 warning, 1 FAILED, 2 error" 20
ok $? "the wizard says FAILED for the same results"
grep -qF "$(printf '\tcheck\tFAILED: 0 ok, 0 warning, 1 FAILED, 2 error')" "$w/run-state.ini.journal"
ok $? "and journals FAILED"
tmux_screen | grep -q '\[!\] Create database connection'
ok $? "the step is marked [!]"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
out=$("$OSMIGRATE" status --state "$w/run-state.ini" 2>&1)
printf '%s\n' "$out" | grep -q '^  \[!\] connection '
ok $? "status marks the step [!] too"
done_testing
