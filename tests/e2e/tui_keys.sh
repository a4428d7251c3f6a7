#!/bin/sh
# tui_keys: the help overlay, Tab between fields, a version field that
# refuses what is not a version, a choice field, d (mark done after a
# confirmation) and u (reopen), and --save-answers writing settings only.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"

state=$TMUX_WORK/cm.ini
saved=$TMUX_WORK/saved-answers.ini
answers=$TMUX_WORK/answers.ini
printf '[target]\nhost = db.example.internal\nport = 5432\n' >"$answers"
tmux_start 100 30 "$OSMIGRATE" --answers "$answers" --save-answers "$saved" \
	--state "$state" connector-migration
tmux_wait "Actions (Space ticks)"; ok $? "wizard opens"
tmux_keys ?
tmux_wait " Help ("; ok $? "? shows the help overlay"
tmux_wait "skip the step"; ok $? "the help starts with the step's own keys"
tmux_keys Down Down Down Down Down Down Down Down Down Down Down Down Down Down Down Down
tmux_wait "Keys everywhere"; ok $? "and scrolls to the keys that work everywhere"
tmux_keys x
tmux_wait_gone " Help ("; ok $? "another key closes it"

# Tab goes through the actions, then the fields (never an item's line).
n=0
while ! tmux_screen | grep -q "> Platform Server version" && [ $n -lt 10 ]; do
	tmux_keys Tab; sleep 0.2; n=$((n + 1))
done
tmux_screen | grep -q "> Platform Server version"; ok $? "Tab moves through the actions to the first field"
tmux_keys Enter
tmux_wait "Enter accept"; tmux_text "eleven"; tmux_keys Enter
tmux_wait "is not a version"; ok $? "a version field refuses text"
tmux_screen | grep -q "> eleven"; ok $? "and keeps it in its box to be corrected"
tmux_keys Enter
tmux_wait "Enter accept"; tmux_keys C-u; tmux_text "11.15.2"; tmux_keys Enter
tmux_wait "Platform Server version: 11.15.2"; ok $? "version saved and shown"
grep -q '^field.platform_version = 11.15.2' "$state"; ok $? "field stored in the state"
tmux_keys Tab
tmux_wait "> Migration approach"; ok $? "Tab moves to the next field"
tmux_keys Enter
tmux_wait "Enter choose"; ok $? "a choice field offers its choices"
tmux_keys Down Enter
tmux_wait_gone "Enter choose"
grep -q '^field.approach = ' "$state"; ok $? "choice stored"

tmux_keys d
tmux_wait "Mark done?"; ok $? "d asks before marking an unfinished step done"
tmux_keys y
tmux_wait "Status: [x]! done"; ok $? "step marked done, forced (actions unticked): [x]!"
tmux_screen | grep -q '\[x\]! Prerequisites'; ok $? "step list shows [x]!"
tmux_keys u
tmux_wait "Status: [ ] pending"; ok $? "u reopens the step"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
[ -f "$saved" ]; ok $? "--save-answers wrote the file"
grep -q '^host = db.example.internal' "$saved"; ok $? "it holds the settings"
grep -q '^\[step' "$saved"; [ $? -ne 0 ]; ok $? "and no progress"
m=$(stat -c %a "$saved"); is "$m" 600 "answers file mode 0600"

# r on a step with checks: results with their fix, stored, [!] in the list.
# Ports 1 and 2 on loopback: nothing listens there.
printf '[endpoint]\nold = 127.0.0.1:1\nnew = 127.0.0.1:2\n' >"$answers"
state=$TMUX_WORK/ec.ini
tmux_start 80 24 "$OSMIGRATE" --answers "$answers" --state "$state" endpoint-change
tmux_wait "Actions (Space ticks)"
tmux_keys r
tmux_wait "Check results" 20; ok $? "r runs the checks and shows the results"
tmux_screen | grep -q 'fix: '; ok $? "a failed check shows its fix"
tmux_screen | grep -q '^>\[!\] Old and new addresses'; ok $? "step list marks the failed checks [!]"
sed -n '/^\[check "endpoint_new:platform"\]/,/^\[/p' "$state" | grep -q '^status = failed'; ok $? "result stored as failed"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
done_testing
