#!/bin/sh
# types_report.sh - `osmigrate types` findings on the fixture schema
# (tests/fixtures/types.sql): every expected finding with its severity,
# count and sample keys; the JSON shape (checked with jq); text output;
# -o FILE mode 0600; --no-data; the database is left untouched; exit codes
# 0 / 1 / 2 / 3 / 64.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pg.sh"

command -v jq >/dev/null 2>&1 || { echo "1..0 # SKIP jq not installed (scripts/deps.sh installs it)"; exit 0; }
pg_start --log-statements
work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-types.XXXXXX")
trap 'pg_cleanup; rm -rf "$work"' EXIT
export PGCONNECT_TIMEOUT=10 PGPASSFILE="$work/no-pgpass"
DB="host=$PGHOST port=$PGPORT user=osm_admin dbname=typesdb"

pg_psql -X -q -v ON_ERROR_STOP=1 -d postgres -c 'CREATE DATABASE typesdb' >/dev/null ||
	bail "could not create the database"
pg_psql -X -q -v ON_ERROR_STOP=1 -d typesdb -f "$top_srcdir/tests/fixtures/types.sql" >/dev/null ||
	bail "could not load tests/fixtures/types.sql"
log_from=$(($(wc -l <"$PGLOG") + 1))

umask 022
"$OSMIGRATE" types "$DB" --format json -o "$work/report.json" 2>"$work/err"
is "$?" 2 "blockers in the fixture: exit 2"
is "$(stat -c %a "$work/report.json")" 600 "-o writes the report with mode 0600"
printf 'old\n' >"$work/existing.json"; chmod 644 "$work/existing.json"
"$OSMIGRATE" types "$DB" --no-data --format json -o "$work/existing.json" 2>/dev/null
is "$(stat -c %a "$work/existing.json")" 600 "-o tightens an existing file to 0600"
# A device given as -o keeps its mode (as root, changing /dev/null would break the machine).
if mknod "$work/null" c 1 3 2>/dev/null && chmod 666 "$work/null"; then
	"$OSMIGRATE" types "$DB" --no-data -o "$work/null" 2>/dev/null
	is "$(stat -c %a "$work/null")" 666 "-o on a device leaves its mode alone"
else
	skip "mknod not permitted"
fi
jq -e . "$work/report.json" >/dev/null 2>&1
ok $? "the report is valid JSON"

# Documented shape, version 2 (osmigrate(1)).
jq -e '
  .version == 2 and (.at|type) == "string" and (.scope|type) == "string"
  and .data_probed == true and (.findings|type) == "array" and (.errors|type) == "array"
  and has("error") and .error == null
  and (.summary|keys) == ["blockers","columns","errors","infos","not_probed","probed_tables","tables","unmatched","warnings"]
  and .unmatched == []
  and all(.summary[]; type == "number")
  and all(.findings[];
      (keys == ["ardo_type","code","column","count","detail","fix","message","pg_type","samples","schema","severity","supported_type","table"])
      and (.severity|IN("blocker","warning","info"))
      and (.code|IN("TYPE_CHANGED","NEWLY_MAPPED","NEWLY_IGNORED","STILL_IGNORED","MAPPING_UNDOCUMENTED",
                    "KEY_CHANGED","AUTONUMBER_CHANGED","TIMEZONE_SEMANTICS","DATETIME_OUT_OF_RANGE",
                    "DECIMAL_SCALE_LOSS","INTEGER_OVERFLOW","TEXT_TOO_LONG","NULLS_READ_AS_DEFAULT",
                    "MAPPING_UNVERIFIED","BIT_STRING","IDENTITY_ALWAYS","IDENTITY_BY_DEFAULT",
                    "GENERATED_COLUMN","NUMERIC_NAN","NUMERIC_INFINITY","NUMERIC_OUT_OF_RANGE",
                    "TIME_FRACTION","MATERIALIZED_VIEW","PARTITION","COMPOSITE_KEY",
                    "KEY_HIDDEN_FROM_ARDO","NOT_PROBED","UUID_PLATFORM_VERSION"))
      and ((.schema|type) == "string") and ((.table|type) == "string")
      and (.column == null or (.column|type) == "string")
      and (.detail == null or (.detail|type) == "string")
      and (.count == null or (.count|type) == "number")
      and (.samples|type) == "array" and all(.samples[]; type == "string")
      and (.message|length) > 0 and (.fix|length) > 0)' "$work/report.json" >/dev/null
ok $? "JSON has the documented shape (version, findings fields, summary)"
is "$(jq -c '.summary' "$work/report.json")" \
	'{"blockers":19,"warnings":59,"infos":72,"columns":1021,"tables":33,"probed_tables":20,"not_probed":3,"errors":0,"unmatched":0}' \
	"summary counts"
jq -e '[.findings[]|select(.severity=="blocker")]|length == 19' "$work/report.json" >/dev/null
ok $? "summary.blockers matches the findings list"
jq -e '[.findings[]|select(.column == null)] | all(.pg_type == null and .ardo_type == null and .supported_type == null)' \
	"$work/report.json" >/dev/null
ok $? "table findings have no column and no types"

# Every finding except the 28 NULL infos of typ.all_types' single row (the
# bidi override U+202E of a sample key written <U+202E> here).
# code|severity|schema|table|column|count|samples
cat >"$work/expected" <<'EOF'
DATETIME_OUT_OF_RANGE|blocker|Odd "Sch.ema"|My Table.v1|Mixed Case.Col|1|"Key ""Id"""='k''1'
TYPE_CHANGED|blocker|Odd "Sch.ema"|My Table.v1|real one|null|
NULLS_READ_AS_DEFAULT|info|Odd "Sch.ema"|My Table.v1|real one|1|"Key ""Id"""='k "2"'
NOT_PROBED|info|Odd "Sch.ema"|a view||null|
PARTITION|info|part_other|events_new||null|
COMPOSITE_KEY|warning|part_other|events_new||null|
MAPPING_UNDOCUMENTED|warning|part_other|events_new|amount|null|
NEWLY_MAPPED|warning|typ|all_types|c_xml|null|
NULLS_READ_AS_DEFAULT|warning|typ|all_types|c_xml|1|id=1
NEWLY_MAPPED|warning|typ|all_types|c_citext|null|
NULLS_READ_AS_DEFAULT|warning|typ|all_types|c_citext|1|id=1
TYPE_CHANGED|blocker|typ|all_types|c_real|null|
NEWLY_MAPPED|warning|typ|all_types|c_money|null|
NULLS_READ_AS_DEFAULT|warning|typ|all_types|c_money|1|id=1
MAPPING_UNDOCUMENTED|warning|typ|all_types|c_numeric|null|
NEWLY_MAPPED|warning|typ|all_types|c_bit|null|
NULLS_READ_AS_DEFAULT|warning|typ|all_types|c_bit|1|id=1
MAPPING_UNDOCUMENTED|warning|typ|all_types|c_tstz|null|
TIMEZONE_SEMANTICS|warning|typ|all_types|c_tstz|null|
MAPPING_UNDOCUMENTED|warning|typ|all_types|c_time|null|
MAPPING_UNDOCUMENTED|warning|typ|all_types|c_timetz|null|
MAPPING_UNDOCUMENTED|warning|typ|all_types|c_json|null|
MAPPING_UNDOCUMENTED|warning|typ|all_types|c_jsonb|null|
STILL_IGNORED|info|typ|all_types|c_box|null|
STILL_IGNORED|info|typ|all_types|c_cidr|null|
STILL_IGNORED|info|typ|all_types|c_circle|null|
STILL_IGNORED|info|typ|all_types|c_inet|null|
STILL_IGNORED|info|typ|all_types|c_line|null|
STILL_IGNORED|info|typ|all_types|c_lseg|null|
STILL_IGNORED|info|typ|all_types|c_macaddr|null|
STILL_IGNORED|info|typ|all_types|c_path|null|
STILL_IGNORED|info|typ|all_types|c_point|null|
STILL_IGNORED|info|typ|all_types|c_polygon|null|
STILL_IGNORED|info|typ|all_types|c_tsquery|null|
STILL_IGNORED|info|typ|all_types|c_tsvector|null|
STILL_IGNORED|info|typ|all_types|c_txid|null|
STILL_IGNORED|info|typ|all_types|c_varbit|null|
STILL_IGNORED|info|typ|all_types|c_interval|null|
STILL_IGNORED|info|typ|all_types|c_int_arr|null|
STILL_IGNORED|info|typ|all_types|c_text_arr|null|
STILL_IGNORED|info|typ|all_types|c_enum|null|
STILL_IGNORED|info|typ|all_types|c_pair|null|
STILL_IGNORED|info|typ|all_types|c_hstore|null|
MAPPING_UNDOCUMENTED|warning|typ|all_types|c_range|null|
STILL_IGNORED|info|typ|all_types|c_dom_dom|null|
DATETIME_OUT_OF_RANGE|blocker|typ|bad_values|d|2|id=1,id=2
DATETIME_OUT_OF_RANGE|blocker|typ|bad_values|ts|2|id=1,id=3
MAPPING_UNDOCUMENTED|warning|typ|bad_values|tstz|null|
TIMEZONE_SEMANTICS|warning|typ|bad_values|tstz|null|
DATETIME_OUT_OF_RANGE|warning|typ|bad_values|tstz|2|id=1,id=3
MAPPING_UNDOCUMENTED|warning|typ|bad_values|t|null|
DATETIME_OUT_OF_RANGE|warning|typ|bad_values|t|1|id=1
MAPPING_UNDOCUMENTED|warning|typ|bad_values|n|null|
DECIMAL_SCALE_LOSS|warning|typ|bad_values|n|1|id=1
INTEGER_OVERFLOW|warning|typ|bad_values|n|2|id=1,id=2
NEWLY_MAPPED|warning|typ|bad_values|m|null|
NULLS_READ_AS_DEFAULT|warning|typ|bad_values|m|2|id=1,id=3
NULLS_READ_AS_DEFAULT|info|typ|bad_values|s|2|id=1,id=3
DATETIME_OUT_OF_RANGE|blocker|typ|domains|d_base|1|id=1
STILL_IGNORED|info|typ|domains|d_dom|null|
STILL_IGNORED|info|typ|domains|d_dom_dom|null|
STILL_IGNORED|info|typ|domains|d_citext|null|
STILL_IGNORED|info|typ|domains|d_enum|null|
STILL_IGNORED|info|typ|domains|d_arr|null|
COMPOSITE_KEY|warning|typ|events||null|
DATETIME_OUT_OF_RANGE|blocker|typ|events|at|2|(id, at)=(1, '1850-01-01'),(id, at)=(3, '3500-01-01')
MAPPING_UNDOCUMENTED|warning|typ|events|amount|null|
NUMERIC_NAN|blocker|typ|events|amount|1|(id, at)=(2, '2020-01-01')
PARTITION|info|typ|events_old||null|
COMPOSITE_KEY|warning|typ|events_old||null|
MAPPING_UNDOCUMENTED|warning|typ|events_old|amount|null|
STILL_IGNORED|info|typ|ext_types|h|null|
STILL_IGNORED|info|typ|ext_types|l|null|
NEWLY_MAPPED|warning|typ|ext_types|c|null|
NOT_PROBED|info|typ|ft||null|
NULLS_READ_AS_DEFAULT|info|typ|guarded|d|1|id=1
KEY_CHANGED|warning|typ|k_bigint|id|null|
KEY_CHANGED|warning|typ|k_bigserial|id|null|
AUTONUMBER_CHANGED|warning|typ|k_bigserial|id|null|
COMPOSITE_KEY|warning|typ|k_composite||null|
COMPOSITE_KEY|warning|typ|k_composite_text||null|
DATETIME_OUT_OF_RANGE|blocker|typ|k_composite_text|d|2|(a, b)=(1, 'x'),(a, b)=(3, 'z')
AUTONUMBER_CHANGED|warning|typ|k_identity|id|null|
IDENTITY_ALWAYS|warning|typ|k_identity|id|null|
KEY_CHANGED|warning|typ|k_numeric|id|null|
MAPPING_UNDOCUMENTED|warning|typ|k_numeric_unc|id|null|
DATETIME_OUT_OF_RANGE|blocker|typ|k_odd_text|d|2|k=E'a\nb',k='x<U+202E>y'
MATERIALIZED_VIEW|info|typ|mv_empty||null|
NOT_PROBED|info|typ|mv_empty||null|
MATERIALIZED_VIEW|info|typ|mv_populated||null|
DATETIME_OUT_OF_RANGE|warning|typ|mv_populated|d|2|ctid=(0,1),ctid=(0,2)
NUMERIC_NAN|warning|typ|mv_populated|n|1|ctid=(0,1)
NUMERIC_INFINITY|warning|typ|mv_populated|n|2|ctid=(0,2),ctid=(0,3)
NUMERIC_OUT_OF_RANGE|warning|typ|mv_populated|n|1|ctid=(0,4)
DATETIME_OUT_OF_RANGE|blocker|typ|no_key|d|1|ctid=(0,1)
MAPPING_UNDOCUMENTED|warning|typ|numbers|n|null|
INTEGER_OVERFLOW|warning|typ|numbers|n|3|id=4,id=7
NUMERIC_NAN|blocker|typ|numbers|n|1|id=1
NUMERIC_INFINITY|blocker|typ|numbers|n|2|id=2,id=3
NUMERIC_OUT_OF_RANGE|blocker|typ|numbers|n|2|id=4,id=5
NUMERIC_NAN|blocker|typ|numbers|n9|1|id=1
NUMERIC_NAN|blocker|typ|numbers|n12|1|id=1
MAPPING_UNDOCUMENTED|warning|typ|numbers|neg|null|
MAPPING_UNDOCUMENTED|warning|typ|numbers|neg_big|null|
TEXT_TOO_LONG|warning|typ|numbers|neg_big|1|id=3
NUMERIC_OUT_OF_RANGE|blocker|typ|numbers|neg_big|2|id=1,id=3
STILL_IGNORED|info|typ|rowtypes|r|null|
STILL_IGNORED|info|typ|rowtypes|moods|null|
MAPPING_UNDOCUMENTED|warning|typ|times|t|null|
DATETIME_OUT_OF_RANGE|warning|typ|times|t|1|id=2
TIME_FRACTION|info|typ|times|t|1|id=1
MAPPING_UNDOCUMENTED|warning|typ|times|tz|null|
NULLS_READ_AS_DEFAULT|info|typ|times|tz|1|id=2
TIME_FRACTION|info|typ|times|tz|1|id=1
DATETIME_OUT_OF_RANGE|blocker|typ|wide_dates|d1|1|id=1
DATETIME_OUT_OF_RANGE|blocker|typ|wide_dates|d280|1|id=1
AUTONUMBER_CHANGED|warning|typ|writes|id|null|
IDENTITY_BY_DEFAULT|info|typ|writes|id|null|
IDENTITY_ALWAYS|warning|typ|writes|seq|null|
GENERATED_COLUMN|warning|typ|writes|with_tax|null|
BIT_STRING|warning|typ|writes|flags|null|
NEWLY_MAPPED|warning|typ|writes|flag|null|
EOF
jq -r '.findings[] | [.code,.severity,.schema,.table,(.column//""),(.count|tostring),(.samples|join(","))] | join("|")' \
	"$work/report.json" | grep -v '^NULLS_READ_AS_DEFAULT|info|typ|all_types|' |
	sed 's/\xe2\x80\xae/<U+202E>/g' >"$work/got"
if diff -u "$work/expected" "$work/got" >"$work/diff"; then ok 0 "every expected finding, severity, count and sample key"
else ok 1 "every expected finding, severity, count and sample key"; diag "$(cat "$work/diff")"; fi
is "$(jq -r '[.findings[]|select(.code=="NULLS_READ_AS_DEFAULT" and .table=="all_types" and .severity=="info")|.column]|join(" ")' "$work/report.json")" \
	"c_char c_varchar c_varchar_nolen c_uuid c_real c_double c_num_30_2 c_num_29_0 c_num_20_9 c_num_1_0 c_num_9_0 c_bigint c_num_10_0 c_num_18_0 c_num_19_0 c_num_28_0 c_num_28_8 c_num_12_2 c_numeric c_bool c_date c_ts c_tstz c_time c_timetz c_bytea c_dom c_dom_code" \
	"NULLs found in exactly the nullable mapped columns of the NULL row"
is "$(jq -r '.findings[]|select(.column=="c_real" and .code=="TYPE_CHANGED")|.ardo_type + " -> " + .supported_type' "$work/report.json")" \
	"Decimal(24, scale unknown) -> Text" "real: Decimal with an unknown scale (ardo) -> Text (supported)"
jq -e '[.findings[]|select(.code=="MAPPING_UNDOCUMENTED")|.message|test("mapping undocumented")]|all' "$work/report.json" >/dev/null
ok $? "undocumented mappings say 'mapping undocumented'"

# Text output on stdout (no terminal: no escape codes), same exit code,
# grouped by table, then column: a column's findings read together.
"$OSMIGRATE" types "$DB" >"$work/report.txt" 2>"$work/err"
is "$?" 2 "text format: exit 2"
# the lines of one table, from its header to the blank line after it
group() { awk -v h="$1" '$0 == h { on = 1; next } on && /^$/ { exit } on' "$work/report.txt"; }
group typ.all_types | grep -A1 '^  c_real real: ardoPostgreSQL Decimal(24, scale unknown), supported connector Text$' |
	grep -q '^    BLOCKER TYPE_CHANGED  *real changes from Decimal(24, scale unknown) (ardoPostgreSQL) to Text (supported connector)$'
ok $? "text: the finding for real under its column, under its table"
is "$(group typ.bad_values | sed -n '/^  n numeric:/,/^  [a-z]/p' | grep -c '^    ')" 3 \
	"text: the three findings of one column together under one header"
is "$(group typ.bad_values | grep -c '^  n numeric:')" 1 "text: one header per column"
group typ.bad_values | grep -q '^    BLOCKER DATETIME_OUT_OF_RANGE  2 values of date outside the OutSystems Date range (e.g. id=1, id=2)$'
ok $? "text line with count and sample keys naming their column"
group typ.k_composite_text | grep -q "(e.g. (a, b)=(1, 'x'), (a, b)=(3, 'z'))$"
ok $? "text: composite sample keys name their columns, text values quoted"
group 'Odd "Sch.ema".My Table.v1' | grep -q "(e.g. \"Key \"\"Id\"\"\"='k''1')$"
ok $? "text: a key column with quotes and capitals is quoted as in SQL"
group typ.k_odd_text | grep -q "(e.g. k=E'a\\\\nb', k='x?y')$"
ok $? "text: a key with a newline stays one sample (E'...'), a bidi override is neutralised"
group typ.events | grep -q '^    warning COMPOSITE_KEY  *composite primary key (id, at): '
ok $? "text: a table finding sits under its table's name"
grep -q '^19 blockers, 59 warnings, 72 infos over 1021 columns in 33 tables; data probed in 20 tables.$' "$work/report.txt"
ok $? "text summary line"
grep -q '^Not probed (3): Odd "Sch.ema".a view, typ.ft, typ.mv_empty.$' "$work/report.txt"
ok $? "text: views, foreign tables and unpopulated materialized views named as not probed"
! grep -q "$(printf '\033')" "$work/report.txt"
ok $? "no escape codes when stdout is not a terminal"

# --no-data: catalog findings only.
"$OSMIGRATE" types "$DB" --no-data --format json >"$work/nodata.json"
is "$?" 2 "--no-data: TYPE_CHANGED is still a blocker (exit 2)"
is "$(jq -c '[.data_probed, .summary.probed_tables, ([.findings[]|select(.count != null)]|length)]' "$work/nodata.json")" \
	'[false,0,0]' "--no-data runs no probe"

# Exit codes for each class.
"$OSMIGRATE" types "$DB" --table typ.k_serial --table typ.k_text >/dev/null
is "$?" 0 "no findings: exit 0"
"$OSMIGRATE" types "$DB" --table typ.k_bigint >/dev/null
is "$?" 1 "warnings only (bigint key): exit 1"
"$OSMIGRATE" types "$DB" --table typ.bad_values --format json >/dev/null
is "$?" 2 "out-of-range dates: exit 2"
PGPASSFILE=$FIXTURE_PGPASS "$OSMIGRATE" types "host=$PGHOST port=$PGPORT user=osm_noprivs dbname=typesdb" \
	--table locked.secret --format json >"$work/noprivs.json" 2>"$work/err"
is "$?" 3 "a table the user cannot read: exit 3 (could not check)"
is "$(jq -r '.errors[0].schema + "." + .errors[0].table' "$work/noprivs.json")" "locked.secret" \
	"the unreadable table is named in errors"
jq -e '.errors[0].message|test("SELECT")' "$work/noprivs.json" >/dev/null
ok $? "and the message says which privilege to grant"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 1)
"$OSMIGRATE" types "host=127.0.0.1 port=$port user=osm_admin dbname=typesdb connect_timeout=3" >"$work/out" 2>"$work/err"
is "$?" 3 "connection refused: exit 3"
test -s "$work/err" && ! test -s "$work/out"
ok $? "the reason goes to stderr, nothing to stdout"
"$OSMIGRATE" types "$DB" --format yaml >/dev/null 2>&1
is "$?" 64 "--format yaml: exit 64"
"$OSMIGRATE" types "$DB" --table 'no_dot' >/dev/null 2>&1
is "$?" 64 "--table without a schema: exit 64"
"$OSMIGRATE" types "$DB" --bogus >/dev/null 2>&1
is "$?" 64 "unknown option: exit 64"
"$OSMIGRATE" types --help | grep -q '^Usage: osmigrate types'
ok $? "--help"

# The same verification as the connector-migration check of step "types".
cat >"$work/answers.ini" <<EOF
[target]
host = $PGHOST
port = $PGPORT
user = osm_admin
dbname = typesdb
[scope]
schemas = typ
EOF
chmod 600 "$work/answers.ini"
"$OSMIGRATE" check connector-migration --answers "$work/answers.ini" --step type_scan </dev/null >"$work/check.out" 2>&1
is "$?" 2 "check --step type_scan: blockers make it FAILED (exit 2)"
grep -q 'column types and stored values.*FAILED' "$work/check.out"
ok $? "the type_verification check is listed as FAILED"
grep -q '17 blockers, 58 warnings, 69 infos over 1011 columns in 29 tables' "$work/check.out"
ok $? "its summary counts the scope of [scope] schemas only" || diag "$(cat "$work/check.out")"
# uuid written through the supported connector needs Platform Server 11.18.1
# (11.18.0 was withdrawn): with no version known, a warning that says so.
grep -q 'warning UUID_PLATFORM_VERSION typ.all_types.c_uuid: uuid written through the supported connector needs Platform Server 11.18.1 or later (11.18.0 was withdrawn): the Platform Server version is not known here' "$work/check.out"
ok $? "uuid column, Platform Server version unknown: a warning saying so"
# A typed version older than 11.18.1: a blocker naming it; 11.18.1: none.
uuid_state() { # VERSION
	{
		printf '[osmigrate]\nversion = 1\nrunbook = connector-migration\n\n'
		cat "$work/answers.ini"
		printf '\n[step "prerequisites"]\nfield.platform_version = %s\n' "$1"
	} >"$work/uuid.ini"
	chmod 600 "$work/uuid.ini"
	"$OSMIGRATE" check connector-migration --state "$work/uuid.ini" --step type_scan </dev/null >"$work/check.out" 2>&1
}
uuid_state 11.17.0
grep -q '18 blockers, 57 warnings' "$work/check.out"
ok $? "Platform Server 11.17.0 (typed): the uuid column is a blocker" || diag "$(cat "$work/check.out")"
grep -q 'blocker UUID_PLATFORM_VERSION typ.all_types.c_uuid: .*older than 11.18.1: typed 11.17.0' "$work/check.out"
ok $? "naming the version"
uuid_state 11.18.1
grep -q '17 blockers, 57 warnings' "$work/check.out"
ok $? "Platform Server 11.18.1: no uuid finding" || diag "$(cat "$work/check.out")"
! grep -q 'UUID_PLATFORM_VERSION' "$work/check.out"
ok $? "none at all"

# Every statement osmigrate sent is in the server log (log_statement=all).
tail -n +"$log_from" "$PGLOG" >"$work/statements"
grep -q 'pg_catalog.pg_attribute' "$work/statements"
ok $? "the server log holds osmigrate's statements"
! grep -iEq '(statement|execute [^:]*): *(INSERT|UPDATE|DELETE|MERGE|CREATE|ALTER|DROP|TRUNCATE|GRANT|REVOKE|COPY|LOCK|VACUUM|ANALYZE)' "$work/statements"
ok $? "nothing but reads was sent to the database"
done_testing
