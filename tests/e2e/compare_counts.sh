#!/bin/sh
# compare_counts.sh - the clone verification beyond PostgreSQL: `compare
# --counts OLD.csv NEW.csv` on sqlcmd/sqlplus exports (one difference: exit
# 2), malformed and same-file input (exit 3), `--counts-query`, and the
# verify step's clone_compare recording the comparison with both files'
# SHA-256, or showing the query for the DBMS [compare] dbms or LifeTime's
# DatabaseProvider names.
. "$top_srcdir/tests/lib/tap.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-counts.XXXXXX")
fx="$top_srcdir/scripts/httpfixture.sh"
cleanup() {
	sh "$fx" stop "$work/fx" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
trap 'cleanup; exit 129' HUP
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
unset OSMIGRATE_LIFETIME_TOKEN http_proxy https_proxy HTTPS_PROXY ALL_PROXY all_proxy

# sqlcmd -s, -W output (BOM, CRLF, header, dashes, footer) and the new
# server's export of the same tables, one count different.
printf '\357\273\277schema_name,table_name,row_count\r\n-----------,----------,---------\r\ndbo,OSSYS_ESPACE,42\r\ndbo,OSSYS_ENTITY,1200\r\ndbo,OSSYS_EXTENSION,7\r\n\r\n(3 rows affected)\r\n' >"$work/old.csv"
printf 'schema_name,table_name,row_count\n-----------,----------,---------\ndbo,OSSYS_EXTENSION,7\ndbo,OSSYS_ESPACE,42\ndbo,OSSYS_ENTITY,1199\n' >"$work/new.csv"
cp "$work/old.csv" "$work/same.csv"

"$OSMIGRATE" compare --counts "$work/old.csv" "$work/new.csv" >"$work/out" 2>&1
is "$?" 2 "one count differs: exit 2"
grep -q '^  table dbo.OSSYS_ENTITY: row count 1200 in old, 1199 in new$' "$work/out"
ok $? "the difference names the table and both counts"
grep -q '^result: 1 difference$' "$work/out"; ok $? "one difference"
grep -q "^old: $work/old.csv (SHA-256 $(sha256sum <"$work/old.csv" | cut -c1-64))\$" "$work/out"
ok $? "the old file's SHA-256 is printed (as sha256sum computes it)"
grep -q 'structure and contents not compared' "$work/out"; ok $? "says what was not compared"

"$OSMIGRATE" compare --counts "$work/old.csv" "$work/same.csv" >"$work/out" 2>&1
is "$?" 0 "the same tables and counts: exit 0"
grep -q '^result: the same tables with the same row counts$' "$work/out"; ok $? "says so, not 'identical'"

"$OSMIGRATE" compare --counts --format json "$work/old.csv" "$work/new.csv" >"$work/out.json" 2>&1
python3 - "$work/out.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["source"] == "counts" and d["result"] == "different", d
assert len(d["old"]["sha256"]) == 64 and d["old"]["sha256"] != d["new"]["sha256"], d
assert d["differences"][0]["old"] == "1200" and d["differences"][0]["new"] == "1199", d
PY
ok $? "JSON: source counts, both digests, the difference"

"$OSMIGRATE" compare --counts "$work/old.csv" "$work/old.csv" >"$work/out" 2>&1
is "$?" 3 "one file as both: could not compare (exit 3)"
printf 'dbo,A,1\ndbo,B,twelve\n' >"$work/bad.csv"
"$OSMIGRATE" compare --counts "$work/old.csv" "$work/bad.csv" >"$work/out" 2>&1
is "$?" 3 "a malformed export: exit 3"
grep -q 'bad.csv, line 2' "$work/out"; ok $? "names the file and the line"
"$OSMIGRATE" compare --counts --exact "$work/old.csv" "$work/new.csv" >"$work/out" 2>&1
is "$?" 64 "--exact with --counts: usage error"

"$OSMIGRATE" compare --counts-query sqlserver >"$work/q" 2>&1
is "$?" 0 "--counts-query sqlserver: exit 0"
grep -q 'sys.partitions' "$work/q" && grep -q 'sqlcmd .*-s, -W' "$work/q"
ok $? "the SQL Server query and how to save it as CSV"
grep -q 'general SQL Server practice (not OutSystems documentation)' "$work/q" && grep -q 'WITH LOGIN' "$work/q"
ok $? "orphaned users: guidance marked as not OutSystems documentation"
"$OSMIGRATE" compare --counts-query oracle >"$work/q" 2>&1
grep -q 'user_tables' "$work/q" && grep -q 'MARKUP CSV' "$work/q" && ! grep -q 'sys.partitions' "$work/q"
ok $? "the Oracle query, exact counts, sqlplus csv"

# ---- the verify step records it -------------------------------------------------
result() {
	sed -n "/^\\[check \"$1\"\\]/,/^\$/p" "$work/st.ini" |
		awk '/^detail\+ = /{ printf "%s", substr($0, 11); next } { printf "\n%s", $0 } END { print "" }' |
		sed 's/\\x20/ /g; s/\\n/\n/g'
}
printf '[compare]\nold_counts = %s\nnew_counts = %s\n' "$work/old.csv" "$work/new.csv" >"$work/a.ini"
"$OSMIGRATE" check restore-database --step verify --answers "$work/a.ini" --state "$work/st.ini" \
	>"$work/out" 2>&1 </dev/null
is "$?" 2 "check --step verify with one count different: exit 2"
grep -q '^Checking clone: row counts of .* FAILED$' "$work/out"; ok $? "clone_compare FAILED"
result clone_compare | grep -q "evidence: old $work/old.csv SHA-256 $(sha256sum <"$work/old.csv" | cut -c1-64)\$"
ok $? "the old file's digest is recorded"
result clone_compare | grep -q "evidence: new $work/new.csv SHA-256 $(sha256sum <"$work/new.csv" | cut -c1-64)\$"
ok $? "the new file's digest is recorded"
"$OSMIGRATE" status --state "$work/st.ini" >"$work/out" 2>&1
grep -q 'clone_compare' "$work/out"; ok $? "status shows the recorded verify check"

rm -f "$work/st.ini"
printf '[compare]\ndbms = oracle\n' >"$work/b.ini"
"$OSMIGRATE" check restore-database --step verify --answers "$work/b.ini" --state "$work/st.ini" \
	>"$work/out" 2>&1 </dev/null
is "$?" 3 "nothing to compare: could not check (exit 3)"
result clone_compare | grep -q 'FROM user_tables' && ! result clone_compare | grep -q 'sys.partitions'
ok $? "[compare] dbms = oracle: the detail shows the Oracle query"

if sh "$fx" start "$work/fx" --owner $$ >"$work/start.out" 2>&1; then
	. "$work/fx/env"
	rm -f "$work/st.ini"
	printf '[lifetime]\nurl = %s\ntoken_file = %s\n' "$LIFETIME_URL" "$LIFETIME_TOKEN_FILE" >"$work/c.ini"
	"$OSMIGRATE" check restore-database --step verify --answers "$work/c.ini" --state "$work/st.ini" \
		>"$work/out" 2>&1 </dev/null
	result clone_compare | grep -q 'sys.partitions' && ! result clone_compare | grep -q 'user_tables'
	ok $? "LifeTime's DatabaseProvider SqlServer: the detail shows the SQL Server query"
else
	skip "nginx fixture did not start: LifeTime's DatabaseProvider"
fi

done_testing
