#!/bin/sh
# types_classify.sh - `osmigrate types --columns` on the fixture schema
# (tests/fixtures/types.sql): every column's classification under
# ardoPostgreSQL and under the supported connector, written out below from
# ../shared/domain.md section 3 and compared line by line.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pg.sh"

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
typ|all_types|c_real|real|Decimal(24,0)|Text
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
typ|all_types|c_hstore|public.hstore|ignored|undocumented
typ|all_types|c_range|int4range|ignored|undocumented
typ|all_types|c_dom|typ.amount (domain over numeric(12,2))|Decimal(12,2)|Decimal(12,2)
typ|all_types|c_dom_dom|typ.amount2 (domain over numeric(12,2))|Decimal(12,2)|Decimal(12,2)
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
Odd "Sch.ema"|My Table.v1|real one|real|Decimal(24,0)|Text
Odd "Sch.ema"|a view|Key "Id"|text|Text|Text
Odd "Sch.ema"|a view|Mixed Case.Col|timestamp without time zone|Date Time|Date Time
locked|secret|id|integer|Integer|Integer
locked|secret|d|date|Date|Date
EOF

"$OSMIGRATE" types "$DB" --columns >"$work/columns.tsv" 2>"$work/err"
is "$?" 0 "types --columns exits 0"
tr '\t' '|' <"$work/columns.tsv" | sort >"$work/got"
sort "$work/expected" >"$work/want"
if diff -u "$work/want" "$work/got" >"$work/diff"; then ok 0 "every fixture column classified as written out ($(wc -l <"$work/want") columns)"
else ok 1 "every fixture column classified as written out"; diag "$(cat "$work/diff")"; fi

# Scope selection: one schema, one quoted table; nothing else leaks in.
"$OSMIGRATE" types "$DB" --columns --schema locked | cut -f1 | sort -u >"$work/s1"
is "$(cat "$work/s1")" "locked" "--schema limits the scan to that schema"
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
