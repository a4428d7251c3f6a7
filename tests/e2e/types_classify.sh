#!/bin/sh
# types_classify.sh - `osmigrate types --columns` on the fixture schema
# (tests/fixtures/types.sql): every column's classification under
# ardoPostgreSQL and under the supported connector, written out below from
# ../shared/domain.md section 3 and compared line by line; then checked
# against what information_schema itself shows, which both connectors read
# (USER-DEFINED and ARRAY are ignored by both, a materialized view is not
# there at all); citext installed outside schema public.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pg.sh"

command -v jq >/dev/null 2>&1 || { echo "1..0 # SKIP jq not installed (scripts/deps.sh installs it)"; exit 0; }
pg_start
work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-types.XXXXXX")
trap 'pg_cleanup; rm -rf "$work"' EXIT
export PGCONNECT_TIMEOUT=10 PGPASSFILE="$work/no-pgpass"
DB="host=$PGHOST port=$PGPORT user=osm_admin dbname=typesdb"

pg_psql -X -q -v ON_ERROR_STOP=1 -d postgres -c 'CREATE DATABASE typesdb' >/dev/null ||
	bail "could not create the database"
pg_psql -X -q -v ON_ERROR_STOP=1 -d typesdb -f "$top_srcdir/tests/fixtures/types.sql" >/dev/null ||
	bail "could not load tests/fixtures/types.sql"

# schema|table|column|pg_type|ardo|supported
# (search_path is pinned empty: a type outside pg_catalog, an extension's in
# public too, is named with its schema, as pg_dump names it)
cat >"$work/expected" <<'EOF'
typ|all_types|id|integer|Integer|Integer
typ|all_types|c_char|character(10)|Text(10)|Text
typ|all_types|c_varchar|character varying(40)|Text(40)|Text
typ|all_types|c_varchar_nolen|character varying|Text|Text
typ|all_types|c_uuid|uuid|Text|Text
typ|all_types|c_xml|xml|ignored|Text
typ|all_types|c_citext|public.citext|ignored|Text
typ|all_types|c_text|text|Text|Text
typ|all_types|c_real|real|Decimal(24, scale unknown)|Text
typ|all_types|c_double|double precision|Text|Text
typ|all_types|c_num_30_2|numeric(30,2)|Text(33)|Text
typ|all_types|c_num_29_0|numeric(29,0)|Text|Text
typ|all_types|c_num_20_9|numeric(20,9)|Text(23)|Text
typ|all_types|c_int|integer|Integer|Integer
typ|all_types|c_smallint|smallint|Integer|Integer
typ|all_types|c_num_1_0|numeric(1,0)|Integer|Integer
typ|all_types|c_num_9_0|numeric(9,0)|Integer|Integer
typ|all_types|c_bigint|bigint|Long Integer|Long Integer
typ|all_types|c_num_10_0|numeric(10,0)|Long Integer|Long Integer
typ|all_types|c_num_18_0|numeric(18,0)|Long Integer|Long Integer
typ|all_types|c_money|money|ignored|Decimal
typ|all_types|c_num_19_0|numeric(19,0)|Decimal(19,0)|Decimal(19,0)
typ|all_types|c_num_28_0|numeric(28,0)|Decimal(28,0)|Decimal(28,0)
typ|all_types|c_num_28_8|numeric(28,8)|Decimal(28,8)|Decimal(28,8)
typ|all_types|c_num_12_2|numeric(12,2)|Decimal(12,2)|Decimal(12,2)
typ|all_types|c_numeric|numeric|Integer|undocumented
typ|all_types|c_bit|bit(1)|ignored|Boolean
typ|all_types|c_bool|boolean|Boolean|Boolean
typ|all_types|c_date|date|Date|Date
typ|all_types|c_ts|timestamp without time zone|Date Time|Date Time
typ|all_types|c_tstz|timestamp with time zone|Date Time|undocumented
typ|all_types|c_time|time without time zone|Time|undocumented
typ|all_types|c_timetz|time with time zone|Time|undocumented
typ|all_types|c_bytea|bytea|Binary Data|Binary Data
typ|all_types|c_json|json|ignored|undocumented
typ|all_types|c_jsonb|jsonb|ignored|undocumented
typ|all_types|c_box|box|ignored|ignored
typ|all_types|c_cidr|cidr|ignored|ignored
typ|all_types|c_circle|circle|ignored|ignored
typ|all_types|c_inet|inet|ignored|ignored
typ|all_types|c_line|line|ignored|ignored
typ|all_types|c_lseg|lseg|ignored|ignored
typ|all_types|c_macaddr|macaddr|ignored|ignored
typ|all_types|c_path|path|ignored|ignored
typ|all_types|c_point|point|ignored|ignored
typ|all_types|c_polygon|polygon|ignored|ignored
typ|all_types|c_tsquery|tsquery|ignored|ignored
typ|all_types|c_tsvector|tsvector|ignored|ignored
typ|all_types|c_txid|txid_snapshot|ignored|ignored
typ|all_types|c_varbit|bit varying(8)|ignored|ignored
typ|all_types|c_interval|interval|ignored|ignored
typ|all_types|c_int_arr|integer[]|ignored|ignored
typ|all_types|c_text_arr|text[]|ignored|ignored
typ|all_types|c_enum|typ.mood|ignored|ignored
typ|all_types|c_pair|typ.pair|ignored|ignored
typ|all_types|c_hstore|public.hstore|ignored|ignored
typ|all_types|c_range|int4range|ignored|undocumented
typ|all_types|c_dom|typ.amount (domain over numeric(12,2))|Decimal(12,2)|Decimal(12,2)
typ|all_types|c_dom_dom|typ.amount2 (domain over numeric(12,2))|ignored|ignored
typ|all_types|c_dom_code|typ.code (domain over character varying(5))|Text(5)|Text
typ|k_serial|id|integer|Integer|Integer
typ|k_serial|v|integer|Integer|Integer
typ|k_bigserial|id|bigint|Long Integer|Long Integer
typ|k_identity|id|integer|Integer|Integer
typ|k_bigint|id|bigint|Long Integer|Long Integer
typ|k_numeric|id|numeric(10,0)|Long Integer|Long Integer
typ|k_numeric_unc|id|numeric|Integer|undocumented
typ|k_text|id|character varying(20)|Text(20)|Text
typ|k_composite|a|bigint|Long Integer|Long Integer
typ|k_composite|b|integer|Integer|Integer
typ|bad_values|id|integer|Integer|Integer
typ|bad_values|d|date|Date|Date
typ|bad_values|ts|timestamp without time zone|Date Time|Date Time
typ|bad_values|tstz|timestamp with time zone|Date Time|undocumented
typ|bad_values|t|time without time zone|Time|undocumented
typ|bad_values|n|numeric|Integer|undocumented
typ|bad_values|m|money|ignored|Decimal
typ|bad_values|s|text|Text|Text
typ|no_key|d|date|Date|Date
Odd "Sch.ema"|My Table.v1|Key "Id"|text|Text|Text
Odd "Sch.ema"|My Table.v1|Mixed Case.Col|timestamp without time zone|Date Time|Date Time
Odd "Sch.ema"|My Table.v1|real one|real|Decimal(24, scale unknown)|Text
Odd "Sch.ema"|a view|Key "Id"|text|Text|Text
Odd "Sch.ema"|a view|Mixed Case.Col|timestamp without time zone|Date Time|Date Time
locked|secret|id|integer|Integer|Integer
locked|secret|d|date|Date|Date
typ|domains|id|integer|Integer|Integer
typ|domains|d_base|typ.when_d (domain over date)|Date|Date
typ|domains|d_dom|typ.amount2 (domain over numeric(12,2))|ignored|ignored
typ|domains|d_dom_dom|typ.amount3 (domain over numeric(12,2))|ignored|ignored
typ|domains|d_citext|typ.ci (domain over public.citext)|ignored|ignored
typ|domains|d_enum|typ.mood_d (domain over typ.mood)|ignored|ignored
typ|domains|d_arr|typ.int_list (domain over integer[])|ignored|ignored
typ|ext_types|id|integer|Integer|Integer
typ|ext_types|h|public.hstore|ignored|ignored
typ|ext_types|l|public.ltree|ignored|ignored
typ|ext_types|c|public.citext|ignored|Text
typ|writes|id|integer|Integer|Integer
typ|writes|seq|bigint|Long Integer|Long Integer
typ|writes|price|numeric(12,2)|Decimal(12,2)|Decimal(12,2)
typ|writes|with_tax|numeric(12,2)|Decimal(12,2)|Decimal(12,2)
typ|writes|flags|bit(8)|ignored|Boolean
typ|writes|flag|bit(1)|ignored|Boolean
typ|k_date|d|date|Date|Date
typ|k_decimal|id|numeric(20,0)|Decimal(20,0)|Decimal(20,0)
typ|k_composite_text|a|integer|Integer|Integer
typ|k_composite_text|b|text|Text|Text
typ|k_composite_text|d|date|Date|Date
typ|numbers|id|integer|Integer|Integer
typ|numbers|n|numeric|Integer|undocumented
typ|numbers|n9|numeric(9,0)|Integer|Integer
typ|numbers|n12|numeric(12,2)|Decimal(12,2)|Decimal(12,2)
typ|numbers|neg|numeric(5,-2)|Text(8)|undocumented
typ|numbers|neg_big|numeric(28,-3)|Text(31)|undocumented
typ|times|id|integer|Integer|Integer
typ|times|t|time without time zone|Time|undocumented
typ|times|tz|time with time zone|Time|undocumented
typ|mv_populated|id|integer|not importable|Integer (unverified)
typ|mv_populated|d|date|not importable|Date (unverified)
typ|mv_populated|n|numeric|not importable|undocumented
typ|mv_empty|id|integer|not importable|Integer (unverified)
typ|mv_empty|d|date|not importable|Date (unverified)
typ|events|id|bigint|Long Integer|Long Integer
typ|events|at|date|Date|Date
typ|events|amount|numeric|Integer|undocumented
typ|events_old|id|bigint|Long Integer|Long Integer
typ|events_old|at|date|Date|Date
typ|events_old|amount|numeric|Integer|undocumented
part_other|events_new|id|bigint|Long Integer|Long Integer
part_other|events_new|at|date|Date|Date
part_other|events_new|amount|numeric|Integer|undocumented
typ|ft|id|integer|Integer|Integer
typ|ft|d|date|Date|Date
typ|guarded|id|integer|Integer|Integer
typ|guarded|d|date|Date|Date
typ|wide600|id|integer|Integer|Integer
typ|wide_dates|id|integer|Integer|Integer
typ|k_odd_text|k|text|Text|Text
typ|k_odd_text|d|date|Date|Date
typ|rowtypes|id|integer|Integer|Integer
typ|rowtypes|r|typ.k_serial|ignored|ignored
typ|rowtypes|moods|typ.mood[]|ignored|ignored
EOF
# the wide tables, written out by loop: 599 integers, 280 dates
for i in $(seq 1 599); do echo "typ|wide600|c$i|integer|Integer|Integer"; done >>"$work/expected"
for i in $(seq 1 280); do echo "typ|wide_dates|d$i|date|Date|Date"; done >>"$work/expected"

"$OSMIGRATE" types "$DB" --columns >"$work/columns.tsv" 2>"$work/err"
is "$?" 0 "types --columns exits 0"
tr '\t' '|' <"$work/columns.tsv" | sort >"$work/got"
sort "$work/expected" >"$work/want"
if diff -u "$work/want" "$work/got" >"$work/diff"; then ok 0 "every fixture column classified as written out ($(wc -l <"$work/want") columns)"
else ok 1 "every fixture column classified as written out"; diag "$(cat "$work/diff")"; fi

# What information_schema.columns shows (the connection user owns every
# table): a column it reports as USER-DEFINED or ARRAY is ignored by both
# connectors (citext in public aside: documented as Public.citext); a
# column it does not list at all (materialized views) was not importable
# through ardoPostgreSQL.
pg_psql -X -q -A -t -F '|' -d typesdb -c "SELECT table_schema, table_name, column_name, data_type
	FROM information_schema.columns
	WHERE table_schema NOT IN ('pg_catalog', 'information_schema')" | sort >"$work/infoschema"
awk -F'|' 'NR == FNR { dt[$1 "|" $2 "|" $3] = $4; next }
	{ k = $1 "|" $2 "|" $3 }
	!(k in dt) { if ($5 != "not importable") print "absent from information_schema but importable: " $0; next }
	dt[k] == "USER-DEFINED" || dt[k] == "ARRAY" {
		if ($5 != "ignored") print dt[k] " but ardo maps it: " $0
		if ($6 != "ignored" && !($4 == "public.citext" && $6 == "Text")) print dt[k] " but the supported connector maps it: " $0 }' \
	"$work/infoschema" "$work/got" >"$work/infodiff"
! test -s "$work/infodiff"
ok $? "each connector sees what information_schema shows ($(grep -c 'USER-DEFINED\|ARRAY' "$work/infoschema") USER-DEFINED or ARRAY columns)"
test -s "$work/infodiff" && diag "$(cat "$work/infodiff")"
is "$(grep -c '|not importable|' "$work/got")" 5 "the 5 columns of the 2 materialized views are not importable through ardo"

# citext installed outside schema public: documented as Public.citext only.
pg_psql -X -q -v ON_ERROR_STOP=1 -d postgres -c 'CREATE DATABASE typesdb2' >/dev/null &&
	pg_psql -X -q -v ON_ERROR_STOP=1 -d typesdb2 >/dev/null <<'SQL' || bail "could not create typesdb2"
CREATE SCHEMA ext;
CREATE EXTENSION citext SCHEMA ext;
CREATE TABLE public.names (id integer PRIMARY KEY, n ext.citext);
SQL
"$OSMIGRATE" types "host=$PGHOST port=$PGPORT user=osm_admin dbname=typesdb2" --columns >"$work/ext.tsv" 2>&1
is "$(tr '\t' '|' <"$work/ext.tsv" | grep '|n|')" "public|names|n|ext.citext|ignored|Text (unverified)" \
	"citext outside public: Text under the supported connector is unverified"
"$OSMIGRATE" types "host=$PGHOST port=$PGPORT user=osm_admin dbname=typesdb2" --no-data --format json >"$work/ext.json" 2>&1
is "$(jq -r '.findings[] | select(.column == "n") | .code + " " + .severity' "$work/ext.json" 2>/dev/null)" "MAPPING_UNVERIFIED warning" \
	"and says so (MAPPING_UNVERIFIED), not a clean NEWLY_MAPPED"

# Scope selection: one schema, one quoted table; nothing else leaks in.
"$OSMIGRATE" types "$DB" --columns --schema locked | cut -f1 | sort -u >"$work/s1"
is "$(cat "$work/s1")" "locked" "--schema limits the scan to that schema"
"$OSMIGRATE" types "$DB" --columns --schema part_other | cut -f1,2 | sort -u | tr '\t' . >"$work/s2"
is "$(cat "$work/s2")" "part_other.events_new" "--schema finds a partition whose partitioned table is elsewhere"
"$OSMIGRATE" types "$DB" --columns --table '"Odd ""Sch.ema"""."My Table.v1"' | cut -f3 | tr '\n' ',' >"$work/t1"
is "$(cat "$work/t1")" 'Key "Id",Mixed Case.Col,real one,' "--table takes a quoted schema.table with dots, quotes and spaces"
"$OSMIGRATE" types "$DB" --columns --table 'typ.nope' >"$work/t2"
is "$(wc -l <"$work/t2" | tr -d ' ')" 0 "an unknown table yields no columns"

# Scope from an answers file: [scope] schemas and [extension] tables.
cat >"$work/answers.ini" <<EOF
[target]
host = $PGHOST
port = $PGPORT
user = osm_admin
dbname = typesdb
[extension "Orders"]
tables = typ.k_bigint typ.k_text
EOF
chmod 600 "$work/answers.ini"
"$OSMIGRATE" types --answers "$work/answers.ini" --columns | cut -f2 | sort -u | tr '\n' ',' >"$work/a1"
is "$(cat "$work/a1")" "k_bigint,k_text," "the answers file gives the connection and the extension's tables"

done_testing
