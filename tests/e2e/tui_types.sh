#!/bin/sh
# tui_types: the types screen scans through the target connection in the
# worker, lists the findings (filterable, sortable, with the fix), stores
# them in the state, and a resumed session shows them without rescanning.
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
CREATE TABLE shop.orders (id serial PRIMARY KEY, amount money, placed timestamptz,
  big numeric(40,5), flags bit(3), tags text[], payload jsonb, note text, qty bigint);
INSERT INTO shop.orders (amount, placed, big, flags, tags, payload, note, qty)
VALUES (12.5, now(), 123456789012345678901234567890.5, B'101', '{a,b}', '{"k":1}', 'x', 9007199254740993);
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

[scope]
schemas = shop
EOA
state=$TMUX_WORK/cm.ini
run() {
	tmux_start 100 30 env -u PGPASSWORD PGPASSFILE="$FIXTURE_PGPASS" "$OSMIGRATE" "$@"
}
run --answers "$answers" --state "$state" connector-migration
tmux_wait "Actions (Space ticks)"
tmux_keys t
tmux_wait "Not scanned yet"; ok $? "t opens the types screen; nothing scanned yet"
tmux_keys r
tmux_wait "blockers," 30; ok $? "r scans and shows the summary counts"
tmux_screen | grep -q 'shop.orders.amount'; ok $? "the money column is listed"
grep -q '^\[types\]' "$state"; ok $? "[types] stored in the state"
# Trial M5: the scan started over another step (prerequisites) is the type
# verification's: journalled under its step, said as such, never as the
# checks of the step it was started from.
tmux_wait "type verification warning: 0 blockers, 6 warnings" 5; ok $? "the message names the type verification"
tmux_screen | grep -q 'checks warning'; [ $? -ne 0 ]; ok $? "not \"checks warning\" on a step whose checks did not run"
grep -qF "$(printf '\ttype_scan\t\tcheck\twarning: 0 blockers, 6 warnings')" "$state.journal"; ok $? "journalled under the type scan step"
grep -qF "$(printf '\tprerequisites\t\tcheck\t')" "$state.journal"; [ $? -ne 0 ]
ok $? "nothing journalled as the prerequisites' checks"
n=$(grep -c '^\[finding "' "$state"); [ "$n" -ge 1 ]; ok $? "findings stored ($n)"
tmux_screen | grep -q '^.*fix: '; ok $? "detail pane shows the fix"
at=$(sed -n '/^\[types\]/,/^\[/s/^at = //p' "$state")
tmux_keys /
tmux_wait "Filter"; tmux_text "amount"; tmux_keys Enter
tmux_wait "filter: amount"; ok $? "filter applied"
shown=$(tmux_screen | grep -c 'shop\.orders\.')
tmux_screen | grep 'shop\.orders\.' | grep -vq 'amount'; [ $? -ne 0 ]; ok $? "only matching findings listed ($shown)"
tmux_keys o
tmux_wait "sort: severity"; ok $? "o changes the sort"
tmux_keys f
tmux_wait "severity: blocker"; ok $? "f filters by severity"
tmux_keys Escape
tmux_wait "Spc tick"; ok $? "Esc back to the step"
tmux_screen | grep -q '>\[>\] Prerequisites'; ok $? "the step it was started from keeps its mark"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"

# Resume: the findings come from the state file, no rescan.
run --state "$state" connector-migration
tmux_wait "A saved session exists"; tmux_keys r
tmux_wait "Actions (Space ticks)"
tmux_keys t
tmux_wait "$at"; ok $? "resumed session shows the stored scan ($at)"
tmux_screen | grep -q 'shop.orders.amount'; ok $? "stored findings listed"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
done_testing
