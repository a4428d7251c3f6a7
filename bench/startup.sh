#!/bin/bash
# bench/startup.sh - time to the first painted screen of the wizard versus
# `dialog --msgbox`, on the same 80x24 tmux terminal.  Run by hand (never
# part of make check):
#
#   bench/startup.sh BUILD_DIR [RUNS=21]
#
# One private tmux server, one 80x24 pane.  Each run respawns the pane with
# the program (env LANG=C.UTF-8 TERM=tmux-256color ...) and polls
# `tmux capture-pane` (every 2 ms) until every expected string of the
# program's first screen is visible:
#   osmigrate (the runbook chooser, fresh empty XDG_STATE_HOME):
#       "Which procedure do you want to run?" and the footer "q quit"
#   dialog --msgbox 'osmigrate startup benchmark' 10 50:
#       the message and the "OK" button
#   osmigrate --state F, F a state file of 1,000 extensions and 100 servers
#       (bench/state.sh's): the resume screen, "A saved session exists" and
#       its footer "q quit" (open, lock, parse, validate, paint)
#   floor: sh printing the same strings at once (tmux respawn + polling cost)
# The rounds interleave the three programs so machine load hits them alike.
# Prints the median of each, the ratio osmigrate/dialog, and the same ratio
# with the floor subtracted from both; then, for context, the cost of merely
# starting each program (--version, no terminal), which for osmigrate is
# mostly the dynamic loader mapping the ~37 libraries libpq and libcurl
# bring in (psql --version, which links libpq alone, is shown beside).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
build=${1:?usage: bench/startup.sh BUILD_DIR [RUNS]}
runs=${2:-21}
bin=$build/osmigrate
[ -x "$bin" ] || bench_die "no osmigrate in $build (build it first)"
command -v tmux >/dev/null || bench_die "tmux is not installed (apt-get install tmux)"
command -v dialog >/dev/null || bench_die "dialog is not installed (apt-get install dialog)"
bench_tmp
unset TMUX TMUX_PANE
sock=osm-bench-$$
printf '%s\n' 'set -g exit-empty off' 'set -g status off' 'set -g remain-on-exit on' \
	'set -g history-limit 100' >"$BENCH_TMP/tmux.conf"
t() { tmux -L "$sock" -f "$BENCH_TMP/tmux.conf" "$@"; }
trap 't kill-server >/dev/null 2>&1 || :; rm -rf "$BENCH_TMP"' EXIT

# A 2 ms pause without forking: read with a timeout on a FIFO nobody writes.
mkfifo "$BENCH_TMP/idle"
exec 9<>"$BENCH_TMP/idle"
pause() { read -r -t 0.002 -u 9 _ || :; }

idle=(sh -c 'exec sleep 1000000')
t new-session -d -s b -x 80 -y 24 "${idle[@]}"
t resize-window -t b -x 80 -y 24 >/dev/null 2>&1 || :
size=$(t display-message -p -t b '#{pane_width}x#{pane_height}')
[ "$size" = 80x24 ] || bench_die "the tmux pane is $size, not 80x24"

screen_has_all() {
	local s w
	s=$(t capture-pane -p -t b)
	for w in "$@"; do
		[[ $s == *"$w"* ]] || return 1
	done
	return 0
}
screen_blank() { [[ -z $(t capture-pane -p -t b | tr -d ' \n') ]]; }

# one_run "WANT1|WANT2" CMD...: microseconds from respawn to all WANTs shown.
one_run() {
	local want=$1 t0 t1 n=0
	shift
	IFS='|' read -r -a w <<<"$want"
	# Start from a blank pane: the previous program is killed (SIGHUP).
	t respawn-pane -k -t b "${idle[@]}"
	while ! screen_blank; do
		pause
		((++n < 5000)) || bench_die "the pane did not clear"
	done
	n=0
	t0=${EPOCHREALTIME/./}
	t respawn-pane -k -t b env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=tmux-256color \
		XDG_STATE_HOME="$BENCH_TMP/xdg" "$@"
	while ! screen_has_all "${w[@]}"; do
		pause
		if ((++n > 5000)); then
			echo "timed out; the screen was:" >&2
			t capture-pane -p -t b >&2
			exit 1
		fi
	done
	t1=${EPOCHREALTIME/./}
	echo $((t1 - t0))
}

osm_want='Which procedure do you want to run?|q quit'
res_want='A saved session exists|q quit'
gen_state 1000 100 "$BENCH_TMP/big.ini"
dlg_msg='osmigrate startup benchmark'
dlg_want="$dlg_msg|OK"
: >"$BENCH_TMP/osm"
: >"$BENCH_TMP/dlg"
: >"$BENCH_TMP/floor"
: >"$BENCH_TMP/res"
# One warm-up of each (page cache, terminfo), not counted.
one_run "$osm_want" "$bin" >/dev/null
one_run "$dlg_want" dialog --msgbox "$dlg_msg" 10 50 >/dev/null
for ((i = 0; i < runs; i++)); do
	rm -rf "$BENCH_TMP/xdg"
	one_run "$osm_want" "$bin" >>"$BENCH_TMP/osm"
	one_run "$dlg_want" dialog --msgbox "$dlg_msg" 10 50 >>"$BENCH_TMP/dlg"
	one_run "$res_want" "$bin" --state "$BENCH_TMP/big.ini" >>"$BENCH_TMP/res"
	# shellcheck disable=SC2016 # $0 and $1 belong to the inner sh
	one_run "$osm_want" sh -c 'printf "%s\n%s\n" "$0" "$1"; exec sleep 1000000' \
		'Which procedure do you want to run?' 'q quit' >>"$BENCH_TMP/floor"
done
t respawn-pane -k -t b "${idle[@]}"

osm=$(median <"$BENCH_TMP/osm")
dlg=$(median <"$BENCH_TMP/dlg")
floor=$(median <"$BENCH_TMP/floor")
res=$(median <"$BENCH_TMP/res")
printf 'first screen, 80x24 tmux, median of %s: osmigrate %s, dialog --msgbox %s, ratio %s\n' \
	"$runs" "$(ms "$osm")" "$(ms "$dlg")" "$(ratio "$osm" "$dlg")"
printf 'harness floor (sh printing the same text) %s; above the floor: osmigrate %s, dialog %s, ratio %s\n' \
	"$(ms "$floor")" "$(ms $((osm - floor)))" "$(ms $((dlg - floor)))" \
	"$(ratio $((osm - floor)) $((dlg - floor)))"
printf 'resume screen with a 1000-extension, 100-server state file: %s, ratio to dialog %s, to the empty chooser %s\n' \
	"$(ms "$res")" "$(ratio "$res" "$dlg")" "$(ratio "$res" "$osm")"
psql_bin=$(find /usr/lib/postgresql -path '*/bin/psql' 2>/dev/null | sort -V | tail -n 1)
psql_bin=${psql_bin:-$(command -v psql || :)}
osm_v=$(median_us "$runs" "$bin" --version)
dlg_v=$(median_us "$runs" dialog --version)
if [ -n "$psql_bin" ]; then
	psql_v="$(ms "$(median_us "$runs" "$psql_bin" --version)") ($(ldd "$psql_bin" | wc -l) libraries)"
else
	psql_v="n/a"
fi
printf 'process start only (--version): osmigrate %s (%s libraries), dialog %s (%s libraries), psql %s\n' \
	"$(ms "$osm_v")" "$(ldd "$bin" | wc -l)" "$(ms "$dlg_v")" "$(ldd "$(command -v dialog)" | wc -l)" "$psql_v"
