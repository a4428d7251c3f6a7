#!/bin/sh
# tui_prefill: resuming with --answers does not undo settings typed in the
# wizard (trial H3): the answers fill only what the session lacks; what was
# kept is said on screen and in the journal.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"

state=$TMUX_WORK/ec.ini
ans=$TMUX_WORK/a.ini
umask 077
cat >"$state" <<'INI'
[osmigrate]
version = 1
runbook = endpoint-change
current = endpoints

[endpoint]
old = typed.example:5432
INI
cat >"$ans" <<'INI'
[endpoint]
old = answers.example:5432
new = new.example:5432
INI

tmux_start 80 24 "$OSMIGRATE" --state "$state" --answers "$ans" endpoint-change
tmux_wait "A saved session exists"; ok $? "the wizard offers to resume"
tmux_keys r
tmux_wait 'value kept: endpoint "platform".old'; ok $? "the screen says which setting kept the session's value"
# The message wraps at spaces: read the screen as one line.
tmux_screen | tr '\n' ' ' | tr -s ' ' | grep -q 'filled from the answers file: endpoint "platform".new'
ok $? "and, on a resumed session, what was filled in"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
grep -q '^old = typed.example:5432$' "$state"; ok $? "the value typed in the wizard is kept"
grep -q '^new = new.example:5432$' "$state"; ok $? "what the session lacked is filled from the answers"
grep -q 'answers file: 1 setting filled: endpoint "platform".new; kept the session.s value of 1 that differs: endpoint "platform".old' "$state.journal"
ok $? "the journal names what was filled and what was kept"
done_testing
