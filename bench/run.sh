#!/bin/bash
# bench/run.sh - every benchmark in one go; run by hand, never in make check.
#
#   bench/run.sh BUILD_DIR [RUNS=21] [--no-types]
#
#   bench/startup.sh    first painted screen vs dialog --msgbox (80x24 tmux)
#   bench/connect.sh    connection verdict vs pg_isready (refused, live)
#   bench/state.sh      state load/save with 1,000 extensions, 100 servers;
#                       then a 20 MB state: load, mark, save vs cp, peak RSS,
#                       wizard keys (bench/state_keys.sh)
#   bench/types/run.sh  type-scan ratios (issues 4, 13), if present; its
#                       arguments come from $TYPES_ARGS (default
#                       "2000 1000000 11": 50,000 columns against the
#                       minimal catalog query, 1,000,000-row probes, about
#                       2-3 minutes on 2 cores)
#
# Tools it needs beyond the build and test dependencies: dialog (the
# startup baseline) and time (/usr/bin/time, peak RSS); installed with
# apt-get when missing and running as root, else named.  Then prints each
# benchmark's output, the machine (nproc, CPU model, load average) and, at
# the end, every ratio line again.  Every figure comes from this one run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: bench/run.sh BUILD_DIR [RUNS] [--no-types]}
shift
runs=21
types=yes
for a in "$@"; do
	case $a in
	--no-types) types=no ;;
	*[!0-9]* | '') echo "bench/run.sh: unknown argument '$a'" >&2; exit 64 ;;
	*) runs=$a ;;
	esac
done
[ -x "$build/osmigrate" ] || { echo "bench/run.sh: no osmigrate in $build (build it first)" >&2; exit 64; }

missing=
command -v dialog >/dev/null 2>&1 || missing="$missing dialog"
[ -x /usr/bin/time ] || missing="$missing time"
command -v tmux >/dev/null 2>&1 || missing="$missing tmux"
if [ -n "$missing" ]; then
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "bench/run.sh: installing:$missing"
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
	else
		echo "bench/run.sh: missing Debian packages:$missing (apt-get install$missing, as root)" >&2
		exit 1
	fi
fi

out=$(mktemp "${TMPDIR:-/tmp}/osmigrate-bench-run.XXXXXX")
trap 'rm -f "$out"' EXIT
section() { printf '\n== %s\n' "$*" | tee -a "$out"; }

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(awk '{ print $1 / 1024 / 1024 }' <<<"$(grep MemTotal /proc/meminfo | awk '{ print $2 }')" | xargs printf '%.1f') GiB RAM" | tee "$out"
echo "system: $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r), $("$build/osmigrate" --version | head -n 1)" | tee -a "$out"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); runs per figure: $runs" | tee -a "$out"

section "startup: bench/startup.sh $build $runs"
"$here/startup.sh" "$build" "$runs" 2>&1 | tee -a "$out"
section "connection: bench/connect.sh $build $runs"
"$here/connect.sh" "$build" "$runs" 2>&1 | tee -a "$out"
section "state: bench/state.sh $build $runs"
"$here/state.sh" "$build" "$runs" 2>&1 | tee -a "$out"
if [ "$types" = yes ] && [ -x "$here/types/run.sh" ]; then
	# shellcheck disable=SC2086
	section "types: bench/types/run.sh $build ${TYPES_ARGS:-2000 1000000 11}"
	# shellcheck disable=SC2086
	sh "$here/types/run.sh" "$build" ${TYPES_ARGS:-2000 1000000 11} 2>&1 | tee -a "$out"
elif [ "$types" = yes ]; then
	section "types: bench/types/run.sh not present, skipped"
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out"

printf '\n== ratios (this run)\n'
grep -i -e 'ratio' -e 'growth' "$out" | grep -v '^==' | sed 's/^ *//'
