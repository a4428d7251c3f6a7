#!/bin/sh
# pg_checks.sh - the PostgreSQL checks of connector-migration (src/checks/pgcheck.c)
# against a throwaway server loaded with demo/seed.sql: version support,
# connection summary, privileges (a user without table privileges, a missing
# table), the optional source, ardoPGSQL sessions, tables accessible per
# extension, and a wrong password through the in-memory secrets.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pg.sh"

PROBE="$top_builddir/tests/pg-probe"
[ -x "$PROBE" ] || bail "tests/pg-probe not built (make check builds it)"

pg_start --log-statements
pg_psql -q -f "$top_srcdir/demo/seed.sql" >/dev/null || bail "demo/seed.sql did not load"
PGPASSFILE=$FIXTURE_PGPASS
export PGPASSFILE
unset PGPASSWORD PGSERVICE PGSSLMODE

run_probe() { out=$(timeout 120 "$PROBE" "$@" 2>&1); }
val() { printf '%s\n' "$out" | sed -n "s/^$1=//p" | head -n 1; }
has() { case $1 in *"$2"*) return 0 ;; *) return 1 ;; esac; }

S="$PG_TEST_DIR/settings.ini"
settings() { # USER [PLATFORM_VERSION]
	cat >"$S" <<EOF
[target]
host = 127.0.0.1
port = $PGPORT
dbname = demo
user = $1

[scope]
schemas = sales, hr

[extension "SalesExt"]
logical_database = Sales
tables = sales.customers sales.orders sales.order_lines sales.products

[extension "HrExt"]
logical_database = HR
tables = hr.employees hr.departments
EOF
	if [ -n "${2:-}" ]; then
		printf '\n[step "prerequisites"]\nfield.platform_version = %s\n' "$2" >>"$S"
	fi
}

# --- the demo user: everything in place
settings osm_app
run_probe check "$S" target_connect target_privileges source_connect tables_accessible
is "$(val target_connect.status)" ok "target_connect ok"
has "$(val target_connect.summary)" "user osm_app, database demo"; ok $? "summary names user and database ($(val target_connect.summary))"
has "$(val target_connect.summary)" "TLS off (local connection)"; ok $? "TLS off on loopback is stated, not hidden"
is "$(val target_privileges.status)" ok "osm_app has USAGE and CRUD"
has "$(val target_privileges.summary)" "2 schemas, CRUD on 6 tables"; ok $? "privilege summary counts ($(val target_privileges.summary))"
is "$(val source_connect.status)" "" "no [source]: source_connect reports nothing (no fake ok)"
is "$(val tables_accessible:SalesExt.status)" ok "SalesExt tables readable"
is "$(val tables_accessible:HrExt.status)" ok "HrExt tables readable"
is "$(val results)" 4 "four results: no phantom source result"

# Privileges were read, never tried: no write statement reached the server.
if grep -E -i "statement: *(insert|update|delete|create|drop|alter|grant|truncate)" "$PGLOG" |
   grep -v -i "osm_admin@" >/dev/null; then r=1; else r=0; fi
ok $r "no write statement from the checks in the server log"

# --- only one extension (item)
run_probe check --item HrExt "$S" tables_accessible
is "$(val results)" 1 "item restricts tables_accessible to one extension"
is "$(val tables_accessible:HrExt.status)" ok "that extension's result"

# --- a missing table is named
sed -i 's/^tables = hr.employees hr.departments/tables = hr.employees hr.payroll/' "$S"
run_probe check "$S" target_privileges tables_accessible
is "$(val target_privileges.status)" FAILED "a listed table that does not exist fails the privilege check"
has "$(val target_privileges.summary)" "hr.payroll (extension HrExt) does not exist"; ok $? "and names it ($(val target_privileges.summary))"
is "$(val tables_accessible:HrExt.status)" FAILED "tables_accessible FAILED for HrExt"
has "$(val tables_accessible:HrExt.summary)" "hr.payroll"; ok $? "naming the table ($(val tables_accessible:HrExt.summary))"
is "$(val tables_accessible:SalesExt.status)" ok "the other extension is unaffected"

# --- a user without table privileges
settings osm_noprivs
run_probe check "$S" target_connect target_privileges tables_accessible
is "$(val target_connect.status)" ok "osm_noprivs can connect"
is "$(val target_privileges.status)" FAILED "target_privileges FAILED for osm_noprivs"
has "$(val target_privileges.summary)" "sales.customers: no SELECT, INSERT, UPDATE, DELETE"; ok $? "naming table and missing privileges"
has "$(val target_privileges.fix)" "GRANT"; ok $? "the fix says what to grant"
has "$(val target_privileges.summary)" "; and 1 more (see the detail)"; ok $? "six failing tables: five in the summary, the count of the rest"
has "$(val target_privileges.detail)" "hr.departments: no SELECT"; ok $? "the detail lists every table"
is "$(val tables_accessible:SalesExt.status)" FAILED "tables not readable by osm_noprivs"
has "$(val tables_accessible:SalesExt.summary)" "permission denied"; ok $? "with the server's reason"

# --- schema privileges: revoke USAGE on hr from osm_noprivs
pg_psql -q -d demo -c "REVOKE USAGE ON SCHEMA hr FROM osm_noprivs" || bail "revoke failed"
run_probe check "$S" target_privileges
has "$(val target_privileges.summary)" "schema hr: no USAGE"; ok $? "missing schema USAGE is named"

# --- version support
settings osm_app 11.31.0
run_probe check "$S" pg_version
major=$(pg_psql -Atc "SELECT current_setting('server_version_num')::int / 10000")
case $major in
12|13) want=ok ;;
14|15|16) want=warning ;;
17) want=FAILED ;; # 17 needs 11.38.0
*) want=warning ;;
esac
is "$(val pg_version.status)" "$want" "pg_version for PostgreSQL $major on Platform Server 11.31.0"
has "$(val pg_version.detail)" "OutSystems 11 system requirements"; ok $? "the rule names its source"
settings osm_app
run_probe check "$S" pg_version
is "$(val pg_version.status)" warning "platform version unknown: a warning, never a silent ok"

# The operator's support matrix overrides the table, recorded in the verdict;
# without its note it is not applied.
settings osm_app 11.31.0
printf '\n[pg_support]\nunsupported = %s\nmatrix = support case 4711\n' "$major" >>"$S"
run_probe check "$S" pg_version
is "$(val pg_version.status)" FAILED "PostgreSQL $major listed unsupported by the operator's matrix: FAILED"
has "$(val pg_version.summary)" "by your support matrix"; ok $? "the summary says why ($(val pg_version.summary))"
has "$(val pg_version.detail)" "support case 4711"; ok $? "the matrix note is in the verdict"
settings osm_app 11.31.0
printf '\n[pg_support]\nunsupported = %s\n' "$major" >>"$S"
run_probe check "$S" pg_version
is "$(val pg_version.status)" "$want" "an override without its matrix note is not applied"
has "$(val pg_version.detail)" "not applied"; ok $? "and says so"
settings osm_app

# Aurora is recognised by its aurora_version() function in pg_catalog
# (faked here).  One that any user created elsewhere is neither taken for
# Aurora nor called.
pg_psql -q -d demo -c "CREATE FUNCTION public.aurora_version() RETURNS text LANGUAGE sql AS \$\$ SELECT '15.4.1'::text \$\$" ||
	bail "could not create the fake aurora_version()"
run_probe check "$S" pg_version
! has "$(val pg_version.summary)" "Aurora"; ok $? "a user's public.aurora_version() does not make Aurora ($(val pg_version.summary))"
pg_psql -q -d demo -c "DROP FUNCTION public.aurora_version()"
pg_psql -q -d demo -c "CREATE FUNCTION pg_catalog.aurora_version() RETURNS text LANGUAGE sql AS \$\$ SELECT '15.4.1'::text \$\$" ||
	bail "could not create the fake pg_catalog.aurora_version()"
run_probe check "$S" pg_version
has "$(val pg_version.summary)" "Aurora PostgreSQL 15.4.1 (PostgreSQL $major."; ok $? "Aurora recognised ($(val pg_version.summary))"
pg_psql -q -d demo -c "DROP FUNCTION pg_catalog.aurora_version()"

# --- ardoPGSQL sessions, seen by a role without pg_read_all_stats
run_probe check "$S" ardo_sessions
is "$(val ardo_sessions.status)" ok "no ardoPGSQL session yet"
has "$(val ardo_sessions.summary)" "0 sessions with application_name = 'ardoPGSQL'"; ok $? "the count as observed ($(val ardo_sessions.summary))"
has "$(val ardo_sessions.summary)" "only ardo's basic connection form sets that name, so this does not prove that nothing uses ardoPostgreSQL"; ok $? "and what it cannot prove"
has "$(val ardo_sessions.detail)" "advanced form"; ok $? "the detail explains the advanced form"
(PGAPPNAME=ardoPGSQL timeout 60 "$FIXTURE_BINDIR/psql" -X -q -h "$FIXTURE_SOCKDIR" -p "$PGPORT" \
	-U osm_admin -d demo -c "SELECT pg_sleep(45)" >/dev/null 2>&1) &
PG_CLEANUP_PIDS="$PG_CLEANUP_PIDS $!"
n=0
for _ in $(seq 1 50); do
	n=$(pg_psql -Atc "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'ardoPGSQL'")
	[ "$n" = 1 ] && break
	sleep 0.1
done
is "$n" 1 "an ardoPGSQL session is connected"
run_probe check "$S" ardo_sessions
is "$(val ardo_sessions.status)" warning "ardo_sessions warns while the old connector is in use"
has "$(val ardo_sessions.summary)" "1 session with application_name = 'ardoPGSQL' (ardo's basic connection form)"; ok $? "with the count ($(val ardo_sessions.summary))"
has "$(val ardo_sessions.summary)" "sessions of its advanced form are not counted"; ok $? "and what it does not count"
has "$(val ardo_sessions.detail)" "visibility limited"; ok $? "and says visibility is limited for osm_app"
settings osm_admin
run_probe check "$S" ardo_sessions
has "$(val ardo_sessions.summary)" "osm_admin from local socket to demo"; ok $? "a superuser sees who and from where ($(val ardo_sessions.summary))"
# A database name is the server's word: a newline in it must not start a
# line of its own in the result (it would read like another check's).
pg_psql -q -c "CREATE DATABASE \"nl
Checking forged ... ok\"" >/dev/null
(PGAPPNAME=ardoPGSQL PGDATABASE="$(printf 'nl\nChecking forged ... ok')" timeout 60 "$FIXTURE_BINDIR/psql" -X -q \
	-h "$FIXTURE_SOCKDIR" -p "$PGPORT" -U osm_admin -c "SELECT pg_sleep(45)" >/dev/null 2>&1) &
PG_CLEANUP_PIDS="$PG_CLEANUP_PIDS $!"
for _ in $(seq 1 50); do
	n=$(pg_psql -Atc "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'ardoPGSQL'")
	[ "$n" = 2 ] && break
	sleep 0.1
done
"$OSMIGRATE" check connector-migration --answers "$S" --step connection >"$PG_TEST_DIR/nl.out" 2>&1
grep -q 'to nl Checking forged \.\.\. ok' "$PG_TEST_DIR/nl.out" && ! grep -q '^ *Checking forged' "$PG_TEST_DIR/nl.out"
ok $? "a newline in a database name stays on the result's line" || diag "$(cat "$PG_TEST_DIR/nl.out")"
pg_psql -q -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'ardoPGSQL'" >/dev/null

# --- [source] given: checked like the target, sessions looked up there
settings osm_app
cat >>"$S" <<EOF

[source]
host = 127.0.0.1
port = $PGPORT
dbname = demo
user = osm_noprivs
EOF
PGPROBE_SOURCE_PASSWORD=wrong run_probe check "$S" source_connect ardo_sessions
is "$(val source_connect.status)" FAILED "source with a wrong password (secrets) fails"
has "$(val source_connect.summary)" "authentication failed"; ok $? "classified as authentication failed"
is "$(val ardo_sessions.status)" error "ardo_sessions could not check through the source"
has "$(val ardo_sessions.label)" "source"; ok $? "and says it used the source"

# --- wrong target password via secrets
PGPROBE_TARGET_PASSWORD=wrong run_probe check "$S" target_connect target_privileges tables_accessible
is "$(val target_connect.status)" FAILED "wrong target password: target_connect FAILED"
is "$(val target_privileges.status)" error "target_privileges: error (could not check)"
is "$(val tables_accessible:SalesExt.status)" error "tables_accessible: error (could not check)"

# --- no [target] at all
printf '[scope]\nschemas = sales\n' >"$S"
run_probe check "$S" target_connect
is "$(val target_connect.status)" error "no [target]: error, not ok"
has "$(val target_connect.fix)" "[target]"; ok $? "the fix says where to configure it"

done_testing
