#!/bin/sh
# tui_types_items: the type verification runs before the first rebind, and
# the Rebind and Refresh items show, per extension, what it found on that
# extension's tables (counts by severity, the blockers by name): what the
# operator must expect from Refresh Entity.  `status` and `report` list the
# same line under each extension.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
. "$top_srcdir/tests/lib/pg.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"
pg_start
trap 'pg_cleanup; _tmux_cleanup' EXIT
trap 'pg_cleanup; _tmux_cleanup; exit 1' INT TERM HUP

pg_psql -q <<'EOS' >/dev/null
CREATE SCHEMA shop;
CREATE TABLE shop.orders (id integer PRIMARY KEY, weight real, total numeric(12,2));
INSERT INTO shop.orders VALUES (1, 1.5, 'NaN'), (2, 2.5, 10);
CREATE TABLE shop.customers (id integer PRIMARY KEY, name varchar(50) NOT NULL);
INSERT INTO shop.customers VALUES (1, 'x');
GRANT USAGE ON SCHEMA shop TO osm_app;
GRANT SELECT ON ALL TABLES IN SCHEMA shop TO osm_app;
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

[extension "Orders"]
tables = shop.orders

[extension "Customers"]
tables = shop.customers

[extension "Typo"]
tables = shop.nosuch
EOA
state=$TMUX_WORK/cm.ini
tmux_start 120 40 env -u PGPASSWORD PGPASSFILE="$FIXTURE_PGPASS" "$OSMIGRATE" \
	--answers "$answers" --state "$state" connector-migration
tmux_wait "Actions (Space ticks)"
tmux_keys n n
tmux_wait "step 3/9"; ok $? "the type scan is step 3, before the rebind"
tmux_screen | grep -q 'Added by osmigrate'; ok $? "marked as added by osmigrate"
tmux_screen | grep -q 'not run yet. Press r to compare'; ok $? "the step says r runs it there"
tmux_keys r
tmux_wait "Type verification (" 30; ok $? "r scans on the step"
tmux_wait "BLOCKER shop.orders.weight TYPE_CHANGED"; ok $? "the step names its blockers"
tmux_screen | grep -q 'BLOCKER shop.orders.total NUMERIC_NAN'; ok $? "value blockers too"

tmux_keys n
tmux_wait "step 4/9"
tmux_wait "Rebind extensions"
scr=$(tmux_screen)
printf '%s\n' "$scr" | grep -A1 'Orders  0/2' | grep -q 'type verification: 2 blockers, 1 warning, 0 infos'
ok $? "rebind: Orders shows its counts by severity"
printf '%s\n' "$scr" | grep -A1 'type verification: 2 blockers' | grep -q 'blockers: shop.orders.weight (TYPE_CHANGED), shop.orders.total'
ok $? "rebind: and its blockers by name"
printf '%s\n' "$scr" | grep -A1 'Customers  0/2' | grep -q 'type verification: 0 blockers, 1 warning, 0 infos in its 1 table'
ok $? "rebind: Customers has no blocker"
printf '%s\n' "$scr" | grep -A1 'Typo  0/2' | grep -q 'could not check: the scan matched nothing for its'
ok $? "rebind: an extension whose table matched nothing could not be checked (never ok)"
printf '%s\n' "$scr" | grep -A2 'Typo  0/2' | grep -q 'table shop.nosuch'
ok $? "rebind: and names the table"
tmux_keys n
tmux_wait "step 5/9"
tmux_screen | grep -q 'blockers: shop.orders.weight (TYPE_CHANGED)'; ok $? "refresh: the same per extension"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"

out=$("$OSMIGRATE" status --state "$state" 2>&1)
printf '%s\n' "$out" | grep -A1 ' Orders ' | grep -q 'type verification: 2 blockers.*blockers: shop.orders.weight (TYPE_CHANGED)'
ok $? "status: the rebind item shows its findings"
"$OSMIGRATE" report --state "$state" --format md -o "$TMUX_WORK/r.md" >/dev/null 2>&1
grep -q '^  - type verification: 2 blockers' "$TMUX_WORK/r.md"; ok $? "report (md): under the extension"
"$OSMIGRATE" report --state "$state" --format json -o "$TMUX_WORK/r.json" >/dev/null 2>&1
python3 - "$TMUX_WORK/r.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = {x["id"]: x for x in d["steps"]}
for step in ("rebind", "refresh"):
    it = {i["name"]: i for i in s[step]["items"]}
    assert it["Orders"]["type_verification"]["verdict"] == "FAILED", it["Orders"]
    assert "shop.orders.weight (TYPE_CHANGED)" in it["Orders"]["type_verification"]["summary"]
    assert it["Customers"]["type_verification"]["verdict"] == "warning", it["Customers"]
    assert "0 blockers" in it["Customers"]["type_verification"]["summary"]
    assert it["Typo"]["type_verification"]["verdict"] == "error", it["Typo"]
assert all("type_verification" not in i for i in s["deploy"]["items"])
PY
ok $? "report (json): each extension's verdict and summary"

# Settings changed since the scan: the per-extension line says stale.
sed -i 's/^tables = shop.customers$/tables = shop.customers, shop.orders/' "$state"
out=$("$OSMIGRATE" status --state "$state" 2>&1)
printf '%s\n' "$out" | grep -A1 ' Customers ' | grep -q 'type verification, stale'
ok $? "status: stale once the settings changed"
done_testing
