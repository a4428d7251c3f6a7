#!/bin/sh
# tui_nowrite: a key that changes nothing writes nothing.  Resuming at the
# saved step, moving the cursor, paging, the help, the settings screen and
# back, and quitting right after a save leave the state file as it was:
# same inode (every save renames a new file over it), same modification
# time to the nanosecond, same bytes.  A change is still saved at once.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"

state=$TMUX_WORK/cm.ini
snap=$TMUX_WORK/snap
# The file's identity: inode, mtime (ns), size and bytes.
fingerprint() { stat -c '%i %y %s' "$state" && cksum <"$state"; }
same() { fingerprint | cmp -s - "$snap"; }

# A session with one tick, so the step screen has something to show.
tmux_start 80 24 "$OSMIGRATE" --state "$state" connector-migration
tmux_wait "Actions (Space ticks)"; ok $? "wizard opens"
tmux_keys Space
tmux_wait "ticked by"; ok $? "a tick"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
fingerprint >"$snap"

tmux_start 80 24 "$OSMIGRATE" --state "$state"
tmux_wait "A saved session exists"; ok $? "restart offers to resume"
tmux_keys r
tmux_wait "step 1/9"; ok $? "resume lands on the saved step"
tmux_wait "ticked by"
same; ok $? "resuming at the saved step writes nothing"

# Moves, pages, first/last, field jumps, back at the first step: then the
# help shows, so every key before it was handled.
tmux_keys Down Down Up j k End Home Tab BTab NPage PPage b
tmux_wait "this is the first step"; ok $? "b on the first step only says so"
tmux_keys '?'
tmux_wait " Help ("; ok $? "help opens"
tmux_keys Escape
tmux_wait_gone " Help ("; ok $? "help closes"
same; ok $? "moving, paging and the help write nothing"

tmux_keys e
tmux_wait "Target database"; ok $? "e opens the settings"
tmux_keys Down Down Up
tmux_keys Escape
tmux_wait "Spc tick"; ok $? "Esc returns to the step"
same; ok $? "opening and leaving the settings writes nothing"

tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
same; ok $? "quitting without a change writes nothing"

# A change is saved at once; quitting right after it writes nothing more.
tmux_start 80 24 "$OSMIGRATE" --state "$state"
tmux_wait "A saved session exists"
tmux_keys r
tmux_wait "ticked by"
tmux_keys Space
tmux_wait "unticked:"; ok $? "Space unticks"
! same; ok $? "the change is written"
! grep -q '^tick\.platform_version' "$state"; ok $? "the file holds the untick"
fingerprint >"$snap"
tmux_keys Down Up q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
same; ok $? "quitting right after the save writes nothing more"
done_testing
