#!/bin/sh
# proof_fullfs_tui: the wizard on a file system that fills up.  A tick that
# cannot be saved says NOT SAVED with what to free, the previous state file
# stays intact byte for byte, the wizard keeps running, and once space is
# freed the next change is saved.  Needs a tmpfs mount (root); skips honestly
# where mounting is not allowed.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"

mnt=$TMUX_WORK/small
mkdir -p "$mnt"
if ! mount -t tmpfs -o size=128k,mode=0700 tmpfs "$mnt" 2>/dev/null; then
	skip "cannot mount a tmpfs here (not root, or no privilege)"
	done_testing
fi
trap 'tmux_stop; umount "$mnt" 2>/dev/null' EXIT
state=$mnt/cm.ini

tmux_start 80 24 "$OSMIGRATE" --state "$state" connector-migration
tmux_wait "Actions (Space ticks)"; ok $? "wizard opens with its state on a small tmpfs"
tmux_keys Space
tmux_wait "ticked by"; ok $? "first tick shown"
grep -q '^tick.platform_version = ' "$state"; ok $? "first tick saved"
cp "$state" "$TMUX_WORK/before.ini"

# Fill the file system to the last byte.
dd if=/dev/zero of="$mnt/fill" bs=4k 2>/dev/null
dd if=/dev/zero of="$mnt/fill2" bs=1 2>/dev/null
tmux_keys j Space
tmux_wait "NOT SAVED"; ok $? "a tick that cannot be saved says NOT SAVED"
tmux_screen >"$TMUX_WORK/full.screen"
grep -q "NOT SAVED" "$TMUX_WORK/full.screen" && grep -q -i "free some disk space" "$TMUX_WORK/full.screen"
ok $? "and says what to do"
grep -q -i "free some disk space" "$TMUX_WORK/full.screen" || diag "$(cat "$TMUX_WORK/full.screen")"
cmp -s "$state" "$TMUX_WORK/before.ini"; ok $? "the state file on disk is the previous one, byte for byte"
ls "$mnt" | grep -q '^\.cm\.ini\.' ; [ $? -ne 0 ]; ok $? "no temp file left behind"
tmux_keys n
tmux_wait "step 2/9"; ok $? "the wizard keeps running (n still moves)"

rm -f "$mnt/fill" "$mnt/fill2"
tmux_keys b
tmux_wait "step 1/9"
tmux_keys Space
tmux_wait_gone "NOT SAVED" 5
grep -q '^current = prerequisites' "$state"; ok $? "after freeing space the next change is saved"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
tmux_stty_same; ok $? "terminal restored"
done_testing
