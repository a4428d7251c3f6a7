#!/bin/sh
# run.sh [DURATION_SECONDS] - build the libFuzzer harness of the state/answers
# parser and validators with clang (ASan + UBSan) and run it for DURATION
# seconds (default 60) on a copy of the seed corpus.  The parser sources are
# compiled here with coverage instrumentation; the rest (runbook tables) is
# linked from libosmigrate.a of a configured build: $top_builddir (set by
# make check), $BUILDDIR, or the source tree itself.  Exits 0 when nothing was
# found, 1 on a finding (the crashing input is kept in the work directory),
# 77 (skip) when clang or libFuzzer is not installed.
set -u
duration=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=${FUZZ_WORKDIR:-${TMPDIR:-/tmp}/osmigrate-fuzz.$$}
CLANG=${CLANG:-clang}
build=${top_builddir:-${BUILDDIR:-$top}}

if ! command -v "$CLANG" >/dev/null 2>&1; then
	echo "run.sh: $CLANG not found: install clang (apt-get install clang) to fuzz" >&2
	exit 77
fi
if [ ! -f "$build/libosmigrate.a" ] || [ ! -f "$build/config.h" ]; then
	echo "run.sh: no built libosmigrate.a in $build: run make first (or set BUILDDIR)" >&2
	exit 77
fi
mkdir -p "$work/corpus" || exit 1
cp "$here"/seeds/* "$top"/tests/corpus/state/*.ini "$top"/tests/corpus/answers/*.ini "$work/corpus/" 2>/dev/null
if ! "$CLANG" -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-I"$build" -I"$top/src/base" -I"$top/src/core" $(pkg-config --cflags libpq) \
	"$here/fuzz_state.c" "$top/src/base/doc.c" "$top/src/core/state.c" "$top/src/core/schema.c" \
	"$top/src/base/secret.c" \
	"$top/src/base/lock.c" "$top/src/base/util.c" \
	"$build/libosmigrate.a" $(pkg-config --libs inih libpq libcurl) -lpthread -lm \
	-o "$work/fuzz_state" 2>"$work/build.log"; then
	if grep -q "fuzzer" "$work/build.log"; then
		echo "run.sh: clang cannot link libFuzzer here:" >&2
		cat "$work/build.log" >&2
		exit 77
	fi
	cat "$work/build.log" >&2
	exit 1
fi
echo "run.sh: fuzzing for ${duration}s in $work"
cd "$work" || exit 1
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	./fuzz_state -max_total_time="$duration" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 corpus >fuzz.log 2>&1
rc=$?
tail -n 15 fuzz.log
if [ $rc -ne 0 ]; then
	echo "run.sh: FINDING (exit $rc): see $work/fuzz.log and the crash-* file there" >&2
	exit 1
fi
rm -rf "$work"
exit 0
