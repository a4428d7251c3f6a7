#!/bin/sh
# tui_types_layout: the types screen takes the whole terminal.  At 80x24
# each list row is one line that names its schema.table.column (a table
# finding "schema.table", no trailing dot), the code cut with an ellipsis
# when it does not fit; the rows are grouped by table then column (as
# `types --format text`); the sample keys are labelled; the detail pane
# scrolls (J/K).  At 132x43 the list uses the height.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
. "$top_srcdir/tests/lib/pg.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"
pg_start
trap 'pg_cleanup; _tmux_cleanup' EXIT
trap 'pg_cleanup; _tmux_cleanup; exit 1' INT TERM HUP

pg_psql -q <<'EOS' >/dev/null
CREATE SCHEMA sales_department;
CREATE TABLE sales_department.customer_order_lines (id integer PRIMARY KEY,
  unit_price_including_tax numeric, weight real, amount money, placed timestamptz,
  note text);
INSERT INTO sales_department.customer_order_lines VALUES
  (1, 'NaN', 1.5, 1, now(), 'a'), (2, 5, 2, 2, now(), 'b'), (3, 'NaN', 3, 3, now(), 'c');
CREATE TABLE sales_department.pairs (a integer, b integer, qty numeric, PRIMARY KEY (a, b));
INSERT INTO sales_department.pairs VALUES (1, 1, 1);
DO $$ BEGIN
  EXECUTE 'CREATE TABLE sales_department.wide (id integer PRIMARY KEY, '
    || (SELECT string_agg(format('m%s money', g), ', ') FROM generate_series(1, 30) g) || ')';
END $$;
GRANT USAGE ON SCHEMA sales_department TO osm_app;
GRANT SELECT ON ALL TABLES IN SCHEMA sales_department TO osm_app;
EOS
ok $? "fixture schema created"

answers=$TMUX_WORK/answers.ini
cat >"$answers" <<EOA
[target]
host = 127.0.0.1
port = $PGPORT
dbname = $PGDATABASE
user = osm_app
sslmode = disable

[scope]
schemas = sales_department
EOA
state=$TMUX_WORK/cm.ini
run() { # COLS ROWS
	tmux_start "$1" "$2" env -u PGPASSWORD PGPASSFILE="$FIXTURE_PGPASS" "$OSMIGRATE" \
		--answers "$answers" --state "$state" connector-migration
}
# The list rows: "> " or "  ", then a severity word.
rows() { tmux_screen | grep -E '^ ?[> ] (BLOCKER|warning|info|B|w|i) sales_'; }
run 80 24
tmux_wait "Actions (Space ticks)"
tmux_keys t
tmux_wait "Not scanned yet"
tmux_keys r
tmux_wait "blockers," 30; ok $? "r scans"
tmux_wait_gone "(Esc cancels)" 30
tmux_screen >"$TMUX_WORK/80.screen"
grep -q 'Prerequisites' "$TMUX_WORK/80.screen"; [ $? -ne 0 ]; ok $? "80x24: no step list beside it"
rows >"$TMUX_WORK/80.rows"
n80=$(wc -l <"$TMUX_WORK/80.rows")
[ "$n80" -ge 6 ]; ok $? "80x24: $n80 rows listed"
# Each row: a severity, then the place whole, then the code.
bad=$(sed 's/^ \{0,1\}[> ] //' "$TMUX_WORK/80.rows" | awk '{ print $2 }' |
	grep -Evc '^sales_department\.(customer_order_lines|pairs|wide)(\.[a-z_0-9]+)?$')
is "$bad" 0 "80x24: every row names schema.table.column whole (a table finding schema.table)"
grep -q 'sales_department\.pairs  COMPOSITE_KEY' "$TMUX_WORK/80.rows"; ok $? "80x24: a table finding reads s.t, no trailing dot"
grep -Eq 'unit_price_including_tax  NUMERIC_[A-Z]*(…|~)$' "$TMUX_WORK/80.rows"
ok $? "80x24: a code that does not fit is cut with an ellipsis"
grep -q 'B blocker  w warning  i info' "$TMUX_WORK/80.screen"; ok $? "80x24: long names: the severity in one letter, with its legend"
# Grouped by table then column: once the list leaves a place it never comes back.
sed 's/^ \{0,1\}[> ] //' "$TMUX_WORK/80.rows" | awk '{ print $2 }' | awk '
	$0 != prev { if (seen[$0]++) bad = 1; prev = $0 } END { exit bad }'
ok $? "80x24: a column's findings are listed together"
tmux_keys Down Down
tmux_wait "Sample keys: lowest id=1, highest id=3"; ok $? "80x24: the sample keys are labelled"
tmux_screen | grep -q '^ sales_department.customer_order_lines.unit_price_including_tax  BLOCKER'
ok $? "80x24: the detail starts with the place and the finding"
tmux_screen | grep -q '^ fix: '; [ $? -ne 0 ]; ok $? "80x24: its fix is below the pane (it scrolls)"
tmux_keys J
tmux_wait '^ fix: ' 2 >/dev/null 2>&1 || tmux_screen | grep -q '^ fix: '
ok $? "80x24: J scrolls the detail to the fix"
tmux_screen | grep -q '^ sales_department.customer_order_lines.unit_price_including_tax  BLOCKER'
[ $? -ne 0 ]; ok $? "80x24: the first detail line scrolled away"
tmux_keys K
tmux_wait "unit_price_including_tax  BLOCKER"; ok $? "80x24: K scrolls back"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"

# The report names a table finding "s.t" too.
"$OSMIGRATE" report --state "$state" --format text >"$TMUX_WORK/report.md" 2>&1
grep -q 'warning sales_department.pairs: composite primary key' "$TMUX_WORK/report.md"
ok $? "report: a table finding reads s.t, no trailing dot, no empty type"
grep -Eq 'sales_department\.[a-z_]+\.( |\()' "$TMUX_WORK/report.md"; [ $? -ne 0 ]
ok $? "report: no place ends in a dot"

run 132 43
tmux_wait "A saved session exists"; tmux_keys r
tmux_wait "Actions (Space ticks)"
tmux_keys t
tmux_wait "blockers,"
rows >"$TMUX_WORK/132.rows"
n132=$(wc -l <"$TMUX_WORK/132.rows")
[ "$n132" -ge 20 ] && [ "$n132" -gt $((n80 + 8)) ]; ok $? "132x43: the list uses the height ($n132 rows, $n80 at 80x24)"
grep -q '^ \{0,1\}[> ] BLOCKER sales_department.customer_order_lines.unit_price_including_tax  NUMERIC_NAN$' "$TMUX_WORK/132.rows"
ok $? "132x43: the severity word and the whole code"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
done_testing
