#!/bin/sh
# tui_textbox: a text box holds what is typed.  A lone Esc cancels it; an
# Alt-key or an escape sequence inside it is swallowed (never a command,
# the text kept); a bracketed paste inserts its text (newlines joined,
# escape bytes dropped, Enter inside it no submit) and outside a box
# runs nothing; a refused skip reason or item name keeps the box open
# with the text and says why, the name limit shown before typing; a
# note half-typed when the session drops (SIGHUP, tmux kill-session) is
# saved.  At 80x24, and while resizing.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"
esc=$(printf '\033')

state=$TMUX_WORK/cm.ini
tmux_start 80 24 "$OSMIGRATE" --state "$state" connector-migration
tmux_wait "Actions (Space ticks)"; ok $? "wizard opens at 80x24"

# Alt-b and Alt-d inside a note: swallowed, the text stays, no command runs.
tmux_keys End Enter
tmux_wait "Note for this step"; ok $? "the note box opens"
tmux_text "abc"
tmux_keys M-b
tmux_wait "escape sequences are not taken"; ok $? "Alt-b is swallowed, saying so"
tmux_keys M-d
sleep 0.3
tmux_screen | grep -q "Note for this step"; ok $? "the box is still open after Alt-b, Alt-d"
! tmux_screen | grep -q "Mark done?"; ok $? "Alt-d did not open Mark done"
tmux_screen | grep -q "> abc"; ok $? "the typed text is still there"
tmux_text "def"
tmux_keys Enter
tmux_wait "Note: abcdef"; ok $? "the note is saved whole"
tmux_screen | grep -q "step 1/9"; ok $? "Alt-b did not go back or on"

# A paste with a colour sequence in it, from a terminal without bracketed
# paste: the sequence is dropped, the text on both sides kept.
tmux_keys Enter
tmux_wait "Note for this step"
tmux_keys C-u
tmux_paste "abc${esc}[31mdef"
sleep 0.3
tmux_screen | grep -q "Note for this step"; ok $? "a pasted escape sequence leaves the box open"
tmux_keys Enter
tmux_wait "Note: abcdef"; ok $? "the text around a pasted escape sequence is kept"
! tmux_screen | grep -q "Mark done?"; ok $? "its letters ran no command"

# A bracketed paste: lines joined, Enter inside it no submit, escape
# bytes dropped.
tmux_keys Enter
tmux_wait "Note for this step"
tmux_keys C-u
tmux_paste_bracketed "one
d${esc}[1mtwo${esc}x
three"
sleep 0.3
tmux_screen | grep -q "Note for this step"; ok $? "a bracketed paste with newlines leaves the box open"
tmux_keys Enter
tmux_wait "Note: one dtwo three"; ok $? "bracketed paste inserted, newlines joined, escapes dropped"
grep -q '^note = one dtwo three$' "$state"; ok $? "and saved so"

# A lone Esc cancels and keeps the old note.
tmux_keys Enter
tmux_wait "Note for this step"
tmux_text "zzz"
tmux_keys Escape
tmux_wait_gone "Note for this step"; ok $? "a lone Esc closes the box"
tmux_screen | grep -q "Note: one dtwo three"; ok $? "and the note is as it was"

# Outside a text box Esc is Esc at once: a key right after it is a key.
tmux_keys Escape e
tmux_wait "Target database"; ok $? "on the step screen, Esc then e at once opens the settings"
tmux_keys Escape
tmux_wait "Spc tick"

# A bracketed paste outside a text box runs nothing.
tmux_paste_bracketed "nnnd"
tmux_wait "pasted text is taken only in a text box"; ok $? "a paste on the step screen is refused, saying so"
tmux_screen | grep -q "step 1/9"; ok $? "its n did not move on"
! tmux_screen | grep -q "Mark done?"; ok $? "its d did not ask to mark done"

# Resizing while typing: the text survives the too-small screen and back.
tmux_keys Enter
tmux_wait "Note for this step"
tmux_keys C-u
tmux_text "kept"
tmux_resize 50 12
tmux_wait "too small"; ok $? "resized too small while typing"
tmux_text " across"
tmux_resize 80 24
tmux_wait "> kept across"; ok $? "the text typed before and during the resize is there"
tmux_keys Enter
tmux_wait "Note: kept across"; ok $? "and saved"

# An empty skip reason: the box stays, says why; the reason then typed skips.
tmux_keys Home s
tmux_wait "why?"
tmux_keys Enter
tmux_wait "Not accepted: a reason is needed"; ok $? "an empty reason is refused in the box"
tmux_text "nwater"
tmux_keys Enter
tmux_wait "step 2/9"; ok $? "the reason then typed skips the step"
grep -q '^reason = nwater$' "$state"; ok $? "the reason typed after the refusal is recorded whole"

# An item name: its limit shown before typing; too long, or taken, refused
# in the box with the text kept.
tmux_keys e
tmux_wait "Target database"
tmux_keys a
tmux_wait "Add to which list?"
tmux_keys Enter
tmux_wait "at most 128 bytes"; ok $? "the name limit is shown before typing"
tmux_text "Orders"
tmux_keys Enter
tmux_wait "logical database"; tmux_keys Escape
tmux_wait_gone "logical database"
tmux_keys a
tmux_wait "New extension: name"
tmux_text "Orders"
tmux_keys Enter
tmux_wait "Not accepted: extension 'Orders' exists already"; ok $? "a name taken is refused in the box"
tmux_screen | grep -q "> Orders"; ok $? "the typed name is kept"
tmux_text "2"
tmux_keys Enter
tmux_wait "logical database"; ok $? "corrected, it is added"
tmux_keys Escape
tmux_wait_gone "logical database"
grep -q '^\[extension "Orders2"\]' "$state"; ok $? "Orders2 saved"
tmux_keys R
tmux_wait "Rename extension"
tmux_keys C-u
tmux_text "Orders"
tmux_keys Enter
tmux_wait "Not accepted: extension 'Orders' exists already"; ok $? "rename to a taken name refused in the box"
tmux_keys Escape
tmux_wait_gone "Rename extension"
tmux_keys Escape
tmux_wait "Spc tick"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"

# A note half-typed when the session gets SIGHUP is saved.
tmux_start 80 24 "$OSMIGRATE" --state "$state" connector-migration
tmux_wait "A saved session exists"
tmux_keys r
tmux_wait "Actions (Space ticks)"
tmux_keys End Enter
tmux_wait "Note for this step"
tmux_keys C-u
tmux_text "half typed at the hangup"
tmux_wait "> half typed at the hangup"
kill -HUP "$(tmux_pane_pid)"
tmux_wait_exit; [ "$tmux_rc" != 0 ]; ok $? "SIGHUP ends the wizard (not with 0)"
grep -q '^note = half typed at the hangup$' "$state"; ok $? "the half-typed note is saved on SIGHUP"
grep -q 'note.*half typed at the hangup' "$state.journal"; ok $? "and journalled"

# The same when the terminal goes away (tmux kill-session: a dropped link).
tmux_start 80 24 "$OSMIGRATE" --state "$state" connector-migration
tmux_wait "A saved session exists"
tmux_keys r
tmux_wait "Actions (Space ticks)"
tmux_keys End Enter
tmux_wait "Note for this step"
tmux_keys C-u
tmux_text "typed when the link dropped"
tmux_wait "> typed when the link dropped"
pid=$(tmux_pane_pid)
tmux_kill_session
n=50
while kill -0 "$pid" 2>/dev/null && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
! kill -0 "$pid" 2>/dev/null; ok $? "the wizard ends with its terminal"
grep -q '^note = typed when the link dropped$' "$state"; ok $? "the half-typed note is saved when the session is killed"
done_testing
