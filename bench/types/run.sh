#!/bin/sh
# bench/types/run.sh - speed and memory of `osmigrate types`.  Run by hand
# (not part of make check); figures go to bench/types/README.md.
#
#   bench/types/run.sh [BUILD_DIR] [TABLES] [PROBE_ROWS] [RUNS]
#
# Starts a throwaway server (scripts/pgfixture.sh) and builds:
#   schema bench_big:   TABLES (default 2000) tables x 25 columns (50,000
#                       columns), cycling through every type of
#                       ../shared/domain.md section 3, a domain included
#   schema bench_small: TABLES/100 tables of the same shape (1% of the columns)
#   schema bench_probe: 2 tables of PROBE_ROWS (default 1,000,000) rows
# and prints, median of RUNS (default 5) runs each:
#   1. catalog: `osmigrate types --no-data` over bench_big, against psql
#      running the minimal catalog query (pg_attribute joined to pg_class,
#      pg_namespace and pg_type: names, format_type, attnotnull, typtype),
#      both writing to /dev/null (target: 1.5);
#   2. probes: `osmigrate types --table ...` over bench_probe, against psql
#      running the very aggregate queries osmigrate sent (taken from the
#      server log of one run with log_statement=all) (target: 1.3);
#   3. peak RSS (/usr/bin/time %M) of `osmigrate types --no-data` on
#      bench_big and bench_small, and of the run with probes on bench_big.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$top}
tables=${2:-2000}
rows=${3:-1000000}
runs=${4:-5}
bin=$build/osmigrate
[ -x "$bin" ] || { echo "bench/types/run.sh: no osmigrate in $build" >&2; exit 64; }
[ -x /usr/bin/time ] || { echo "bench/types/run.sh: needs /usr/bin/time (package time)" >&2; exit 64; }

dir=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-bench-types.XXXXXX")
trap 'sh "$top/scripts/pgfixture.sh" stop "$dir" >/dev/null 2>&1; rm -rf "$dir"' EXIT
sh "$top/scripts/pgfixture.sh" start "$dir" --log-statements >/dev/null
. "$dir/env"
PATH=$FIXTURE_BINDIR:$PATH
export PGPASSFILE="$dir/no-pgpass" PGDATABASE=bench
DB="host=$PGHOST port=$PGPORT user=osm_admin dbname=bench"
small=$((tables / 100)); [ "$small" -ge 1 ] || small=1

echo "setting up: $tables + $small tables x 25 columns, 2 x $rows rows ..." >&2
psql -X -q -d postgres -c 'CREATE DATABASE bench'
psql -X -q -v ON_ERROR_STOP=1 -v tables="$tables" -v small="$small" -v rows="$rows" <<'SQL' >/dev/null
CREATE EXTENSION citext;
CREATE SCHEMA bench_big;
CREATE SCHEMA bench_small;
CREATE SCHEMA bench_probe;
CREATE TYPE public.bench_mood AS ENUM ('a', 'b');
CREATE DOMAIN public.bench_amount AS numeric(12,2);
CREATE TEMP TABLE types (n serial, t text);
INSERT INTO types (t) VALUES ('character(10)'), ('varchar(40)'), ('uuid'), ('xml'), ('citext'),
 ('text'), ('real'), ('double precision'), ('numeric(30,2)'), ('numeric(20,9)'), ('integer'),
 ('smallint'), ('numeric(9,0)'), ('bigint'), ('numeric(18,0)'), ('money'), ('numeric(19,0)'),
 ('numeric(12,2)'), ('numeric'), ('bit'), ('boolean'), ('date'), ('timestamp'), ('timestamptz'),
 ('time'), ('timetz'), ('bytea'), ('json'), ('jsonb'), ('box'), ('cidr'), ('circle'), ('inet'),
 ('line'), ('lseg'), ('macaddr'), ('path'), ('point'), ('polygon'), ('tsquery'), ('tsvector'),
 ('txid_snapshot'), ('bit varying'), ('interval'), ('integer[]'), ('public.bench_mood'),
 ('public.bench_amount');
SELECT format('CREATE TABLE %s.t%s (id serial PRIMARY KEY, %s)', s, i,
  (SELECT string_agg(format('c%s %s', k, (SELECT t FROM types WHERE n = 1 + (i + k) % 47)), ', ')
   FROM generate_series(1, 24) k))
FROM (SELECT 'bench_big' s, generate_series(1, :tables) i
      UNION ALL SELECT 'bench_small', generate_series(1, :small)) x \gexec
CREATE TABLE bench_probe.p1 (id serial PRIMARY KEY, d date, ts timestamp, tstz timestamptz,
  n numeric, m money, t text, b bigint, r real, tm time);
CREATE TABLE bench_probe.p2 (id bigserial PRIMARY KEY, d date NOT NULL, n numeric(12,2),
  s varchar(40), tstz timestamptz NOT NULL);
INSERT INTO bench_probe.p1 (d, ts, tstz, n, m, t, b, r, tm)
  SELECT CASE WHEN g % 1000 = 0 THEN DATE '1850-01-01' ELSE DATE '2000-01-01' + g % 9000 END,
         TIMESTAMP '2001-01-01' + g * INTERVAL '1 minute', now() - g * INTERVAL '1 second',
         CASE WHEN g % 777 = 0 THEN g / 7.0 ELSE g END, g / 100.0,
         CASE WHEN g % 10 = 0 THEN NULL ELSE md5(g::text) END, g, g / 3.0, TIME '12:00'
  FROM generate_series(1, :rows) g;
INSERT INTO bench_probe.p2 (d, n, s, tstz)
  SELECT DATE '2000-01-01' + g % 9000, g / 100.0, left(md5(g::text), 40), now()
  FROM generate_series(1, :rows) g;
VACUUM ANALYZE bench_probe.p1;
VACUUM ANALYZE bench_probe.p2;
SQL

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
secs() {   # secs CMD...: wall seconds of one run, output discarded
	t0=$(date +%s.%N)
	"$@" >/dev/null 2>&1 || true
	t1=$(date +%s.%N)
	awk "BEGIN { printf \"%.3f\n\", $t1 - $t0 }"
}
psql_file() { psql -X -q -A -t -o /dev/null -f "$1"; }

# One logged run of each, to take the exact SQL osmigrate sends.
log_from=$(($(wc -l <"$PGLOG") + 1))
"$bin" types "$DB" --table bench_probe.p1 --table bench_probe.p2 --format json >"$dir/probe.json" || true
tail -n +"$log_from" "$PGLOG" | sed -n 's/^.*execute <unnamed>: \(SELECT pg_catalog.count(\*) FILTER .*\)$/\1;/p' >"$dir/probes.sql"
[ "$(wc -l <"$dir/probes.sql")" -eq 2 ] || { echo "bench: expected 2 probe queries in the log" >&2; exit 1; }
# The baseline: the least a catalog query for the same columns reads.
cat >"$dir/catalog.sql" <<'SQL'
SELECT n.nspname, c.relname, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod),
  a.attnotnull, t.typtype
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
WHERE n.nspname = 'bench_big' AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND a.attnum > 0 AND NOT a.attisdropped;
SQL
# Restart without statement logging for the timed runs.
sh "$top/scripts/pgfixture.sh" start "$dir" >/dev/null
. "$dir/env"
export PGDATABASE=bench

cols=$(psql -X -A -t -c "SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
	JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'bench_big' AND c.relkind = 'r'
	AND a.attnum > 0 AND NOT a.attisdropped")
psql_file "$dir/catalog.sql"; "$bin" types "$DB" --no-data --schema bench_big -o /dev/null >/dev/null 2>&1 || true  # warm
: >"$dir/o"; : >"$dir/p"
for i in $(seq "$runs"); do
	secs "$bin" types "$DB" --no-data --schema bench_big --format json -o /dev/null >>"$dir/o"
	secs psql_file "$dir/catalog.sql" >>"$dir/p"
done
o=$(median <"$dir/o"); p=$(median <"$dir/p")
printf 'catalog: %s columns in %s tables: osmigrate types --no-data %.3f s, psql minimal catalog query %.3f s, ratio %.2f (target <= 1.5)\n' \
	"$cols" "$tables" "$o" "$p" "$(awk "BEGIN { print $o / $p }")"

: >"$dir/o"; : >"$dir/p"
for i in $(seq "$runs"); do
	secs "$bin" types "$DB" --table bench_probe.p1 --table bench_probe.p2 --format json -o /dev/null >>"$dir/o"
	secs psql_file "$dir/probes.sql" >>"$dir/p"
done
o=$(median <"$dir/o"); p=$(median <"$dir/p")
printf 'probes: 2 tables x %s rows: osmigrate types %.3f s, psql same aggregates %.3f s, ratio %.2f (target <= 1.3)\n' \
	"$rows" "$o" "$p" "$(awk "BEGIN { print $o / $p }")"
printf 'probes found: %s\n' "$(jq -c '[.findings[]|select(.count != null)|.code + " " + .table + "." + .column + "=" + (.count|tostring)]' "$dir/probe.json" 2>/dev/null || echo '(jq not installed)')"

rss() { /usr/bin/time -f %M "$bin" types "$DB" "$@" -o /dev/null 2>&1 >/dev/null | tail -n 1; }
big=$(rss --no-data --schema bench_big)
sm=$(rss --no-data --schema bench_small)
bigdata=$(rss --schema bench_big)
printf 'peak RSS --no-data: %s columns %s KiB, %s columns %s KiB, ratio %.2f (flat: target <= 2); with probes on %s columns: %s KiB\n' \
	"$cols" "$big" "$((small * 25))" "$sm" "$(awk "BEGIN { print $big / $sm }")" "$cols" "$bigdata"
