# tmux.sh - drive the real binary in a detached tmux session (tig's UI
# tests with scripted keys and screen dumps, here send-keys/capture-pane).
# Source after tap.sh.  Every test gets its own server socket, every wait
# has a deadline, and the server is killed on exit.
#
#   tmux_start COLS ROWS CMD...   start CMD in a new session $TMUX_S of that size
#                                 (set TMUX_S=other to run a second program)
#   tmux_keys KEY...              send-keys (tmux key names: Enter, Space, C-c)
#   tmux_text TEXT                send literal text
#   tmux_screen                   print the visible pane
#   tmux_paste TEXT               paste TEXT as a terminal without bracketed paste
#   tmux_paste_bracketed TEXT     paste TEXT in brackets (ESC [200~ ... ESC [201~)
#   tmux_wait TEXT [SECONDS]      wait until the pane shows TEXT (fixed string)
#   tmux_wait_gone TEXT [SECONDS] wait until it does not
#   tmux_wait_exit [SECONDS]      wait until CMD exited; its status in $tmux_rc
#   tmux_resize COLS ROWS
#   tmux_pane_pid                 pid of the program in the pane
#   tmux_kill_session             close the session's terminal (a dropped SSH link)
#   tmux_stop                     kill the server (also done on exit)
#   tmux_stty_same                true if the terminal modes after CMD equal those before
#   tmux_stderr                   what CMD wrote on stderr

: "${TMUX_TIMEOUT:=10}"
# Tests may run inside someone's tmux: our server is separate.
unset TMUX TMUX_PANE
_tmux_sock="osm-$$-$(date +%s)"
_tmux_dir=$(mktemp -d "${TMPDIR:-/tmp}/osm-tmux.XXXXXX")
# Scratch space for the test (state files...), removed with the server.
TMUX_WORK=$_tmux_dir/work
mkdir -p "$TMUX_WORK"
# Several programs may run at once, one per session: TMUX_S names the
# session the functions act on.
TMUX_S=osm
tmux_rc=

# exit-empty off: the server survives between one program and the next.
printf '%s\n' 'set -g exit-empty off' 'set -g status off' 'set -g remain-on-exit on' \
	'set -g history-limit 100' >"$_tmux_dir/tmux.conf"
_tmux() { tmux -L "$_tmux_sock" -f "$_tmux_dir/tmux.conf" "$@"; }

tmux_stop() {
	_tmux kill-server >/dev/null 2>&1 || :
}
_tmux_cleanup() {
	tmux_stop
	rm -rf "$_tmux_dir"
}
trap '_tmux_cleanup' EXIT
trap '_tmux_cleanup; exit 1' INT TERM HUP

# The program's exit status is written to a file by the pane's shell; the
# pane stays open (remain-on-exit) so its last screen can be inspected.
# OSMIGRATE_VALGRIND=1: every program runs under valgrind (memory errors and
# definite leaks make it exit 99, which the tests' exit checks catch).
OSM_WRAP=
if [ -n "${OSMIGRATE_VALGRIND:-}" ] && command -v valgrind >/dev/null 2>&1; then
	OSM_WRAP="valgrind -q --trace-children=yes --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
	: "${TMUX_TIMEOUT:=60}"
	TMUX_TIMEOUT=$((TMUX_TIMEOUT < 60 ? 60 : TMUX_TIMEOUT))
fi
export OSM_WRAP

tmux_start() {
	_cols=$1 _rows=$2; shift 2
	_d=$_tmux_dir/s-$TMUX_S
	mkdir -p "$_d"
	rm -f "$_d/rc" "$_d/stty.before" "$_d/stty.after" "$_d/stderr" "$_d/pid"
	cat >"$_tmux_dir/run" <<-'EOS'
	#!/bin/sh
	dir=$1; shift
	# Like an interactive shell: survive the Ctrl-C meant for the program
	# (a handler, not SIG_IGN, so the program starts with the default).
	trap : INT TERM HUP
	stty -g >"$dir/stty.before" 2>/dev/null
	# The child writes its own pid, then becomes the program (no pgrep needed).
	sh -c 'echo $$ >"$0/pid"; exec "$@"' "$dir" $OSM_WRAP "$@" 2>"$dir/stderr"
	rc=$?
	stty -g >"$dir/stty.after" 2>/dev/null
	echo $rc >"$dir/rc.tmp" && mv "$dir/rc.tmp" "$dir/rc"
	EOS
	_tmux kill-session -t "$TMUX_S" >/dev/null 2>&1
	# tmux sets TERM in the pane itself: env overrides it for the program.
	_tmux new-session -d -s "$TMUX_S" -x "$_cols" -y "$_rows" \
		env "LANG=${TMUX_LANG:-C.UTF-8}" "LC_ALL=${TMUX_LANG:-C.UTF-8}" \
		"TERM=${TMUX_TERM:-tmux-256color}" "OSM_WRAP=$OSM_WRAP" \
		sh "$_tmux_dir/run" "$_d" "$@" || return 1
	_tmux set-option -t "$TMUX_S" remain-on-exit on >/dev/null 2>&1
	_tmux set-option -g status off >/dev/null 2>&1
	_tmux resize-window -t "$TMUX_S" -x "$_cols" -y "$_rows" >/dev/null 2>&1 || :
	return 0
}

tmux_stty_same() {
	[ -s "$_tmux_dir/s-$TMUX_S/stty.before" ] &&
		cmp -s "$_tmux_dir/s-$TMUX_S/stty.before" "$_tmux_dir/s-$TMUX_S/stty.after"
}
tmux_stderr() { cat "$_tmux_dir/s-$TMUX_S/stderr" 2>/dev/null; }
tmux_keys() { _tmux send-keys -t "$TMUX_S" "$@"; }
tmux_text() { _tmux send-keys -t "$TMUX_S" -l "$1"; }
tmux_screen() { _tmux capture-pane -p -t "$TMUX_S" 2>/dev/null; }
# With attributes and colours as escape sequences.
tmux_screen_attrs() { _tmux capture-pane -p -e -t "$TMUX_S" 2>/dev/null; }
# Paste text the way a terminal paste arrives (newlines as Enter).
tmux_paste() {
	printf '%s' "$1" | _tmux load-buffer -b osmpaste - &&
		_tmux paste-buffer -d -b osmpaste -t "$TMUX_S"
}
# The same as a terminal with bracketed paste sends it, when the program
# asked for that mode (tmux's paste-buffer -p): ESC [200~ TEXT ESC [201~.
tmux_paste_bracketed() {
	printf '%s' "$1" | _tmux load-buffer -b osmpaste - &&
		_tmux paste-buffer -p -d -b osmpaste -t "$TMUX_S"
}
# Close the session's terminal (like a dropped SSH connection).
tmux_kill_session() { _tmux kill-session -t "$TMUX_S" >/dev/null 2>&1; }
tmux_resize() { _tmux resize-window -t "$TMUX_S" -x "$1" -y "$2"; }
tmux_pane_pid() {
	_n=50
	while [ ! -s "$_tmux_dir/s-$TMUX_S/pid" ] && [ "$_n" -gt 0 ]; do
		sleep 0.1
		_n=$((_n - 1))
	done
	cat "$_tmux_dir/s-$TMUX_S/pid" 2>/dev/null
}

# Seconds to wait: the test's own figure, but never less than TMUX_TIMEOUT
# under valgrind (everything is slower there).
_tmux_deadline() {
	_t=${1:-$TMUX_TIMEOUT}
	if [ -n "$OSM_WRAP" ] && [ "$_t" -lt "$TMUX_TIMEOUT" ]; then _t=$TMUX_TIMEOUT; fi
	echo "$_t"
}

# Deadline loops: 0.1 s steps, never unbounded.
tmux_wait() {
	_n=$(( $(_tmux_deadline "${2:-}") * 10 ))
	while [ "$_n" -gt 0 ]; do
		tmux_screen | grep -qF -- "$1" && return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	diag "timed out waiting for '$1'; the screen was:"
	tmux_screen | sed 's/^/| /' | while IFS= read -r l; do diag "$l"; done
	return 1
}
tmux_wait_gone() {
	_n=$(( $(_tmux_deadline "${2:-}") * 10 ))
	while [ "$_n" -gt 0 ]; do
		tmux_screen | grep -qF -- "$1" || return 0
		sleep 0.1
		_n=$((_n - 1))
	done
	diag "timed out waiting for '$1' to go away"
	return 1
}
tmux_wait_exit() {
	_n=$(( $(_tmux_deadline "${1:-}") * 10 ))
	while [ "$_n" -gt 0 ]; do
		if [ -f "$_tmux_dir/s-$TMUX_S/rc" ]; then
			tmux_rc=$(cat "$_tmux_dir/s-$TMUX_S/rc")
			return 0
		fi
		sleep 0.1
		_n=$((_n - 1))
	done
	tmux_rc=
	diag "timed out waiting for the program to exit"
	return 1
}

# Skip the whole test (TAP) when tmux is missing.
tmux_require() {
	if ! command -v tmux >/dev/null 2>&1; then
		echo "1..0 # SKIP tmux not installed"
		exit 0
	fi
}
