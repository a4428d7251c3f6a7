#!/bin/sh
# tui_start: without a runbook the chooser offers the three runbooks; the
# default state path is used; a corrupt state file is refused with file and
# line, exit 65, untouched; start over keeps a backup.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"

XDG_STATE_HOME=$TMUX_WORK/xdg
export XDG_STATE_HOME
tmux_start 80 24 env XDG_STATE_HOME="$XDG_STATE_HOME" "$OSMIGRATE"
tmux_wait "Which procedure"; ok $? "chooser without a runbook"
for rb in connector-migration endpoint-change restore-database; do
	tmux_screen | grep -q "$rb"; ok $? "chooser lists $rb"
done
tmux_keys Down Enter
tmux_wait "step 1/5"; ok $? "Enter opens the chosen runbook (endpoint-change)"
tmux_keys Space
tmux_wait "ticked:"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
f=$XDG_STATE_HOME/osmigrate/endpoint-change.ini
[ -f "$f" ]; ok $? "state at the default path"
grep -q '^runbook = endpoint-change' "$f"; ok $? "state names the runbook"
m=$(stat -c %a "$XDG_STATE_HOME/osmigrate"); is "$m" 700 "state directory mode 0700"
m=$(stat -c %a "$f"); is "$m" 600 "state file mode 0600"

tmux_start 60 16 env XDG_STATE_HOME="$XDG_STATE_HOME" "$OSMIGRATE"
tmux_wait "Which procedure"
tmux_screen | grep -q 'saved session, next:'; ok $? "chooser shows the saved session (also at 60x16)"
tmux_screen | grep -q 'restore-database'; ok $? "and every runbook at 60x16"
tmux_resize 80 24
tmux_keys 2
tmux_wait "A saved session exists"; ok $? "choosing it offers to resume"
cp "$f" "$TMUX_WORK/before-quit"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q on the offer exits 0"
cmp -s "$f" "$TMUX_WORK/before-quit"; ok $? "quitting the offer leaves the file untouched"
tmux_start 80 24 env XDG_STATE_HOME="$XDG_STATE_HOME" "$OSMIGRATE" endpoint-change
tmux_wait "A saved session exists"; ok $? "the offer again, with the runbook given"
tmux_keys o
tmux_wait "Start over?"; ok $? "start over asks to confirm"
tmux_keys y
tmux_wait "started over"; ok $? "started over"
n=$(ls "$XDG_STATE_HOME/osmigrate/" | grep -c '^endpoint-change\.ini\..*\.bak$'); is "$n" 1 "old state kept as a backup"
grep -q '^tick\.' "$f"; [ $? -ne 0 ]; ok $? "new state has no ticks"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"

# A corrupt file: refused before the screen opens, exit 65, untouched.
bad=$TMUX_WORK/bad.ini
printf '[osmigrate]\nversion = 1\nrunbook = connector-migration\n[step "x"\n' >"$bad"
chmod 600 "$bad"
cp "$bad" "$TMUX_WORK/bad.copy"
tmux_start 80 24 "$OSMIGRATE" --state "$bad" connector-migration
tmux_wait_exit; is "$tmux_rc" 65 "corrupt state: exit 65"
tmux_stderr | grep -q 'bad.ini.*4\|line 4'; ok $? "message names the file and line"
diag "$(tmux_stderr)"
cmp -s "$bad" "$TMUX_WORK/bad.copy"; ok $? "corrupt file untouched"
tmux_stty_same; ok $? "terminal untouched"
done_testing
