#!/bin/sh
# quickstart.sh - the two commands of the README.
#
#   ./quickstart.sh         install what is missing, build, start the demo
#                           environment (throwaway PostgreSQL + nginx on
#                           127.0.0.1) and open the wizard on it
#   ./quickstart.sh check   install what is missing, build, run the whole
#                           test suite; the last line is "N passed, N failed"
#
# Builds out of tree in ./build (and ./build-asan for the sanitizer pass).
set -eu
cd "$(dirname "$0")"
top=$(pwd)

say() { printf 'quickstart: %s\n' "$*" >&2; }

sh scripts/deps.sh

# Regenerate the build system when it is missing or older than its sources.
if [ ! -x configure ] || [ ! -f Makefile.in ] || [ ! -f build-aux/tap-driver.sh ] ||
	[ -n "$(find configure.ac Makefile.am am m4 -newer Makefile.in 2>/dev/null)" ]; then
	say "autoreconf"
	autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
fi

jobs=$(nproc 2>/dev/null || echo 2)

build() { # build DIR CONFIGURE-ARGS...
	d=$1; shift
	mkdir -p "$d"
	if [ ! -f "$d/Makefile" ] || [ "$top/configure" -nt "$d/Makefile" ]; then
		say "configure $d $*"
		(cd "$d" && "$top/configure" -q "$@")
	fi
	say "make in $d"
	make -s -C "$d" -j"$jobs"
}

# Sum the automake test-suite.log headers into "N passed, N failed, N skipped".
summary() {
	awk '
		/^# TOTAL:/ { total += $3 }
		/^# PASS:/  { pass += $3 }
		/^# SKIP:/  { skip += $3 }
		/^# XFAIL:/ { pass += $3 }
		/^# FAIL:/  { fail += $3 }
		/^# XPASS:/ { fail += $3 }
		/^# ERROR:/ { fail += $3 }
		END {
			if (total == 0) { print "0 passed, 1 failed"; exit 1 }
			printf "%d passed, %d failed", pass, fail
			if (skip) printf ", %d skipped", skip
			printf "\n"
			exit fail ? 1 : 0
		}' "$@"
}

case ${1:-} in
check)
	build build --enable-werror
	rc=0
	say "make check (build)"
	make -C build -j"$jobs" check >build/check.out 2>&1 || rc=$?
	grep -E '^(PASS|FAIL|ERROR|XPASS|SKIP)' build/check.out | grep -v '^PASS' || true
	logs=build/test-suite.log
	# The wizard end to end once more under valgrind memcheck: every screen of
	# the three runbooks (tui_walk), resize, signals, checks, types, lock.
	# Any memory error or definite leak makes the program exit 99, which the
	# tests' exit checks catch.
	if [ "${OSMIGRATE_SKIP_VALGRIND:-0}" != 1 ] && command -v valgrind >/dev/null 2>&1; then
		say "make check (tmux walks under valgrind)"
		OSMIGRATE_VALGRIND=1 make -C build -j"$jobs" check TEST_SUITE_LOG=valgrind-suite.log \
			TESTS="tests/e2e/tui_walk.sh tests/e2e/tui_basic.sh tests/e2e/tui_resize.sh tests/e2e/tui_signals.sh tests/e2e/tui_types.sh tests/e2e/tui_checks.sh tests/e2e/tui_shared.sh" \
			>build/valgrind.out 2>&1 || rc=$?
		grep -E '^(FAIL|ERROR|XPASS)' build/valgrind.out || true
		logs="$logs build/valgrind-suite.log"
	fi
	if [ "${OSMIGRATE_SKIP_ASAN:-0}" != 1 ]; then
		build build-asan --enable-werror --enable-asan --enable-debug
		say "make check (ASan+UBSan, unit tests)"
		make -C build-asan -j"$jobs" check TESTS="$(make -s -C build-asan print-unit-tests)" \
			>build-asan/check.out 2>&1 || rc=$?
		grep -E '^(FAIL|ERROR|XPASS)' build-asan/check.out || true
		logs="$logs build-asan/test-suite.log"
	fi
	if [ "$rc" -ne 0 ]; then
		for f in $(find build build-asan -name '*.log' ! -name 'test-suite.log' ! -name config.log 2>/dev/null); do
			if grep -q '^not ok\|^Bail out' "$f" 2>/dev/null; then
				echo "==== $f"; grep -B2 -A12 '^not ok\|^Bail out' "$f" | head -60
			fi
		done
	fi
	summary $logs || rc=1
	exit "$rc"
	;;
"")
	build build
	exec sh scripts/demo.sh run "$top/build/osmigrate"
	;;
-h|--help)
	sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
	;;
*)
	say "unknown argument '$1' (use: ./quickstart.sh [check])"
	exit 64
	;;
esac
