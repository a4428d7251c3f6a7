#!/bin/sh
# proof_hostile_db.sh - a database built to attack cannot make osmigrate
# write, nor change a verdict, nor reach the terminal.
#
# Two copies of the demo database (demo/seed.sql) get the attack of
# tests/lib/proof_hostile.sql: a schema "evil" that overloads the functions,
# aggregates and operators a query may call and sits before pg_catalog in
# the search_path (ALTER DATABASE for the application role, ALTER ROLE ... IN
# DATABASE for the copy that plays the restored clone); operators an
# ordinary role added to a public schema anyone may write to (the only
# attack the SELECT-only role sees, with the ordinary search_path); and a
# row-level security policy whose function raises notices full of escape
# sequences and tries to write.  Two more copies stay clean: the twins.
#
# Every command of every runbook runs against both pairs, as the
# application's role and as a SELECT-only role: `check` of the three
# runbooks ([target], [source] and [compare] on the databases), `types`
# with and without data probes, from the answers and from a conninfo,
# `compare` with exact and estimated row counts, and the wizard's checks
# (r on the connection step, r on the types screen, in tmux).  Then:
#   - no row was written anywhere: both trap tables are empty, the
#     databases dump byte for byte as before, and the statistics count no
#     inserted, updated or deleted row;
#   - every verdict, finding and comparison equals the clean twin's, though
#     the hostile copies also set DateStyle, IntervalStyle, TimeZone and
#     extra_float_digits of their own;
#   - no notice text, escape sequence or bidi control reached any output,
#     and the notices were counted;
#   - the server log: nothing but reads, every osmigrate session pinned its
#     search_path first, every read ran in a READ ONLY transaction, every
#     function, operator and type was schema-qualified
#     (tests/lib/proof_pglog.py --qualified).
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/pg.sh"
. "$top_srcdir/tests/lib/proof.sh"

command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 reads the outputs and the server log"; exit 0; }
pg_start --log-statements
proof_workdir hostiledb
proof_demo
W=$PROOF_WORK
unset PGHOST PGUSER PGDATABASE PGPASSWORD PGOPTIONS OSMIGRATE_LIFETIME_TOKEN http_proxy https_proxy
export HOME="$W"

# psql as the superuser with the search_path pinned: the test's own
# queries must not spring the traps either.
hq() {  # DB SQL
	pg_psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$1" -c 'SET search_path = pg_catalog' -c "$2"
}

# The twins have the same length of name, so that padded outputs line up.
for db in control control_restored hostile hostile_restored; do
	case $db in hostile*) attack=on ;; *) attack=off ;; esac
	pg_psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE $db TEMPLATE demo" >/dev/null 2>"$W/setup.err" &&
		pg_psql -X -q -v ON_ERROR_STOP=1 -v hostile=$attack -d "$db" -f "$top_srcdir/tests/lib/proof_hostile.sql" \
			>/dev/null 2>"$W/setup.err" ||
		{ diag "$(cat "$W/setup.err")"; bail "could not create $db (tests/lib/proof_hostile.sql, hostile=$attack)"; }
done
pg_psql -X -q -v ON_ERROR_STOP=1 -d postgres >/dev/null 2>"$W/setup.err" <<'SQL' ||
ALTER DATABASE hostile SET search_path = evil, pg_catalog, public;
ALTER ROLE osm_ro IN DATABASE hostile SET search_path = "$user", public;
ALTER ROLE osm_app IN DATABASE hostile_restored SET search_path = evil, pg_catalog, public;
ALTER DATABASE hostile SET DateStyle = 'SQL, DMY';
ALTER DATABASE hostile SET extra_float_digits = -15;
ALTER DATABASE hostile SET TimeZone = 'Pacific/Kiritimati';
ALTER DATABASE hostile_restored SET DateStyle = 'German';
ALTER DATABASE hostile_restored SET IntervalStyle = 'sql_standard';
SQL
	{ diag "$(cat "$W/setup.err")"; bail "could not set the hostile search_path"; }

# The traps work: a session that does not pin its search_path springs them.
pg_psql -X -q -A -t -d hostile -c "SELECT count(*) FROM sales.customers" >/dev/null 2>&1
is "$(hq hostile 'SELECT count(*) FROM evil.trap')" 1 "control: an unqualified count(*) under the database's search_path writes to evil.trap"
pg_psql -X -q -A -t -d hostile -c "SET search_path = public" -c "SELECT count(*) FROM sales.products WHERE stock < 2147483647" >/dev/null 2>&1
[ "$(hq hostile 'SELECT count(*) FROM public.trap_public')" -ge 1 ]
ok $? "control: numeric < integer picks the public schema's operator, pg_catalog first or not"
hq hostile 'TRUNCATE evil.trap, public.trap_public' >/dev/null

for pair in hostile control; do
	cat >>"$W/services" <<EOF
[proof-$pair]
host=127.0.0.1
port=$PGPORT
dbname=$pair
user=osm_app
connect_timeout=10
[proof-$pair-ro]
host=127.0.0.1
port=$PGPORT
dbname=$pair
user=osm_ro
connect_timeout=10
EOF
	for role in app ro; do
		svc=proof-$pair; [ $role = ro ] && svc=proof-$pair-ro
		proof_answers "$svc" "$W/$pair-$role.ini.tmp"
		sed "s/dbname=demo_restored/dbname=${pair}_restored/" "$W/$pair-$role.ini.tmp" >"$W/$pair-$role.ini"
	done
done

# Everything that could change: the dumps and the write counters.
snapshot() {  # TAG
	for db in hostile hostile_restored; do
		# pg_dump 15.14+ frames the dump with a random \restrict key.
		"$FIXTURE_BINDIR/pg_dump" -h 127.0.0.1 -p "$PGPORT" -U osm_admin -d "$db" 2>"$W/dump.err" |
			grep -v '^\\\(un\)\?restrict ' >"$W/$db.$1.dump"
		[ -s "$W/$db.$1.dump" ] || diag "pg_dump $db: $(cat "$W/dump.err")"
		hq "$db" 'SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_all_tables' >"$W/$db.$1.writes"
	done
}
snapshot before

log_from=$(($(wc -l <"$PGLOG") + 1))

run_all() {  # TAG (pair-role)
	t=$1 pair=${1%-*} role=${1#*-}
	svc=proof-$pair; [ "$role" = ro ] && svc=proof-$pair-ro
	ans=$W/$t.ini
	for rb in connector-migration endpoint-change restore-database; do
		"$OSMIGRATE" check "$rb" --answers "$ans" >"$W/$t.check.$rb.out" 2>"$W/$t.check.$rb.err" </dev/null
		echo $? >"$W/$t.check.$rb.rc"
	done
	"$OSMIGRATE" types --answers "$ans" --format json -o "$W/$t.types.json" >"$W/$t.types.out" 2>"$W/$t.types.err"
	echo $? >"$W/$t.types.rc"
	"$OSMIGRATE" types --answers "$ans" --no-data --format json -o "$W/$t.nodata.json" >"$W/$t.nodata.out" 2>"$W/$t.nodata.err"
	echo $? >"$W/$t.nodata.rc"
	"$OSMIGRATE" types "service=$svc" -n sales -n hr >"$W/$t.conninfo.out" 2>"$W/$t.conninfo.err"
	echo $? >"$W/$t.conninfo.rc"
	"$OSMIGRATE" types "service=$svc" -n sales -n hr --columns >"$W/$t.columns.out" 2>"$W/$t.columns.err"
	echo $? >"$W/$t.columns.rc"
	"$OSMIGRATE" compare --exact --format json "service=$svc" "service=$svc dbname=${pair}_restored" \
		>"$W/$t.compare.json" 2>"$W/$t.compare.err"
	echo $? >"$W/$t.compare.rc"
	"$OSMIGRATE" compare -n sales -n hr "service=$svc" "service=$svc dbname=${pair}_restored" \
		>"$W/$t.compare2.out" 2>"$W/$t.compare2.err"
	echo $? >"$W/$t.compare2.rc"
}

for t in hostile-app control-app hostile-ro control-ro; do
	run_all $t
done

# The wizard: r on the connection step, then r on the types screen.
if command -v tmux >/dev/null 2>&1; then
	. "$top_srcdir/tests/lib/tmux.sh"
	proof_on_exit _tmux_cleanup
	trap 'proof_cleanup' EXIT
	wiz() {  # TAG: a session of its own, so one run's end cannot be taken for the other's
		TMUX_S=$1
		tmux_start 100 30 env PGPASSFILE="$PGPASSFILE" PGSERVICEFILE="$PGSERVICEFILE" HOME="$W" \
			"$OSMIGRATE" --answers "$W/$1.ini" --state "$W/$1.wizard.ini" connector-migration
		tmux_wait "Actions (Space ticks)" 20 || return 1
		tmux_keys n
		tmux_wait "step 2/9" || return 1
		tmux_keys r
		tmux_wait "ardoPostgreSQL sessions on" 60 || return 1
		tmux_wait_gone "(Esc cancels)" 60 || return 1
		tmux_keys t
		tmux_wait "Not scanned yet" || return 1
		tmux_keys r
		tmux_wait "blockers," 60 || return 1
		tmux_screen >"$W/$1.wizard.screen"
		tmux_keys Escape
		tmux_wait "Spc tick" || return 1
		tmux_keys q
		tmux_wait_exit 20 || return 1
		tmux_stderr >"$W/$1.wizard.err"
		[ "$tmux_rc" = 0 ]
	}
	for t in hostile-app control-app; do
		wiz $t
		ok $? "$t: the wizard ran the connection checks and the type scan"
	done
	# [check] and [types] sections of the two state files, as recorded.
	wizstate() {
		sed -n '/^\[\(check\|types\|finding\) /,/^$/p; /^\[types\]/,/^$/p' "$1" |
			grep -v '^\(at\|elapsed_ms\|settings_digest\) = ' |
			sed -e 's/hostile/TWIN-DB/g' -e 's/control/TWIN-DB/g' -e 's/[0-9][0-9.]* ms/N ms/g'
	}
	wizstate "$W/hostile-app.wizard.ini" >"$W/hostile.wizstate"
	wizstate "$W/control-app.wizard.ini" >"$W/control.wizstate"
	rm -f "$W/wizstate.diff"
	[ -s "$W/control.wizstate" ] && diff "$W/control.wizstate" "$W/hostile.wizstate" >"$W/wizstate.diff"
	ok $? "wizard: the results recorded against the hostile database equal the clean twin's"
	[ -s "$W/wizstate.diff" ] && diag "$(head -20 "$W/wizstate.diff")"
else
	skip "tmux is not installed: the wizard is not driven"
fi

# The server log, before the test's own queries below add to it.
python3 "$top_srcdir/tests/lib/proof_pglog.py" --qualified "$PGLOG" "$log_from" >"$W/log.verdict"
rc=$?
diag "$(tail -1 "$W/log.verdict")"
is "$rc" 0 "server log: reads only, search_path pinned first, READ ONLY transactions, everything schema-qualified"
[ "$rc" -eq 0 ] && [ "$(grep -c '' "$W/log.verdict")" -eq 1 ] || diag "$(head -30 "$W/log.verdict")"

# --- nothing was written ------------------------------------------------
snapshot after
for db in hostile hostile_restored; do
	is "$(hq "$db" 'SELECT count(*) FROM evil.trap')" 0 "$db: evil.trap is empty (no overload wrote)"
	[ "$(hq "$db" 'SELECT count(*) FROM evil.trap')" = 0 ] ||
		diag "$(hq "$db" 'SELECT what, who, read_only FROM evil.trap ORDER BY at LIMIT 15')"
	is "$(hq "$db" 'SELECT count(*) FROM public.trap_public')" 0 "$db: public.trap_public is empty (no public operator wrote)"
	[ "$(hq "$db" 'SELECT count(*) FROM public.trap_public')" = 0 ] ||
		diag "$(hq "$db" 'SELECT what, who FROM public.trap_public ORDER BY at LIMIT 15')"
	cmp -s "$W/$db.before.dump" "$W/$db.after.dump"
	ok $? "$db: pg_dump before and after is byte for byte the same"
	is "$(cat "$W/$db.after.writes")" "$(cat "$W/$db.before.writes")" "$db: no row inserted, updated or deleted (pg_stat_all_tables)"
done

# --- every verdict equals the clean twin's ------------------------------
norm() {  # FILE: the twins' names, OIDs and the timings out of the way
	sed -e 's/hostile/TWIN-DB/g' -e 's/control/TWIN-DB/g' -e 's/"database_oid":"[0-9]*"/"database_oid":""/g' \
	    -e 's/[0-9][0-9.]* ms/N ms/g' -e 's/"at":"[^"]*"/"at":""/g' \
	    -e 's/([0-9][0-9-]*T[0-9:]*Z)/(AT)/g' "$1"
}
for role in app ro; do
	for f in check.connector-migration.out check.endpoint-change.out check.restore-database.out \
		 types.json nodata.json conninfo.out columns.out compare.json compare2.out \
		 check.connector-migration.rc check.endpoint-change.rc check.restore-database.rc \
		 types.rc nodata.rc conninfo.rc columns.rc compare.rc compare2.rc; do
		rm -f "$W/norm.diff"
		norm "$W/control-$role.$f" >"$W/c.norm"
		norm "$W/hostile-$role.$f" >"$W/h.norm"
		[ -s "$W/c.norm" ] && diff "$W/c.norm" "$W/h.norm" >"$W/norm.diff"
		ok $? "$role: $f is the clean twin's"
		[ -s "$W/norm.diff" ] && diag "$(head -12 "$W/norm.diff")"
	done
done
# The runs did check something: the twins' verdicts are not all errors.
grep -q '^Checking privileges of target .* \.\.\. *ok$' "$W/control-app.check.connector-migration.out" &&
	grep -q '^Checking column types and stored values in scope \.\.\. *FAILED$' "$W/control-app.check.connector-migration.out"
ok $? "app: the privilege check passed and the type verification found the seeded blockers"
is "$(cat "$W/control-app.compare.rc")" 0 "app: compare --exact of the clone: identical"
is "$(cat "$W/control-app.types.rc")" 2 "app: types found blockers"

# --- the terminal never saw the server's text ---------------------------
bad=
for f in "$W"/hostile-*.out "$W"/hostile-*.err "$W"/hostile-*.json "$W"/hostile-app.wizard.*; do
	[ -f "$f" ] || continue
	if LC_ALL=C grep -q "$(printf '\033')" "$f" || grep -q 'ALL CHECKS PASSED\|owned' "$f" ||
	   grep -q "$(printf '\342\200\256')" "$f"; then
		bad="$bad ${f##*/}"
	fi
done
is "${bad:-none}" none "no notice text, escape sequence or bidi control in any output or stderr"
grep -q 'notices\? .*not shown' "$W/hostile-app.types.err"
ok $? "types: the notices of the row-level security function were counted, not shown"
grep -q 'notice' "$W/control-app.types.err"
[ $? -ne 0 ]
ok $? "types on the clean twin: no notice to report"

done_testing
