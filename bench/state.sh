#!/bin/bash
# bench/state.sh - state file load and save with 1,000 extensions and 100
# servers.  Run by hand (never part of make check):
#
#   bench/state.sh BUILD_DIR [RUNS=21]
#
# Generates a connector-migration state file (1,000 [extension] sections
# with three tables each, 100 [server] sections, 500 [item "rebind:..."]
# progress sections: about 7,400 lines, 170 kB) and a small one (10
# extensions, 1 server), then times, median of RUNS runs each:
#   load:  osmigrate status --state F         (read, parse, validate, print)
#   save:  osmigrate mark rebind done|pending --item X --state F
#          (load + lock + change + save: temp file, fsync, rename, fsync dir,
#           plus the journal line)
# and prints the ratio large/small, the peak RSS of both commands, and the
# process floor (osmigrate --version).  Then it builds bench/state_bench.c
# against BUILD_DIR/libosmigrate.a and times state_open_readonly and
# state_save in-process on the 1,000-extension file and on one 4 times as
# large: a CPU-time ratio near 4 means both grow linearly with the file.
#
# Then the issue-10 case (skipped with STATE_BIG=no): 5,000 extensions whose
# table lists are long (160 tables each, over "tables+" continuation lines),
# 100 servers, 2,500 item sections: about 20 MB and 145,000 lines
# (gen_state_big in lib.sh).  Median of BIG_RUNS runs (default 5) each:
#   cp:        cp F COPY (the same bytes written, no fsync), and cp + sync COPY
#   load:      osmigrate status --state F
#   mark:      osmigrate mark ... as above, end to end
#   in-process state_open_readonly and state_save (state_bench.c)
#   peak RSS of status and mark, against the file size
#   the wizard's keys on that file (bench/state_keys.sh, needs tmux):
#   moving, ticking (a save), quitting, and whether a key that changes
#   nothing wrote the file.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
build=${1:?usage: bench/state.sh BUILD_DIR [RUNS]}
runs=${2:-21}
bin=$build/osmigrate
[ -x "$bin" ] || bench_die "no osmigrate in $build (build it first)"
bench_tmp
trap 'rm -rf "$BENCH_TMP"' EXIT
export XDG_STATE_HOME=$BENCH_TMP/xdg

big=$BENCH_TMP/big.ini
small=$BENCH_TMP/small.ini
huge=$BENCH_TMP/huge.ini
gen_state 1000 100 "$big"
gen_state 10 1 "$small"
gen_state 4000 400 "$huge"
"$bin" status --state "$big" >/dev/null || bench_die "osmigrate status refused the generated file"

# Each save changes the file: the item flips between done and pending.
mark_runs() {
	local f=$1 i st
	for ((i = 0; i < runs; i++)); do
		if ((i % 2)); then st=pending; else st="done"; fi
		time_us "$bin" mark rebind "$st" --item Ext00002 --state "$f"
	done | median
}

floor=$(median_us "$runs" "$bin" --version)
load_big=$(median_us "$runs" "$bin" status --state "$big")
load_small=$(median_us "$runs" "$bin" status --state "$small")
save_big=$(mark_runs "$big")
save_small=$(mark_runs "$small")
rss_load_big=$(peak_rss_kib "$bin" status --state "$big")
rss_load_small=$(peak_rss_kib "$bin" status --state "$small")
rss_save_big=$(peak_rss_kib "$bin" mark rebind "done" --item Ext00004 --state "$big")
rss_save_small=$(peak_rss_kib "$bin" mark rebind "done" --item Ext00004 --state "$small")

printf 'state file: %s lines, %s bytes (1000 extensions, 100 servers, 500 item sections); small: %s lines\n' \
	"$(wc -l <"$big")" "$(wc -c <"$big")" "$(wc -l <"$small")"
printf 'process floor: osmigrate --version %s (median of %s)\n' "$(ms "$floor")" "$runs"
printf 'load (osmigrate status): 1000 ext %s, 10 ext %s, ratio %s; peak RSS %s KiB vs %s KiB\n' \
	"$(ms "$load_big")" "$(ms "$load_small")" "$(ratio "$load_big" "$load_small")" \
	"$rss_load_big" "$rss_load_small"
printf 'save (osmigrate mark, load+lock+save+fsync): 1000 ext %s, 10 ext %s, ratio %s; peak RSS %s KiB vs %s KiB\n' \
	"$(ms "$save_big")" "$(ms "$save_small")" "$(ratio "$save_big" "$save_small")" \
	"$rss_save_big" "$rss_save_small"

# In-process: the same compile flags the build uses for the core.
cc=${CC:-cc}
# shellcheck disable=SC2046 # pkg-config output is meant to be split
if "$cc" -std=c11 -O2 -I"$here/../src/base" -I"$here/../src/core" -I"$here/../src/probe" \
	-I"$here/../src/checks" -I"$build" -o "$BENCH_TMP/state_bench" "$here/state_bench.c" \
	"$build/libosmigrate.a" $(pkg-config --libs libpq libcurl inih) -pthread 2>"$BENCH_TMP/cc.log"; then
	n=$((runs < 20 ? 20 : runs))
	indent() { while IFS= read -r l; do echo "  $l"; done; }
	out_big=$("$BENCH_TMP/state_bench" "$big" "$n" rebind Ext00002)
	out_huge=$("$BENCH_TMP/state_bench" "$huge" "$n" rebind Ext00002)
	echo "in-process, 1000 extensions ($(wc -c <"$big") bytes):"
	indent <<<"$out_big"
	echo "in-process, 4000 extensions ($(wc -c <"$huge") bytes):"
	indent <<<"$out_huge"
	cpu() { echo "$1" | awk -v w="$2" '$1 == w ":" { for (i = 1; i <= NF; i++) if ($i == "cpu") print $(i + 2) }'; }
	printf 'growth 4000/1000 extensions (4x the file), cpu: load %s, save %s (4.00 = linear)\n' \
		"$(ratio "$(cpu "$out_huge" load)" "$(cpu "$out_big" load)")" \
		"$(ratio "$(cpu "$out_huge" save)" "$(cpu "$out_big" save)")"
else
	echo "state_bench.c did not build (in-process figures skipped):"
	sed 's/^/  /' "$BENCH_TMP/cc.log"
fi

[ "${STATE_BIG:-yes}" = no ] && exit 0

# ---- the issue-10 case: 5,000 extensions with long table lists (20 MB) ----
bigruns=${BIG_RUNS:-5}
s20=$BENCH_TMP/s20.ini
gen_state_big 5000 160 100 "$s20"
s20_bytes=$(wc -c <"$s20")
"$bin" status --state "$s20" >/dev/null || bench_die "osmigrate status refused the 20 MB file"
cp_sync() { cp "$1" "$2" && sync "$2"; }
for ((i = 0; i < bigruns; i++)); do
	rm -f "$BENCH_TMP/copy.ini"
	time_us cp "$s20" "$BENCH_TMP/copy.ini" >>"$BENCH_TMP/cp"
	rm -f "$BENCH_TMP/copy.ini"
	time_us cp_sync "$s20" "$BENCH_TMP/copy.ini" >>"$BENCH_TMP/cpsync"
	time_us "$bin" status --state "$s20" >>"$BENCH_TMP/load20"
	if ((i % 2)); then st=pending; else st="done"; fi
	time_us "$bin" mark rebind "$st" --item Ext00002 --state "$s20" >>"$BENCH_TMP/mark20"
done
rm -f "$BENCH_TMP/copy.ini"
cp20=$(median <"$BENCH_TMP/cp")
cpsync20=$(median <"$BENCH_TMP/cpsync")
load20=$(median <"$BENCH_TMP/load20")
mark20=$(median <"$BENCH_TMP/mark20")
rss_load20=$(peak_rss_kib "$bin" status --state "$s20")
rss_mark20=$(peak_rss_kib "$bin" mark rebind "done" --item Ext00004 --state "$s20")
rss_ratio() { awk -v k="$1" -v b="$s20_bytes" 'BEGIN { if (k + 0 > 0) printf "%.2f", k * 1024 / b; else print "n/a" }'; }

echo
printf 'issue-10 state file: %s lines, %s bytes (5000 extensions x 160 tables, 100 servers, 2500 item sections)\n' \
	"$(wc -l <"$s20")" "$s20_bytes"
printf 'baseline, median of %s: cp %s, cp + sync of the copy %s\n' "$bigruns" "$(ms "$cp20")" "$(ms "$cpsync20")"
printf 'load (osmigrate status): %s, ratio to cp %s; peak RSS %s KiB, %s x the file\n' \
	"$(ms "$load20")" "$(ratio "$load20" "$cp20")" "$rss_load20" "$(rss_ratio "$rss_load20")"
printf 'mark end to end (load+lock+change+save+fsync+journal): %s, ratio to cp %s, to cp + sync %s; peak RSS %s KiB, %s x the file\n' \
	"$(ms "$mark20")" "$(ratio "$mark20" "$cp20")" "$(ratio "$mark20" "$cpsync20")" \
	"$rss_mark20" "$(rss_ratio "$rss_mark20")"
if [ -x "$BENCH_TMP/state_bench" ]; then
	out20=$("$BENCH_TMP/state_bench" "$s20" "$bigruns" rebind Ext00002)
	echo "in-process, 20 MB file:"
	indent <<<"$out20"
	wall() { echo "$1" | awk -v w="$2" '$1 == w ":" { for (i = 1; i <= NF; i++) if ($i == "wall") print $(i + 2) * 1000 }'; }
	printf 'save of a change, in-process wall: ratio to cp %s, to cp + sync %s (target <= 3 x cp)\n' \
		"$(ratio "$(wall "$out20" save)" "$cp20")" "$(ratio "$(wall "$out20" save)" "$cpsync20")"
fi
if command -v tmux >/dev/null 2>&1; then
	"$here/state_keys.sh" "$build" "$s20" "$runs"
else
	echo "wizard keys: skipped (tmux is not installed)"
fi
