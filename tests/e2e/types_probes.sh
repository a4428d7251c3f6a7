#!/bin/sh
# types_probes.sh - what the probes read and what they say, on the fixture
# schema (tests/fixtures/types.sql), against the server's own log
# (log_statement=all):
#   - each row probed once: a partition through its partitioned table when
#     that is in scope, on its own when only its schema is;
#   - a wide table's probe split so that no SELECT list exceeds 1664
#     entries (280 nullable dates), the last chunk's finding found;
#   - views and foreign tables never read, listed as not probed; an
#     unpopulated materialized view "not populated, not probed", never a
#     failure;
#   - no probe fails on the server (negative scales, NaN, infinities);
#   - a SELECT-only role: KEY_HIDDEN_FROM_ARDO on exactly the tables whose
#     primary key information_schema.table_constraints hides from it;
#   - PROBE_FAILED says the real cause and its fix: a server error (a
#     row-level security policy that raises), a missing privilege; only a
#     timeout (types_cancel.sh) is told to raise --probe-timeout.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pg.sh"

command -v jq >/dev/null 2>&1 || { echo "1..0 # SKIP jq not installed (scripts/deps.sh installs it)"; exit 0; }
pg_start --log-statements
work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-types.XXXXXX")
trap 'pg_cleanup; rm -rf "$work"' EXIT
export PGCONNECT_TIMEOUT=10 PGPASSFILE="$work/no-pgpass"
DB="host=$PGHOST port=$PGPORT user=osm_admin dbname=typesdb"
# the SELECT-only role logs in over the socket (trust), like the setup
RO="host=$FIXTURE_SOCKDIR port=$PGPORT user=osm_types_ro dbname=typesdb"

pg_psql -X -q -v ON_ERROR_STOP=1 -d postgres -c 'CREATE DATABASE typesdb' >/dev/null ||
	bail "could not create the database"
pg_psql -X -q -v ON_ERROR_STOP=1 -d typesdb -f "$top_srcdir/tests/fixtures/types.sql" >/dev/null ||
	bail "could not load tests/fixtures/types.sql"

# osmigrate's statements from line $1 of the server log on, one per line
# (a statement spans lines: continuation lines start with a tab).
statements() {
	tail -n +"$1" "$PGLOG" | awk '/^[0-9][0-9][0-9][0-9]-/ { if (s != "") print s; s = $0; next } { s = s " " $0 } END { if (s != "") print s }' |
		grep ' osmigrate ' | grep -E 'LOG:  (statement|execute [^:]*):'
}
probes() { statements "$1" | grep 'pg_catalog.count(\*) FILTER'; }

# ---- everything, as the owner ----
from=$(($(wc -l <"$PGLOG") + 1))
"$OSMIGRATE" types "$DB" --format json >"$work/all.json" 2>"$work/err"
is "$?" 2 "the fixture has blockers: exit 2"
probes "$from" >"$work/probes"
! tail -n +"$from" "$PGLOG" | grep -q 'ERROR:'
ok $? "no probe failed on the server (negative scale cast to text, NaN and infinities compared explicitly)"

# each row once: typ.events is probed, its partitions are not
grep -q 'FROM "typ"."events"$' "$work/probes"
ok $? "the partitioned table is probed"
! grep -q 'FROM "typ"."events_old"\|FROM "part_other"."events_new"' "$work/probes"
ok $? "its partitions are not probed again"
is "$(jq -r '[.findings[] | select(.code == "PARTITION") | .table + ": " + .detail] | join("; ")' "$work/all.json")" \
	"events_new: partition of typ.events; its rows are probed through typ.events; events_old: partition of typ.events; its rows are probed through typ.events" \
	"each partition is listed, and says where its rows were probed"

# never read: the view, the foreign table, the unpopulated materialized view
! grep -q 'FROM "typ"."ft"\|FROM "Odd ""Sch.ema"""."a view"\|FROM "typ"."mv_empty"' "$work/probes"
ok $? "views, foreign tables and unpopulated materialized views are never read"
is "$(jq -r '[.findings[] | select(.code == "NOT_PROBED") | .schema + "." + .table + ": " + .detail] | join("; ")' "$work/all.json")" \
	'Odd "Sch.ema".a view: a view: reading it runs its query; probe its base tables; typ.ft: a foreign table: reading it reaches another server; typ.mv_empty: a materialized view that is not populated' \
	"and are listed as not probed, each with why"
grep -q 'FROM "typ"."mv_populated"$' "$work/probes"
ok $? "a populated materialized view is probed"

# the 280 nullable dates: 560 probes of 3 entries, in two queries
grep 'FROM "typ"."wide_dates"$' "$work/probes" >"$work/wide"
is "$(wc -l <"$work/wide" | tr -d ' ')" 2 "the wide table is probed in two queries"
most=$(sed 's/pg_catalog.count(\*) FILTER/\n&/g' "$work/wide" | awk '/^pg_catalog.count/ { n++ } /FROM "typ"."wide_dates"$/ { if (n > m) m = n; n = 0 } END { print m * 3 }')
[ "$most" -le 1664 ]
ok $? "no SELECT list exceeds 1664 entries (largest: $most)"
is "$(jq -r '[.findings[] | select(.table == "wide_dates") | .column + " " + .code] | join(", ")' "$work/all.json")" \
	"d1 DATETIME_OUT_OF_RANGE, d280 DATETIME_OUT_OF_RANGE" "the first and the last column's values are both found"
grep -q 'FROM "typ"."wide600"$' "$work/probes"
ok $? "the 600-column table is probed"

# ---- one schema: the partition there is probed on its own ----
from=$(($(wc -l <"$PGLOG") + 1))
"$OSMIGRATE" types "$DB" --schema part_other --format json >"$work/part.json" 2>/dev/null
probes "$from" >"$work/probes2"
grep -q 'FROM "part_other"."events_new"$' "$work/probes2"
ok $? "--schema part_other: the partition is probed itself"
is "$(jq -r '[.findings[] | select(.count != null) | .column + " " + .code + " " + (.count|tostring) + " " + (.samples|join(","))] | join("; ")' "$work/part.json")" \
	"at DATETIME_OUT_OF_RANGE 1 (id, at)=(3, '3500-01-01'); amount NUMERIC_NAN 1 (id, at)=(2, '2020-01-01')" \
	"its own rows only, sample keys naming their columns"

# ---- an unpopulated materialized view alone is never a failure ----
"$OSMIGRATE" types "$DB" --table typ.mv_empty >"$work/mv.txt" 2>&1
is "$?" 0 "an unpopulated materialized view alone: exit 0 (infos only)"
grep -q 'materialized view, not populated: not in information_schema' "$work/mv.txt" &&
	grep -q 'not probed: a materialized view that is not populated' "$work/mv.txt"
ok $? "it says: not populated, not probed"

# ---- the SELECT-only role ----
pg_psql -X -q -A -t -h "$FIXTURE_SOCKDIR" -U osm_types_ro -d typesdb -c "
	SELECT c.relnamespace::regnamespace || '.' || c.relname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
	WHERE k.contype = 'p' AND c.relnamespace::regnamespace::text IN ('typ', 'part_other')
	EXCEPT SELECT table_schema || '.' || table_name FROM information_schema.table_constraints
	WHERE constraint_type = 'PRIMARY KEY'" | sort >"$work/hidden.want"
"$OSMIGRATE" types "$RO" --schema typ --schema part_other --format json >"$work/ro.json" 2>/dev/null
is "$?" 2 "as a SELECT-only role: exit 2"
jq -r '.findings[] | select(.code == "KEY_HIDDEN_FROM_ARDO") | .schema + "." + .table' "$work/ro.json" | sort >"$work/hidden.got"
if [ -s "$work/hidden.want" ] && diff -u "$work/hidden.want" "$work/hidden.got" >"$work/hidden.diff"; then
	ok 0 "KEY_HIDDEN_FROM_ARDO on exactly the $(wc -l <"$work/hidden.want" | tr -d ' ') tables whose key information_schema hides from it"
else
	ok 1 "KEY_HIDDEN_FROM_ARDO on exactly the tables whose key information_schema hides from it"
	diag "$(cat "$work/hidden.diff")"
fi
! grep -qx 'typ.k_text' "$work/hidden.got"
ok $? "not where it may also INSERT (typ.k_text)"
is "$(jq -r '.findings[] | select(.code == "KEY_HIDDEN_FROM_ARDO" and .table == "numbers") | .message' "$work/ro.json")" \
	"primary key (id) is invisible through information_schema to user osm_types_ro (SELECT only): under ardoPostgreSQL (connected as this user) the entity had no identifier" \
	"the message names the key and the user"
jq -e '[.findings[] | select(.table == "k_bigint" and .code == "KEY_CHANGED")] | length == 0' "$work/ro.json" >/dev/null
ok $? "a key ardo never saw is not also reported as KEY_CHANGED"

# PROBE_FAILED: the server refused (row-level security policy that raises)
is "$(jq -r '.errors[] | .schema + "." + .table + " " + .cause' "$work/ro.json")" "typ.guarded server" \
	"the refused probe is a server error, on its table"
jq -e '.errors[0].message | test("rows of typ.guarded are not for you") and test("SQLSTATE P0001")' "$work/ro.json" >/dev/null
ok $? "with the server's own words and SQLSTATE"
! jq -r '.errors[0].fix' "$work/ro.json" | grep -q 'probe-timeout'
ok $? "and a fix that is not 'raise --probe-timeout'"
is "$(jq -r '.summary.errors' "$work/ro.json")" 1 "the other tables were probed"

# PROBE_FAILED: no privilege
PGPASSFILE=$FIXTURE_PGPASS "$OSMIGRATE" types "host=$PGHOST port=$PGPORT user=osm_noprivs dbname=typesdb" \
	--table locked.secret --format json >"$work/np.json" 2>/dev/null
is "$?" 3 "no SELECT privilege: could not check (exit 3)"
is "$(jq -r '.errors[0].cause' "$work/np.json")" privilege "cause: privilege"
jq -r '.errors[0].fix' "$work/np.json" | grep -q '^Grant SELECT on locked.secret'
ok $? "fix: grant SELECT on that table"
! jq -r '.errors[0].fix' "$work/np.json" | grep -q 'probe-timeout'
ok $? "not 'raise --probe-timeout'"

# Nothing but reads, and no ERROR from osmigrate's probes as the owner.
statements 1 | grep -iE '(statement|execute [^:]*): *(INSERT|UPDATE|DELETE|MERGE|CREATE|ALTER|DROP|TRUNCATE|GRANT|REVOKE|COPY|LOCK|VACUUM|ANALYZE|REFRESH)' >"$work/writes"
! test -s "$work/writes"
ok $? "nothing but reads was sent to the database"
done_testing
