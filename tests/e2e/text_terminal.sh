#!/bin/sh
# text_terminal: a terminal the wizard cannot drive (TERM=dumb, a type
# terminfo does not know, no TERM) is refused with exit 64 and a message
# naming the headless commands, before any state file is made; never exit
# 70.  The headless commands print no colour under TERM=dumb.  Names with
# bidi and C1 controls reach the wizard's screen as '?'.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"

refused() { # $1 label, $2 text the cause names; the program has run in the pane
	tmux_wait_exit 10
	is "$tmux_rc" 64 "$1: exit 64 (usage), not 70"
	tmux_stderr | grep -qF -- "$2"; ok $? "$1: the message says why ($2)"
	tmux_stderr | grep -q "osmigrate check, status"; ok $? "$1: the message names the headless commands"
	tmux_stderr | grep -q "xterm-256color"; ok $? "$1: the message says how to set TERM"
	[ ! -e "$TMUX_WORK/t.ini" ] && [ ! -e "$TMUX_WORK/t.ini.lock" ]
	ok $? "$1: no state or lock file was created"
}

TMUX_TERM=dumb tmux_start 80 24 "$OSMIGRATE" --state "$TMUX_WORK/t.ini" connector-migration
refused "TERM=dumb" "TERM=dumb cannot move the cursor"
TMUX_TERM=no-such-terminal-type tmux_start 80 24 "$OSMIGRATE" --state "$TMUX_WORK/t.ini" connector-migration
refused "unknown TERM" "TERM=no-such-terminal-type is not in the terminfo database"
tmux_start 80 24 env -u TERM "$OSMIGRATE" --state "$TMUX_WORK/t.ini" connector-migration
refused "no TERM" "TERM is not set"
TMUX_TERM=dumb tmux_start 80 24 "$OSMIGRATE"
tmux_wait_exit 10; is "$tmux_rc" 64 "TERM=dumb, the runbook chooser: exit 64 too"

# Without a terminal at all the wizard refuses first, whatever TERM says.
for t in dumb unset; do
	if [ "$t" = unset ]; then
		env -u TERM "$OSMIGRATE" </dev/null >"$TMUX_WORK/out" 2>"$TMUX_WORK/err"
	else
		TERM=$t "$OSMIGRATE" </dev/null >"$TMUX_WORK/out" 2>"$TMUX_WORK/err"
	fi
	is "$?" 64 "no terminal, TERM $t: exit 64"
	grep -q "needs a terminal" "$TMUX_WORK/err"; ok $? "no terminal, TERM $t: says it needs a terminal"
	grep -q "osmigrate check, types" "$TMUX_WORK/err"; ok $? "no terminal, TERM $t: names the headless commands"
done

# ---- colour of the headless commands ----
st=$TMUX_WORK/c.ini
cat >"$st" <<'INI'
[osmigrate]
version = 1
runbook = connector-migration

[step "prerequisites"]
status = done
by = alice@admin1
at = 2026-11-22T01:10:00Z

[check "target_connect"]
status = failed
at = 2026-11-22T01:05:00Z
label = connection to target
summary = refused
INI
chmod 600 "$st"
has_color() { grep -q "$(printf '\033')\\[[0-9;]*\\(3[0-7]\\|9[0-7]\\|38;\\)"; }
TMUX_TERM=xterm-256color tmux_start 100 30 "$OSMIGRATE" status --state "$st"
tmux_wait_exit 10; is "$tmux_rc" 0 "status on a colour terminal: exit 0"
tmux_screen_attrs | has_color; ok $? "status on a colour terminal: coloured (the probe sees colour)"
TMUX_TERM=dumb tmux_start 100 30 "$OSMIGRATE" status --state "$st"
tmux_wait_exit 10; is "$tmux_rc" 0 "status under TERM=dumb: exit 0"
tmux_screen | grep -q "target_connect .*(was FAILED)"; ok $? "status under TERM=dumb: the result is shown"
tmux_screen_attrs | has_color; [ $? -ne 0 ]; ok $? "status under TERM=dumb: no colour"
tmux_start 100 30 env -u TERM "$OSMIGRATE" status --state "$st"
tmux_wait_exit 10
tmux_screen_attrs | has_color; [ $? -ne 0 ]; ok $? "status without TERM: no colour"

# ---- bidi and C1 controls in names on the wizard's screen ----
rlo=$(printf '\342\200\256') c1=$(printf '\302\205') lri=$(printf '\342\201\246')
w=$TMUX_WORK/w.ini
cat >"$w" <<INI
[osmigrate]
version = 1
runbook = connector-migration
current = rebind

[extension "Evil${rlo}exe.txt"]

[extension "Bell${c1}Ring${lri}End"]
INI
chmod 600 "$w"
tmux_start 100 30 "$OSMIGRATE" --state "$w" connector-migration
tmux_wait "A saved session exists"; tmux_keys r
tmux_wait "extensions done"; ok $? "wizard opens on the rebind step"
tmux_screen | grep -q "Evil?exe.txt"; ok $? "wizard: the RLO in a name is shown as '?'"
tmux_screen | grep -q "Bell?Ring?End"; ok $? "wizard: C1 and LRI in a name are shown as '?'"
tmux_screen | grep -q "$rlo\\|$c1\\|$lri"; [ $? -ne 0 ]; ok $? "wizard: no bidi or C1 control on the screen"
tmux_keys q; tmux_wait_exit; is "$tmux_rc" 0 "wizard: q exits 0"
done_testing
