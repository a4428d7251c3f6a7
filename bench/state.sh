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
if "$cc" -std=c11 -O2 -I"$here/../src" -I"$build" -o "$BENCH_TMP/state_bench" "$here/state_bench.c" \
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
