#!/bin/sh
# types_scope.sh - a scope that matches nothing is never a pass: a --table
# or --schema with a typo or the wrong case, an [extension] tables entry
# naming no existing table, and a scope with nothing in it are named by
# `types`, `check` and the wizard, and exit 3 ("could not check"), never
# "0 blockers", exit 0.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pg.sh"

pg_start
work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-tscope.XXXXXX")
trap 'pg_cleanup; rm -rf "$work"' EXIT
export PGCONNECT_TIMEOUT=10 PGPASSFILE="$work/no-pgpass"
DB="host=$PGHOST port=$PGPORT user=osm_admin dbname=scopedb"
EMPTY="host=$PGHOST port=$PGPORT user=osm_admin dbname=emptydb"

pg_psql -X -q -v ON_ERROR_STOP=1 -d postgres -c 'CREATE DATABASE scopedb' \
	-c 'CREATE DATABASE emptydb' >/dev/null || bail "could not create the databases"
pg_psql -X -q -v ON_ERROR_STOP=1 -d scopedb >/dev/null <<'SQL' || bail "could not load the fixture"
CREATE SCHEMA shop;
CREATE TABLE shop.orders (id int PRIMARY KEY, total numeric(12,2), note text);
CREATE TABLE shop."Lines" (id int PRIMARY KEY, qty int);
INSERT INTO shop.orders VALUES (1, 10.5, 'a');
SQL

types() { out=$("$OSMIGRATE" types "$@" 2>"$work/err"); rc=$?; err=$(cat "$work/err"); }
has() { printf '%s\n' "$out" | grep -qF -- "$1"; ok $? "$2"; }
err_has() { printf '%s\n' "$err" | grep -qF -- "$1"; ok $? "$2"; }

types "$DB" --table shop.orders --no-data
is "$rc" 0 "a table that exists: exit 0"

types "$DB" --table shop.Orders --no-data
is "$rc" 3 "--table in the wrong case: could not check (exit 3)"
has "NO_MATCH               table shop.Orders: matches no table or view" "the text names the entry"
has "Nothing was checked: this is not a pass." "and says nothing was checked"
err_has "could not check: nothing in scope matched a table or view" "stderr says why"
err_has "table shop.Orders" "stderr names the entry"
printf '%s\n' "$out" | grep -q '^0 blockers'; ok $? "0 blockers is said, but is not the verdict"

types "$DB" --table shop.orders --table shop.ordrs --no-data
is "$rc" 3 "one typo among good tables: exit 3"
has "table shop.ordrs: matches no table or view" "the typo is named"
printf '%s\n' "$out" | grep -q 'NO_MATCH.*shop\.orders:'; ok $((! $?)) "the good table is not"

types "$DB" --schema Shop --no-data
is "$rc" 3 "--schema in the wrong case: exit 3"
has "schema Shop: matches no schema with a table or view" "the schema is named"

types "$DB" --table '"shop"."Lines"' --no-data
is "$rc" 0 "a quoted mixed-case table that exists: exit 0"

types "$DB" --schema shop --schema nosuch --format json -o "$work/t.json"
is "$rc" 3 "JSON: exit 3"
python3 - "$work/t.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["unmatched"] == [{"schema": "nosuch", "table": None}], d["unmatched"]
assert d["summary"]["unmatched"] == 1, d["summary"]
assert d["summary"]["columns"] > 0, d["summary"]
PY
ok $? "JSON lists the unmatched entries"

types "$EMPTY" --no-data
is "$rc" 3 "a database without any user table: nothing scanned, exit 3"
has "NOTHING_SCANNED" "says nothing was scanned"

types "$DB" --columns --table shop.nosuch
is "$rc" 3 "--columns with an entry that matches nothing: exit 3"
err_has "table shop.nosuch" "named on stderr"

# [extension] tables naming no existing table.
cat >"$work/a.ini" <<EOF
[target]
host = $PGHOST
port = $PGPORT
dbname = scopedb
user = osm_admin

[extension "ShopExt"]
logical_database = Shop
tables = shop.orders shop.Order_Lines

[extension "Empty"]
logical_database = Nothing
EOF
types --answers "$work/a.ini" --no-data
is "$rc" 3 "types --answers: an extension table that does not exist: exit 3"
has "table shop.Order_Lines: matches no table or view" "named"

out=$("$OSMIGRATE" check connector-migration --step type_scan --answers "$work/a.ini" </dev/null 2>&1); rc=$?
is "$rc" 3 "check type_verification: could not check (exit 3)"
has "table shop.Order_Lines" "the check names the entry"
has "Correct the names that matched nothing" "and says what to do"

out=$("$OSMIGRATE" check connector-migration --step refresh --answers "$work/a.ini" </dev/null 2>&1); rc=$?
is "$rc" 2 "check tables_accessible: the missing table fails ShopExt (exit 2)"
has "shop.Order_Lines" "tables_accessible names it"
has "could not check: no tables listed" "an extension without tables is not a pass either"

# The wizard: the types screen names what matched nothing.
if command -v tmux >/dev/null 2>&1; then
	. "$top_srcdir/tests/lib/tmux.sh"
	trap 'pg_cleanup; rm -rf "$work"; _tmux_cleanup' EXIT
	state=$TMUX_WORK/cm.ini
	tmux_start 100 30 env PGPASSFILE="$work/no-pgpass" "$OSMIGRATE" --answers "$work/a.ini" \
		--state "$state" connector-migration
	tmux_wait "Actions (Space ticks)"; ok $? "wizard opens"
	tmux_keys t
	tmux_wait "Not scanned yet"
	tmux_keys r
	tmux_wait "could not check:" 30; ok $? "wizard: the scan says it could not check"
	tmux_wait "shop.Order_Lines"; ok $? "wizard: and names the entry"
	sed -n '/^\[check "type_verification"\]/,/^\[/p' "$state" | grep -q '^status = error$'
	ok $? "the recorded result is could not check, not ok"
	tmux_keys q
	tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
	# The typo corrected afterwards: that scan is about another scope.
	sed -i 's/^tables = shop.orders shop.Order_Lines$/tables = shop.orders/' "$state"
	grep -q '^tables = shop.orders$' "$state" || bail "could not edit the state file"
	out=$("$OSMIGRATE" report --format text --state "$state" 2>&1)
	has "check type_verification: stale (was error) - settings changed since this check ran: run it again" \
		"report: the stored scan is stale once the scope changed"
	tmux_start 100 30 env PGPASSFILE="$work/no-pgpass" "$OSMIGRATE" --state "$state" connector-migration
	tmux_wait "A saved session exists"; tmux_keys r
	tmux_wait "Actions (Space ticks)"
	tmux_keys t
	tmux_wait "stale: settings changed since this check ran"; ok $? "wizard: the types screen says stale"
	tmux_keys q
	tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
else
	for n in 1 2 3 4 5 6 7 8; do skip "tmux not installed"; done
fi

done_testing
