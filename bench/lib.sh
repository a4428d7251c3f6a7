# shellcheck shell=bash
# bench/lib.sh - helpers shared by the benchmarks (bash: $EPOCHREALTIME
# gives microsecond timestamps without forking date(1)).  Sourced.

# Microseconds since the epoch.
now_us() { local t=$EPOCHREALTIME; echo $(( ${t/./} )); }

# Wall time of one run of CMD in microseconds, output discarded.
time_us() {
	local t0 t1
	t0=${EPOCHREALTIME/./}
	"$@" >/dev/null 2>&1 </dev/null || :   # a failing verdict is a result too
	t1=${EPOCHREALTIME/./}
	echo $(( t1 - t0 ))
}

# Median of numbers on stdin (one per line).
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)] }'; }

# N runs of CMD: the median wall time in microseconds.
median_us() {
	local n=$1 i
	shift
	for ((i = 0; i < n; i++)); do time_us "$@"; done | median
}

# Microseconds as milliseconds with 2 decimals; a ratio with 2 decimals.
ms() { awk -v u="$1" 'BEGIN { printf "%.2f ms", u / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# Peak RSS in KiB of one run of CMD (GNU time, Debian package "time").
peak_rss_kib() {
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f %M -o "$BENCH_TMP/rss" "$@" >/dev/null 2>&1 </dev/null || :
		tail -n 1 "$BENCH_TMP/rss"
	else
		echo "n/a (install the Debian package time)"
	fi
}

bench_die() { printf '%s: %s\n' "${0##*/}" "$*" >&2; exit 1; }

# BENCH_TMP: scratch directory removed on exit (callers may add to the trap).
bench_tmp() {
	BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-bench.XXXXXX")
	chmod 700 "$BENCH_TMP"
}

# gen_state EXTENSIONS SERVERS FILE: a connector-migration state file with
# that many [extension] (three tables each) and [server] sections, an
# [item "rebind:..."] for every other extension, steps 1-2 done, mode 0600.
gen_state() {
	awk -v E="$1" -v S="$2" 'BEGIN {
	print "[osmigrate]\nversion = 1\nrunbook = connector-migration"
	print "created = 2026-11-22T01:00:00Z\nupdated = 2026-11-22T01:00:00Z"
	print "updated_by = bench@host\ncurrent = rebind\n"
	print "[target]\nhost = 127.0.0.1\nport = 5432\ndbname = outsystems\nuser = osadmin\n"
	print "[step \"prerequisites\"]\nstatus = done\nby = bench@host\nat = 2026-11-22T01:00:00Z\n"
	print "[step \"connection\"]\nstatus = done\nby = bench@host\nat = 2026-11-22T01:00:00Z\n"
	for (i = 1; i <= E; i++)
		printf "[extension \"Ext%05d\"]\nlogical_database = db%05d\n" \
		       "tables = s%05d.orders s%05d.customers s%05d.lines\n\n", i, i, i, i, i
	for (i = 1; i <= S; i++)
		printf "[server \"fe%04d\"]\nrole = frontend\n" \
		       "url = https://fe%04d.example.internal/_ping.html\n\n", i, i
	for (i = 1; i <= E; i += 2)
		printf "[item \"rebind:Ext%05d\"]\nstatus = done\nby = bench@host\n" \
		       "at = 2026-11-22T02:00:00Z\nnote = rebound to the supported connector\n\n", i
	}' >"$3"
	chmod 600 "$3"
}

# gen_state_big EXTENSIONS TABLES SERVERS FILE: a connector-migration state
# file whose [extension] sections each list TABLES tables
# ("sNNNNN.osusr_tbl_NNNNN", about 23 bytes each) over "tables+" continuation
# lines of at most 190 bytes (each continuation starts with \x20, as
# osmigrate writes a space at a line end); SERVERS [server] sections; an
# [item "rebind:..."] with a note for every other extension; steps 1-2 done;
# mode 0600.  5000 160 100 gives the issue-10 case: about 20 MB, 145,000
# lines.
gen_state_big() {
	awk -v E="$1" -v T="$2" -v S="$3" 'BEGIN {
	print "[osmigrate]\nversion = 1\nrunbook = connector-migration"
	print "created = 2026-11-22T01:00:00Z\nupdated = 2026-11-22T01:00:00Z"
	print "updated_by = bench@host\ncurrent = rebind\n"
	print "[target]\nhost = 127.0.0.1\nport = 5432\ndbname = outsystems\nuser = osadmin\n"
	print "[step \"prerequisites\"]\nstatus = done\nby = bench@host\nat = 2026-11-22T01:00:00Z\n"
	print "[step \"connection\"]\nstatus = done\nby = bench@host\nat = 2026-11-22T01:00:00Z\n"
	for (i = 1; i <= E; i++) {
		printf "[extension \"Ext%05d\"]\nlogical_database = db%05d\n", i, i
		line = sprintf("tables = s%05d.osusr_tbl_00001", i)
		for (t = 2; t <= T; t++) {
			w = sprintf("s%05d.osusr_tbl_%05d", i, t)
			if (length(line) + length(w) + 1 > 190) {
				print line
				line = "tables+ = \\x20" w
			} else {
				line = line " " w
			}
		}
		print line "\n"
	}
	for (i = 1; i <= S; i++)
		printf "[server \"fe%04d\"]\nrole = frontend\n" \
		       "url = https://fe%04d.example.internal/_ping.html\n\n", i, i
	for (i = 1; i <= E; i += 2)
		printf "[item \"rebind:Ext%05d\"]\nstatus = done\nby = bench@host\n" \
		       "at = 2026-11-22T02:00:00Z\nnote = rebound to the supported connector\n\n", i
	}' >"$4"
	chmod 600 "$4"
}
