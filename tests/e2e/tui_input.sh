#!/bin/sh
# tui_input: notes and reasons with awkward characters round-trip through
# the state file; a pasted multi-line text stays in the field and its
# letters are not taken as commands; skip records the reason; control
# characters are refused; a password pasted into a note is stored masked.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"

state=$TMUX_WORK/cm.ini
tmux_start 100 30 "$OSMIGRATE" --state "$state" connector-migration
tmux_wait "Actions (Space ticks)"; ok $? "wizard opens"
# Tab goes to the fields and the note; End is the step note.
tmux_keys End Enter
tmux_wait "Note for this step"; ok $? "Enter on the note opens the editor"
note='a;b #c = [d] "q" \x  é ünï 日本'
tmux_text "$note"
tmux_keys Enter
tmux_wait 'Note: a;b #c = [d] "q" \x  é ünï 日本'; ok $? "note shown as typed"

# Paste several lines into the note: they join, and "q" / "n" do nothing.
tmux_keys Enter
tmux_wait "Note for this step"
tmux_keys C-u
tmux_paste 'first line
q
n'
sleep 0.5
tmux_screen | grep -q "Note for this step"; ok $? "paste did not end the editor"
tmux_keys Enter
tmux_wait "Note: first line q n"; ok $? "pasted lines joined with spaces"
grep -q '^note = first line q n$' "$state"; ok $? "pasted note saved"
tmux_screen | grep -q 'step 1/9'; ok $? "still on the same step (no n taken)"

# Control characters are refused with a message.
tmux_keys Enter
tmux_wait "Note for this step"
tmux_keys C-g
tmux_wait "control characters are not accepted"; ok $? "control character refused"
tmux_keys Escape
tmux_wait_gone "Note for this step"; ok $? "Esc leaves the editor"

# Skip asks a reason, records it, and moves on.
tmux_keys s
tmux_wait "why?"; ok $? "skip asks a reason"
tmux_text "no access; ask DBA = tomorrow"
tmux_keys Enter
tmux_wait "step 2/9"; ok $? "skip moves to the next step"
tmux_screen | grep -q '^ \[-\] Prerequisites'; ok $? "skipped step marked [-]"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"

tmux_start 100 30 "$OSMIGRATE" --state "$state" connector-migration
tmux_wait "A saved session exists"
tmux_keys r
tmux_wait "step 2/9"
tmux_keys b
tmux_wait "step 1/9"
tmux_screen | grep -qF 'Reason recorded: no access; ask DBA = tomorrow'; ok $? "reason read back"
tmux_keys End
tmux_wait 'Note: first line q n'; ok $? "note read back"

# A connection string pasted into a note keeps no password: the editor
# stores it masked, and the screen and the journal show it masked.
tmux_keys Enter
tmux_wait "Note for this step"
tmux_keys C-u
tmux_text 'tried postgresql://osm:SECRET-tui@db/shop'
tmux_keys Enter
tmux_wait 'Note: tried postgresql://osm:***@db/shop'; ok $? "a URI password in a note is shown masked"
grep -qF 'tried postgresql://osm:***@db/shop' "$state"; ok $? "the note is saved masked"
! grep -q 'SECRET-tui' "$state" "$state.journal"; ok $? "the password is in neither state file nor journal"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
done_testing
