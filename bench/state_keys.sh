#!/bin/bash
# bench/state_keys.sh - key presses in the wizard on a large state file.
# Run by hand (bench/state.sh calls it for its 20 MB case; never part of
# make check):
#
#   bench/state_keys.sh BUILD_DIR STATE_FILE [KEYS=21]
#
# STATE_FILE (a connector-migration state whose current step is rebind, as
# gen_state_big writes it) is modified.  One private tmux server, one 80x24
# pane running `osmigrate --state STATE_FILE`.  Timed, each from send-keys
# until the pane shows a different screen (polled with capture-pane every
# 2 ms; what is timed is the key's whole cost: reading it, the work it
# causes, a save if any, and the redraw):
#   resume:  r on the resume screen (open the steps; saves the current step
#            only if that changes anything)
#   move:    KEYS presses of Down/Up alternately on the rebind step
#            (navigation: changes nothing in the state)
#   tick:    KEYS/2 presses of Space on the step's action, ticking and
#            unticking it (a change: saved, then drawn), at least 3
#   checks:  b (back to the connection step, saved), then r: its checks run
#            in the background on a copy of the document (the file's
#            [target] is 127.0.0.1:5432: refused, or whatever answers there
#            on loopback), until their result is shown and saved
#   quit:    q after that (nothing changed since the last save), until the
#            program exited
# It prints the medians, whether the file was written (its inode: every
# save renames a new file over it) by the move keys and by q, and the
# wizard's peak RSS (VmHWM) after the ticks and after the check run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
build=${1:?usage: bench/state_keys.sh BUILD_DIR STATE_FILE [KEYS]}
state=${2:?usage: bench/state_keys.sh BUILD_DIR STATE_FILE [KEYS]}
keys=${3:-21}
bin=$build/osmigrate
[ -x "$bin" ] || bench_die "no osmigrate in $build (build it first)"
command -v tmux >/dev/null || bench_die "tmux is not installed (apt-get install tmux)"
bench_tmp
unset TMUX TMUX_PANE
sock=osm-bench-keys-$$
printf '%s\n' 'set -g exit-empty off' 'set -g status off' 'set -g remain-on-exit on' \
	'set -g history-limit 100' >"$BENCH_TMP/tmux.conf"
t() { tmux -L "$sock" -f "$BENCH_TMP/tmux.conf" "$@"; }
trap 't kill-server >/dev/null 2>&1 || :; rm -rf "$BENCH_TMP"' EXIT

mkfifo "$BENCH_TMP/idle"
exec 9<>"$BENCH_TMP/idle"
pause() { read -r -t 0.002 -u 9 _ || :; }
screen() { t capture-pane -p -t b; }
inode() { stat -c %i "$1"; }
# wait_for TEXT: poll until the pane shows TEXT (at most 2 minutes).
wait_for() {
	local n=0
	until [[ $(screen) == *"$1"* ]]; do
		pause
		((++n < 40000)) || { screen >&2; bench_die "timed out waiting for '$1'"; }
	done
}
# key_us KEY...: microseconds from send-keys until the screen differs.
key_us() {
	local before t0 t1 n=0
	before=$(screen)
	t0=${EPOCHREALTIME/./}
	t send-keys -t b "$@"
	while [[ $(screen) == "$before" ]]; do
		pause
		((++n < 40000)) || bench_die "the screen did not change after '$*'"
	done
	t1=${EPOCHREALTIME/./}
	echo $((t1 - t0))
}

t new-session -d -s b -x 80 -y 24 env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=tmux-256color \
	XDG_STATE_HOME="$BENCH_TMP/xdg" "$bin" --state "$state"
t resize-window -t b -x 80 -y 24 >/dev/null 2>&1 || :
wait_for "A saved session exists"
ino0=$(inode "$state")
resume=$(key_us r)
wait_for "Spc tick"
wait_for "Rebind extensions"
ino_resume=$(inode "$state")
for ((i = 0; i < keys; i++)); do
	if ((i % 2)); then key_us Up; else key_us Down; fi
done >"$BENCH_TMP/move"
ino_move=$(inode "$state")
move_file=written
[ "$ino_move" != "$ino_resume" ] || move_file="not written"
# Back on the step's action (the first target), then tick / untick it.
t send-keys -t b Home
sleep 0.5
ticks=$((keys / 2 < 3 ? 3 : keys / 2))
for ((i = 0; i < ticks; i++)); do
	key_us Space
	# The key is done when the screen shows it; the file must have changed.
	n=0
	while [[ $(inode "$state") == "$ino_move" ]]; do
		pause
		((++n < 40000)) || bench_die "the tick was not saved"
	done
	ino_move=$(inode "$state")
done >"$BENCH_TMP/tick"
pid=$(t display-message -p -t b '#{pane_pid}')
hwm() { awk '$1 == "VmHWM:" { print $2 }' "/proc/$pid/status" 2>/dev/null || :; }
hwm_tick=$(hwm)
t send-keys -t b b
wait_for "step 2/8"
t0=${EPOCHREALTIME/./}
t send-keys -t b r
wait_for " FAILED, "
t1=${EPOCHREALTIME/./}
checks=$((t1 - t0))
hwm_checks=$(hwm)
sleep 0.5
ino_tick=$(inode "$state")
t0=${EPOCHREALTIME/./}
t send-keys -t b q
n=0
until [[ $(t display-message -p -t b '#{pane_dead}') == 1 ]]; do
	pause
	((++n < 40000)) || bench_die "q did not end the program"
done
t1=${EPOCHREALTIME/./}
ino_quit=$(inode "$state")

written() { if [ "$1" = "$2" ]; then echo "not written"; else echo "written"; fi; }
printf 'wizard keys on %s bytes, 80x24 tmux, %s move keys, %s ticks:\n' "$(wc -c <"$state")" "$keys" "$ticks"
printf '  resume (r): %s, file %s\n' "$(ms "$resume")" "$(written "$ino0" "$ino_resume")"
printf '  move (Down/Up): median %s, max %s; file %s\n' "$(ms "$(median <"$BENCH_TMP/move")")" \
	"$(ms "$(sort -n "$BENCH_TMP/move" | tail -n 1)")" "$move_file"
printf '  tick (Space, saved): median %s, max %s\n' "$(ms "$(median <"$BENCH_TMP/tick")")" \
	"$(ms "$(sort -n "$BENCH_TMP/tick" | tail -n 1)")"
x_file() { awk -v k="${1:-0}" -v b="$(wc -c <"$state")" 'BEGIN { if (k > 0) printf "%.2f", k * 1024 / b; else print "n/a" }'; }
printf '  checks of the connection step (r, worker on a copy, result saved): %s\n' "$(ms "$checks")"
printf '  quit (q, nothing changed since the checks were saved): %s, file %s\n' "$(ms $((t1 - t0)))" \
	"$(written "$ino_tick" "$ino_quit")"
printf '  peak RSS of the wizard: %s KiB, %s x the file after the ticks; %s KiB, %s x after the check run\n' \
	"${hwm_tick:-n/a}" "$(x_file "$hwm_tick")" "${hwm_checks:-n/a}" "$(x_file "$hwm_checks")"
