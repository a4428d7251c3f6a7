#!/bin/sh
# compare_clone.sh - `osmigrate compare` on two real databases: a pg_dump |
# pg_restore copy is identical (estimated and exact counts, text and JSON);
# then one row, one column type, one index and one sequence value change in
# the copy and each difference is found; schema filters; could not compare.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pg.sh"

pg_start
work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-compare.XXXXXX")
trap 'pg_cleanup; rm -rf "$work"' EXIT
PATH=$FIXTURE_BINDIR:$PATH
# No password prompt, no user files: the fixture trusts osm_admin on 127.0.0.1.
export PGCONNECT_TIMEOUT=10 PGPASSFILE="$work/no-pgpass"

OLD="host=$PGHOST port=$PGPORT user=osm_admin dbname=cmp_old"
NEW="host=$PGHOST port=$PGPORT user=osm_admin dbname=cmp_new"
q() { pg_psql -X -q -v ON_ERROR_STOP=1 "$@" >/dev/null; }

q -d postgres -c 'CREATE DATABASE cmp_old' -c 'CREATE DATABASE cmp_new'
q -d cmp_old <<'SQL'
CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL,
	email varchar(100) UNIQUE, obsolete int);
ALTER TABLE customers DROP COLUMN obsolete;      -- the restore renumbers around it
CREATE TABLE orders (id bigserial PRIMARY KEY,
	customer_id int NOT NULL REFERENCES customers(id),
	total numeric(10,2) CHECK (total >= 0), created date DEFAULT current_date);
CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE SEQUENCE invoice_no_seq;
SELECT setval('invoice_no_seq', 42);
CREATE SCHEMA "Sales Dept";
CREATE TABLE "Sales Dept"."Odd ""Name""" (x int GENERATED ALWAYS AS IDENTITY, y text);
CREATE VIEW "Sales Dept".first_orders AS SELECT id, customer_id FROM public.orders WHERE id < 3;
CREATE TABLE empty_never_touched (a int);
INSERT INTO customers (name, email) VALUES ('Ana', 'ana@example.com'),
	('Bo', 'bo@example.com'), ('Cy', NULL);
INSERT INTO orders (customer_id, total) VALUES (1, 10.5), (1, 200), (2, 3.25), (3, 0), (3, 99.99);
INSERT INTO "Sales Dept"."Odd ""Name""" (y) VALUES ('a'), ('b');
SQL
pg_dump -Fc -d cmp_old -f "$work/old.dump"
ok $? "pg_dump of the old database"
pg_restore --exit-on-error -d cmp_new "$work/old.dump"
ok $? "pg_restore into the new database"

out=$("$OSMIGRATE" compare "$OLD" "$NEW" 2>"$work/err"); rc=$?
is "$rc" 0 "a pg_dump | pg_restore copy is identical (estimated counts): exit 0"
printf '%s\n' "$out" | grep -q '^result: identical structure and row counts (contents not compared)$'
ok $? "text says identical structure and row counts, contents not compared (trial H5)"
printf '%s\n' "$out" | grep -q 'compared: 2 schemas, 4 tables, 1 view, 12 columns'
ok $? "text says what was compared: the view is not counted as a table (trial H5)"
printf '%s\n' "$out" | grep -q '; structure and row counts, contents not compared$'
ok $? "the compared line says the contents were not compared"
[ "$rc" -eq 0 ] || diag "$out" "$(cat "$work/err")"

out=$("$OSMIGRATE" compare --exact "$OLD" "$NEW"); rc=$?
is "$rc" 0 "identical with exact counts: exit 0"
printf '%s\n' "$out" | grep -q '4 row counts (exact)'; ok $? "exact: every table counted"
[ "$rc" -eq 0 ] || diag "$out"

"$OSMIGRATE" compare --exact --format json -o "$work/same.json" "$OLD" "$NEW"
is "$?" 0 "JSON to a file: exit 0"
python3 - "$work/same.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["result"] == "identical", d
assert d["differences"] == [] and d["error"] is None, d
assert d["row_counts"] == "exact"
assert set(d["compared"]) == {"schemas", "tables", "views", "columns", "indexes", "constraints",
                              "sequences", "row_counts"}, d["compared"]
assert d["compared"]["tables"] == 4 and d["compared"]["views"] == 1, d["compared"]
assert d["contents_compared"] is False, d
assert d["compared"]["row_counts"] == 4 and d["compared"]["sequences"] == 4, d["compared"]
assert d["old"]["server_version"] >= 100000 and "cmp_old" in d["old"]["label"]
PY
ok $? "JSON shape of an identical result"

has() { printf '%s\n' "$out" | grep -qF -- "$1"; ok $? "$2"; }

# One database reached twice (127.0.0.1 and localhost) is not a clone:
# refused, named, never "identical".
SAME="host=localhost port=$PGPORT user=osm_admin dbname=cmp_old"
out=$("$OSMIGRATE" compare "$OLD" "$SAME" 2>&1); rc=$?
is "$rc" 3 "the same database as old and new: could not compare (exit 3)"
has 'result: could not compare: old and new are the same database: "cmp_old" (OID ' \
	"the refusal names the database"
has "a database compared with itself proves nothing" "and says what to do"
printf '%s\n' "$out" | grep -q identical; ok $((! $?)) "never says identical"
"$OSMIGRATE" compare --format json "$OLD" "$SAME" >"$work/same-db.json" 2>/dev/null
is "$?" 3 "the same database, JSON: exit 3"
python3 - "$work/same-db.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["result"] == "error" and "same database" in d["error"]["message"], d
assert d["old"]["database"] == d["new"]["database"] == "cmp_old", d
assert d["old"]["database_oid"] == d["new"]["database_oid"], d
assert d["old"]["system_identifier"] and d["old"]["system_identifier"] == d["new"]["system_identifier"], d
PY
ok $? "JSON: an error naming the same database on both sides"
printf '[compare]\nold = %s\nnew = %s\n' "$OLD" "$SAME" >"$work/same.ini"
out=$("$OSMIGRATE" check restore-database --step verify --answers "$work/same.ini" 2>&1); rc=$?
is "$rc" 3 "check clone_compare of a database with itself: could not check (exit 3)"
has "same database" "the check says why"
# Two databases of one server (cmp_old, cmp_new above) are a clone check:
# the first comparison of this test already said identical.

# A table without statistics on a side (never analyzed, stats reset, as on
# a fresh restore) has no estimate to trust: it is counted, and 1,000 rows
# against 0 is a difference, never "identical".
q -d postgres -c 'CREATE DATABASE cmp_stat_old' -c 'CREATE DATABASE cmp_stat_new'
q -d cmp_stat_old -c 'CREATE TABLE t (id int PRIMARY KEY, v text)' \
	-c "INSERT INTO t SELECT g, 'x' FROM generate_series(1, 1000) g"
pg_dump -Fc --schema-only -d cmp_stat_old -f "$work/stat.dump"
pg_restore --exit-on-error -d cmp_stat_new "$work/stat.dump"
ok $? "a restored copy without the data, never analyzed"
q -d cmp_stat_old -c 'SELECT pg_stat_reset()'
ST_OLD="host=$PGHOST port=$PGPORT user=osm_admin dbname=cmp_stat_old"
ST_NEW="host=$PGHOST port=$PGPORT user=osm_admin dbname=cmp_stat_new"
out=$("$OSMIGRATE" compare "$ST_OLD" "$ST_NEW" 2>&1); rc=$?
is "$rc" 2 "1,000 rows against 0 without statistics: a difference (exit 2)"
has "table public.t: row count 1000 in old, 0 in new" "counted exactly, not estimated"
has "1 counted for lack of statistics" "the summary says it was counted"
[ "$rc" -eq 2 ] || diag "$out"

# A user without privileges: what it cannot read is "not verified", never
# identical by omission; counts it cannot take mean "could not compare",
# also the count of a table without statistics in an estimated comparison.
NP_OLD="host=$PGHOST port=$PGPORT user=osm_noprivs dbname=cmp_old"
NP_NEW="host=$PGHOST port=$PGPORT user=osm_noprivs dbname=cmp_new"
out=$(PGPASSFILE=$FIXTURE_PGPASS "$OSMIGRATE" compare "$NP_OLD" "$NP_NEW" 2>&1); rc=$?
is "$rc" 3 "no privileges, estimated, a table never analyzed: could not compare (exit 3)"
has "could not count the rows of public.empty_never_touched" "names the table it had to count"
q -d cmp_old -c 'ANALYZE public.empty_never_touched'
q -d cmp_new -c 'ANALYZE public.empty_never_touched'
out=$(PGPASSFILE=$FIXTURE_PGPASS "$OSMIGRATE" compare "$NP_OLD" "$NP_NEW" 2>&1); rc=$?
is "$rc" 1 "no privileges, estimated, every table with statistics: no difference, but not verified (exit 1)"
has "sequence public.invoice_no_seq: the last value is not readable by this user on either side" \
	"unreadable sequence values are listed as not verified"
has "result: no difference found, but " "the result never says identical over what it could not read"
PGPASSFILE=$FIXTURE_PGPASS "$OSMIGRATE" compare --format json "$NP_OLD" "$NP_NEW" >"$work/np.json" 2>/dev/null
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["version"] == 2 and d["result"] == "unverified" and d["notes"], d' "$work/np.json"
ok $? "JSON: result unverified (version 2), with its notes" || diag "$(cat "$work/np.json")"
out=$(PGPASSFILE=$FIXTURE_PGPASS "$OSMIGRATE" compare --exact "$NP_OLD" "$NP_NEW" 2>&1); rc=$?
is "$rc" 3 "no privileges, exact: could not compare (exit 3)"
has "permission denied" "says why"
has "what to do: Connect as a user that can read" "and what to do"

# No password anywhere libpq looks: asked for on a terminal (script(1)
# provides one), once per side; never accepted on the command line.
APP_OLD="host=$PGHOST port=$PGPORT user=osm_app dbname=cmp_old"
APP_NEW="host=$PGHOST port=$PGPORT user=osm_app dbname=cmp_new"
if command -v script >/dev/null 2>&1; then
	printf 'osm_app_demo\nosm_app_demo\n' |
		script -qec "\"$OSMIGRATE\" compare \"$APP_OLD\" \"$APP_NEW\"" /dev/null >"$work/tty" 2>&1
	is "$?" 1 "passwords typed at the prompts: compared (exit 1: what osm_app may not read is not verified)"
	grep -q 'result: no difference found, but' "$work/tty"; ok $? "passwords typed at the prompts: the comparison ran" || diag "$(cat "$work/tty")"
	grep -q 'Password for database .*/cmp_old as osm_app: ' "$work/tty" &&
		grep -q 'Password for database .*/cmp_new as osm_app: ' "$work/tty"
	ok $? "one prompt for each database, naming it"
else
	skip "script(1) not installed"
	skip "script(1) not installed"
	skip "script(1) not installed"
fi
out=$("$OSMIGRATE" compare "$APP_OLD" "$APP_NEW" </dev/null 2>&1); rc=$?
is "$rc" 3 "no password and no terminal: could not compare (exit 3)"
has "needs a password" "says a password is needed"
"$OSMIGRATE" compare "host=$PGHOST password=secret dbname=cmp_old" "$NEW" >"$work/out" 2>&1
is "$?" 64 "a password in OLD is refused (exit 64)"
grep -q 'process list' "$work/out"; ok $? "and the message says why"

# The restore-database "verify" check runs the same comparison from [compare].
printf '[compare]\nold = %s\nnew = %s\n' "$OLD" "$NEW" >"$work/answers.ini"
out=$("$OSMIGRATE" check restore-database --step verify --answers "$work/answers.ini" 2>&1); rc=$?
is "$rc" 0 "check clone_compare on the identical copy: exit 0"
printf '%s\n' "$out" | grep -q 'Checking clone: .*cmp_new.* ok'; ok $? "check line says ok"
[ "$rc" -eq 0 ] || diag "$out"

# One row, one column type, one index and one sequence value.
q -d cmp_new <<'SQL'
INSERT INTO customers (id, name) VALUES (100, 'Extra');
ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2);
DROP INDEX orders_customer_idx;
CREATE INDEX orders_customer_idx ON orders (customer_id, created);
SELECT setval('invoice_no_seq', 1000);
SQL

out=$("$OSMIGRATE" compare --exact "$OLD" "$NEW"); rc=$?
is "$rc" 2 "differences found: exit 2"
has "table public.customers: row count 3 in old, 4 in new" "the extra row is found"
has "column public.orders.total: type numeric(10,2) in old, numeric(12,2) in new" \
	"the column type change is found"
has "index public.orders_customer_idx: definition CREATE INDEX orders_customer_idx ON public.orders USING btree (customer_id) in old, CREATE INDEX orders_customer_idx ON public.orders USING btree (customer_id, created) in new" \
	"the index change is found"
has "sequence public.invoice_no_seq: last value 42 in old, 1000 in new" \
	"the sequence value change is found"
has "result: 4 differences" "exactly these four differences"
[ "$rc" -eq 2 ] || diag "$out"

out=$("$OSMIGRATE" check restore-database --step verify --answers "$work/answers.ini" 2>&1); rc=$?
is "$rc" 2 "check clone_compare after the changes: FAILED (exit 2)"
has "4 differences, first:" "the check summary counts the differences"
has "sequence public.invoice_no_seq: last value 42 in old, 1000 in new" "and lists them"
has "do not decommission it" "the fix keeps the old server"

# Statistics are flushed when a session ends: the estimate sees the row too.
out=$("$OSMIGRATE" compare "$OLD" "$NEW"); rc=$?
is "$rc" 2 "estimated counts: exit 2"
has "table public.customers: estimated row count ~3 in old, ~4 in new" \
	"the estimate differs and says it is an estimate"
has "confirm those with --exact" "estimated differences point to --exact"

# [compare] exact = no: the check compares the estimates, as compare
# without --exact does (the default counts every row).
printf '[compare]\nold = %s\nnew = %s\nexact = no\n' "$OLD" "$NEW" >"$work/estimated.ini"
out=$("$OSMIGRATE" check restore-database --step verify --answers "$work/estimated.ini" 2>&1); rc=$?
is "$rc" 2 "check clone_compare with [compare] exact = no: FAILED (exit 2)"
has "table public.customers: estimated row count ~3 in old, ~4 in new" \
	"exact = no: the check compares the estimates"
has "set [compare] exact = yes to count" "and says how to count instead"
[ "$rc" -eq 2 ] || diag "$out"
# [compare] schemas is a list like [scope] schemas: a quoted name may hold a space.
printf '[compare]\nold = %s\nnew = %s\nschemas = "Sales Dept"\nexact = yes\n' "$OLD" "$NEW" \
	>"$work/schemas.ini"
out=$("$OSMIGRATE" check restore-database --step verify --answers "$work/schemas.ini" \
	--state "$work/schemas-state.ini" --save-answers "$work/schemas-saved.ini" 2>&1); rc=$?
is "$rc" 0 "check clone_compare limited by [compare] schemas to an unchanged schema: exit 0"
grep -q '^summary = identical structure and row counts (contents not compared): 1 schemas, 1 tables, 1 view,' "$work/schemas-state.ini"
ok $? "only the objects of that schema are compared"
[ "$rc" -eq 0 ] || diag "$out"
sed -n '/^\[compare\]/,$p' "$work/schemas-saved.ini" | grep -v '^$' >"$work/compare-saved"
printf '%s\n' '[compare]' "old = $OLD" "new = $NEW" 'schemas = "Sales Dept"' 'exact = yes' |
	cmp -s - "$work/compare-saved"
ok $? "--save-answers keeps [compare] schemas and exact, in the schema's order"

"$OSMIGRATE" compare --exact --format json "$OLD" "$NEW" >"$work/diff.json"
is "$?" 2 "JSON: exit 2"
python3 - "$work/diff.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["result"] == "different", d["result"]
got = {(x["kind"], x["object"], x["what"], x["old"], x["new"]) for x in d["differences"]}
want = {
    ("rows", "public.customers", "row count", "3", "4"),
    ("column", "public.orders.total", "type", "numeric(10,2)", "numeric(12,2)"),
    ("sequence", "public.invoice_no_seq", "last value", "42", "1000"),
}
assert want <= got, got
idx = [x for x in d["differences"] if x["kind"] == "index"]
assert len(idx) == 1 and idx[0]["object"] == "public.orders_customer_idx" \
    and idx[0]["what"] == "definition" and "(customer_id, created)" in idx[0]["new"], idx
assert all(x["message"].startswith(("table ", "column ", "index ", "sequence "))
           for x in d["differences"]), d["differences"]
assert len(d["differences"]) == 4, d["differences"]
PY
ok $? "JSON shape of the differences"

# Only the quoted schema: nothing changed there.
out=$("$OSMIGRATE" compare --exact --schema 'Sales Dept' "$OLD" "$NEW"); rc=$?
is "$rc" 0 "--schema limits the comparison to an unchanged schema: exit 0"
printf '%s\n' "$out" | grep -q 'compared: 1 schemas, 1 tables, 1 view,'; ok $? "--schema: only its objects"

"$OSMIGRATE" compare --schema no_such_schema "$OLD" "$NEW" >"$work/out" 2>&1
is "$?" 3 "a schema in neither database: could not compare (exit 3)"

# A table only in the new database is one difference, not one per column.
q -d cmp_new -c 'CREATE TABLE public.extra (a int PRIMARY KEY, b text)'
out=$("$OSMIGRATE" compare --exact "$OLD" "$NEW")
is "$(printf '%s\n' "$out" | grep -c 'public\.extra')" 1 \
	"a table only in new is reported once (not its columns, index and constraint)"
has "table public.extra: only in new" "and says on which side it is"

# Odd names are quoted in the text and escaped in JSON.
q -d cmp_new -c 'ALTER TABLE "Sales Dept"."Odd ""Name""" ADD COLUMN "z\" int'
"$OSMIGRATE" compare --format json --schema 'Sales Dept' "$OLD" "$NEW" >"$work/odd.json"
is "$?" 2 "a column added to a table with an odd name: exit 2"
python3 - "$work/odd.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert [x["object"] for x in d["differences"]] == ['"Sales Dept"."Odd ""Name"""."z\\"'], d
assert d["differences"][0]["message"].startswith('column "Sales Dept"'), d
PY
ok $? "the object is the quoted qualified name"

# Ctrl-C while a query waits for a lock: the query is cancelled on the
# server (PQcancel), the command ends with 130, no session is left.
# pg_get_indexdef opens the table of public.orders' indexes, so the catalog
# read waits; public.empty_never_touched has no index: only its count waits.
interrupt_blocked() { # table expected-message
	pg_psql -X -q -d cmp_new -c 'BEGIN' -c "LOCK TABLE $1 IN ACCESS EXCLUSIVE MODE" \
		-c 'SELECT pg_sleep(60)' >/dev/null 2>&1 &
	lockpid=$!
	i=0
	until [ "$(pg_psql -X -At -d postgres -c "SELECT count(*) FROM pg_locks WHERE mode = 'AccessExclusiveLock' AND relation IS NOT NULL AND granted")" -ge 1 ] ||
		[ $i -ge 50 ]; do sleep 0.2; i=$((i + 1)); done
	"$OSMIGRATE" compare --exact "$OLD" "$NEW" >"$work/out" 2>&1 &
	cmppid=$!
	i=0
	until [ "$(pg_psql -X -At -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'osmigrate' AND wait_event_type = 'Lock'")" -ge 1 ] ||
		[ $i -ge 50 ]; do sleep 0.2; i=$((i + 1)); done
	kill -INT "$cmppid"
	wait "$cmppid"
	is "$?" 130 "SIGINT while waiting for a lock on $1: exit 130"
	grep -q "^result: could not compare: $2" "$work/out"; r=$?
	ok $r "and says: $2"
	[ $r -eq 0 ] || diag "$(cat "$work/out")"
	for i in 1 2 3 4 5 6 7 8 9 10; do
		n=$(pg_psql -X -At -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'osmigrate'")
		[ "$n" = 0 ] && break
		sleep 0.5
	done
	is "$n" 0 "the blocked query is gone from the server"
	pg_psql -X -q -d postgres -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()" >/dev/null
	wait "$lockpid" 2>/dev/null
}
interrupt_blocked public.orders "new: could not read the .*: cancelled"
interrupt_blocked public.empty_never_touched "cancelled while counting rows of public.empty_never_touched"

# Progress per table goes to a terminal (script(1) provides one).
if command -v script >/dev/null 2>&1; then
	script -qec "\"$OSMIGRATE\" compare --exact \"$OLD\" \"$NEW\"" /dev/null >"$work/tty" 2>&1 </dev/null
	grep -q 'counting rows: public.customers' "$work/tty"; ok $? "progress names the table being counted on a terminal"
	"$OSMIGRATE" compare --exact "$OLD" "$NEW" >"$work/notty" 2>&1
	grep -q 'counting rows' "$work/notty"; ok $((! $?)) "no progress ticker when stderr is not a terminal"
else
	skip "script(1) not installed"
	skip "script(1) not installed"
	skip "script(1) not installed"
fi

# Could not connect: nothing listens on the old port once the server is down.
"$OSMIGRATE" compare "host=127.0.0.1 port=1 user=osm_admin dbname=x connect_timeout=5" "$NEW" \
	>"$work/out" 2>&1
is "$?" 3 "could not connect: exit 3"
grep -q '^result: could not compare: old:' "$work/out"; ok $? "says which side failed"
grep -q '^what to do: ' "$work/out"; ok $? "and what to do"
"$OSMIGRATE" compare --format json "host=127.0.0.1 port=1 user=osm_admin dbname=x" "$NEW" \
	>"$work/err.json" 2>/dev/null
is "$?" 3 "could not connect, JSON: exit 3"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["result"]=="error" and d["error"]["side"]=="old" and d["error"]["fix"], d' \
	"$work/err.json"
ok $? "JSON error object names the side and the fix"

# Usage errors.
"$OSMIGRATE" compare "$OLD" >/dev/null 2>&1; is "$?" 64 "one database only: exit 64"
"$OSMIGRATE" compare --format xml "$OLD" "$NEW" >/dev/null 2>&1; is "$?" 64 "unknown format: exit 64"
"$OSMIGRATE" compare "host='unterminated" "$NEW" >/dev/null 2>&1; is "$?" 64 "invalid conninfo: exit 64"
"$OSMIGRATE" compare --help | grep -q 'Exit status: 0 identical'; ok $? "--help documents exit codes"

# Every session was closed, also after failures.
for i in 1 2 3 4 5 6 7 8 9 10; do
	n=$(pg_psql -X -At -d postgres -c "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'osmigrate'")
	[ "$n" = 0 ] && break
	sleep 0.5
done
is "$n" 0 "no osmigrate session left behind"

done_testing
