#!/bin/sh
# bench/compare.sh - how long `osmigrate compare` takes on a large catalog.
# Run by hand (not part of make check):
#
#   bench/compare.sh [BUILD_DIR] [TABLES] [ROWS_PER_TABLE]
#
# Starts a throwaway server (scripts/pgfixture.sh), creates TABLES tables
# (default 2000) of 8 columns with a primary key, one index and a check
# constraint each, fills each with ROWS_PER_TABLE rows (default 1000),
# copies the database with pg_dump | pg_restore, then times compare with
# estimated counts and with --exact.  Prints one line per run.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top}
tables=${2:-2000}
rows=${3:-1000}
bin=$build/osmigrate
[ -x "$bin" ] || { echo "bench/compare.sh: no osmigrate in $build" >&2; exit 64; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-bench-compare.XXXXXX")
trap 'sh "$top/scripts/pgfixture.sh" stop "$dir" >/dev/null 2>&1; rm -rf "$dir"' EXIT
sh "$top/scripts/pgfixture.sh" start "$dir" >/dev/null
. "$dir/env"
PATH=$FIXTURE_BINDIR:$PATH
export PGPASSFILE="$dir/no-pgpass"

psql -X -q -c 'CREATE DATABASE bench_old' -c 'CREATE DATABASE bench_new'
psql -X -q -d bench_old -v tables="$tables" -v rows="$rows" <<'SQL'
SELECT format('CREATE TABLE t%s (id serial PRIMARY KEY, a int, b text, c numeric(12,2) CHECK (c >= 0), '
              'd date, e timestamptz, f boolean, g varchar(40))', i)
FROM generate_series(1, :tables) i \gexec
SELECT format('CREATE INDEX t%s_a_idx ON t%s (a, d)', i, i) FROM generate_series(1, :tables) i \gexec
SELECT format('INSERT INTO t%s (a, b, c, d, e, f, g) SELECT g, md5(g::text), g, current_date, now(), '
              'g %% 2 = 0, left(md5(g::text), 40) FROM generate_series(1, %s) g', i, :rows)
FROM generate_series(1, :tables) i \gexec
SQL
pg_dump -Fc -d bench_old -f "$dir/old.dump"
pg_restore -d bench_new "$dir/old.dump"

OLD="host=$PGHOST port=$PGPORT user=osm_admin dbname=bench_old"
NEW="host=$PGHOST port=$PGPORT user=osm_admin dbname=bench_new"
for mode in "" --exact; do
	t0=$(date +%s.%N)
	"$bin" compare $mode "$OLD" "$NEW" >"$dir/out" 2>&1 && rc=0 || rc=$?
	t1=$(date +%s.%N)
	printf 'compare %-8s %5s tables x %s rows: %.2f s, exit %s, %s\n' "${mode:-estimated}" \
		"$tables" "$rows" "$(awk "BEGIN { print $t1 - $t0 }")" "$rc" "$(grep '^compared:' "$dir/out")"
done
