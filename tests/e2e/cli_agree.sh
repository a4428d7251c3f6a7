#!/bin/sh
# cli_agree.sh - the headless commands agree with each other (issue 14):
# `check RUNBOOK` without --answers/--state uses the runbook's default state
# file as status, mark and report do; nothing checked is never exit 0;
# options after operands (GNU style); `status --actions`; plurals; `mark`
# writes nothing for a change that changes nothing.
. "$top_srcdir/tests/lib/tap.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-agree.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'rm -rf "$work"; exit 129' HUP
trap 'rm -rf "$work"; exit 130' INT
trap 'rm -rf "$work"; exit 143' TERM
umask 077
XDG_STATE_HOME=$work/xdg; export XDG_STATE_HOME
unset OSMIGRATE_NOW NO_COLOR
mkdir -p "$work/xdg/osmigrate"
def=$work/xdg/osmigrate/restore-database.ini
cat >"$def" <<'INI'
[osmigrate]
version = 1
runbook = restore-database

[server "DC"]
role = controller
INI

run() { # args... -> $out (stdout+stderr), $rc
	out=$("$OSMIGRATE" "$@" </dev/null 2>&1)
	rc=$?
}
has() { printf '%s\n' "$out" | grep -qE -- "$1"; ok $? "$2"; }
hasnt() { printf '%s\n' "$out" | grep -qE -- "$1"; ok $((! $?)) "$2"; }

# M1: the advice of the locked decommission step works as written.
run check restore-database --step verify
is "$rc" 3 "check RUNBOOK --step without --state uses the default state file (the clone check could not run: 3, not 64)"
has "Results recorded in $def" "the results go to the default state file"
grep -q '^\[check "clone_compare"\]' "$def"
ok $? "the default state file holds the result"
has '^1 check: ' "one check is '1 check', not '1 checks'"

# The lock's advice names the session: the default state needs no --state,
# another file gets its --state, and the advice works as written.
run mark decommission done
is "$rc" 2 "decommission locked (default state): exit 2"
has 'osmigrate check restore-database --step verify\)' "the advice on the default state has no --state"
other=$work/elsewhere.ini
cp "$def" "$other"
run mark decommission done --state "$other"
has "osmigrate check restore-database --step verify --state $other\)" "the advice on another file names it"
advice=$(printf '%s\n' "$out" | sed -n 's/.*(\(osmigrate check [^)]*\)).*/\1/p' | sed 's/^osmigrate //')
run $advice
has "Results recorded in $other" "the advice, run as written, checks that session"

# Nothing checked is not all ok.
run check restore-database --step prerequisites
is "$rc" 3 "a step without automated checks: exit 3"
has 'nothing was checked' "says nothing was checked"
hasnt 'Results recorded' "and records nothing"

# Options after the operands, GNU style, for every command and the wizard.
run compare 'dbname=a' 'dbname=b' --help
is "$rc" 0 "compare OLD NEW --help: the option after the operands is taken"
has '^Usage: osmigrate compare' "and compare's help is printed"
run compare 'dbname=a' 'dbname=b' --nosuch
is "$rc" 64 "compare OLD NEW --nosuch: an unknown option after the operands is refused"
has "unrecognized option '--nosuch'" "as an option, not as a third database"
run types 'dbname=a' --help
is "$rc" 0 "types CONNINFO --help"
run mark servers done --help
is "$rc" 0 "mark STEP STATUS --help"
run check restore-database --help
is "$rc" 0 "check RUNBOOK --help"
run restore-database --help
is "$rc" 0 "the wizard: RUNBOOK --help"
has '^Usage: osmigrate \[OPTION\]' "the wizard's help"
run restore-database --state "$def"
is "$rc" 64 "RUNBOOK --state FILE without a terminal: 64 for the terminal"
has 'needs a terminal' "refused for the missing terminal, not for the option"

# status --actions: the action ids mark --action takes, with their ticks.
run mark prerequisites done --action keep_old
is "$rc" 0 "mark --action keep_old"
run status --actions
is "$rc" 0 "status --actions: exit 0"
has '^        \[x\] keep_old +Keep the old database server running' "a ticked step action with its id and text"
has '^        \[ \] a_to_b ' "an unticked one"
has '^      actions of each application server:' "the item actions once per step"
has '^            \[ \] open_tool$' "then each item's ticks by id"
run status
hasnt 'keep_old' "without --actions no action ids"

# A change that changes nothing writes nothing (trial: a no-op untick was journalled).
j=$def.journal
lines=$(wc -l <"$j")
before=$(cksum <"$def")
run mark prerequisites pending --action a_to_b
is "$rc" 0 "unticking a never-ticked action: exit 0"
has 'already unticked: nothing recorded' "says nothing was recorded"
is "$(wc -l <"$j")" "$lines" "no journal line for a no-op untick"
is "$(cksum <"$def")" "$before" "the state file is not rewritten"
run mark prerequisites done --action keep_old
has 'already ticked: nothing recorded' "ticking a ticked action: nothing recorded"
is "$(wc -l <"$j")" "$lines" "no journal line for a no-op tick"
run mark backup pending
has 'already pending: nothing recorded' "a pending step marked pending: nothing recorded"
is "$(wc -l <"$j")" "$lines" "no journal line for it"
run mark prerequisites pending --action keep_old
is "$(wc -l <"$j")" "$((lines + 1))" "a real untick is journalled"

# types without a conninfo: the [target] of the session's state file.
mkdir -p "$work/xdg2/osmigrate"
cat >"$work/xdg2/osmigrate/connector-migration.ini" <<'INI'
[osmigrate]
version = 1
runbook = connector-migration

[target]
host = 127.0.0.1
port = 1
dbname = sessiondb
user = session_user_x
INI
out=$(XDG_STATE_HOME=$work/xdg2 PGHOST=127.0.0.1 PGPORT=2 PGDATABASE=envdb "$OSMIGRATE" types </dev/null 2>&1)
rc=$?
is "$rc" 3 "types without CONNINFO: the session's (refused) target could not be checked: 3"
has 'the settings of .*/xdg2/osmigrate/connector-migration.ini' "says whose settings it read"
has 'sessiondb' "it tried the session's [target], not the PG* variables"
hasnt 'envdb' "and not PGDATABASE"
out=$(XDG_STATE_HOME=$work/xdg2 "$OSMIGRATE" types --runbook endpoint-change </dev/null 2>&1)
is "$?" 64 "types --runbook of a runbook without a session: 64"
out=$(XDG_STATE_HOME=$work/xdg2 "$OSMIGRATE" types --answers "$work/none.ini" --runbook connector-migration </dev/null 2>&1)
is "$?" 64 "types --answers with --runbook: 64"
printf '[osmigrate]\nversion = 1\nrunbook = restore-database\n\n[target]\nhost = 127.0.0.1\nport = 1\n' \
	>"$work/xdg2/osmigrate/restore-database.ini"
out=$(XDG_STATE_HOME=$work/xdg2 "$OSMIGRATE" types </dev/null 2>&1)
is "$?" 64 "two sessions with a [target] and no CONNINFO: 64"
has 'several sessions have a \[target\]' "and it says to choose one"

# The demo: `env` prints export lines; each checkout has its own directory.
for c in one two; do
	mkdir -p "$work/$c/scripts"
	cp "$top_srcdir/scripts/demo.sh" "$work/$c/scripts/"
done
e1=$(unset OSMIGRATE_DEMO_DIR XDG_STATE_HOME; HOME=$work/home sh "$work/one/scripts/demo.sh" env)
e2=$(unset OSMIGRATE_DEMO_DIR XDG_STATE_HOME; HOME=$work/home sh "$work/two/scripts/demo.sh" env)
printf '%s\n' "$e1" | grep -v '^#' | grep -qv '^export '
ok $((! $?)) "demo.sh env prints only export lines (and comments)"
printf '%s\n' "$e1" | grep -q OSMIGRATE_ANSWERS
ok $((! $?)) "no OSMIGRATE_ANSWERS, which nothing reads"
x1=$(eval "$e1"; printf '%s' "$XDG_STATE_HOME")
x2=$(eval "$e2"; printf '%s' "$XDG_STATE_HOME")
case $x1 in "$work/home/.local/state/osmigrate-demo/one-"*/state) r=0 ;; *) r=1 ;; esac
ok $r "the demo's state is kept per checkout ($x1)"
[ "$x1" != "$x2" ]
ok $? "two clones do not share a saved session"
x3=$(eval "$e1"; HOME=$work/home sh "$work/one/scripts/demo.sh" env | grep XDG_STATE_HOME)
is "$x3" "$(printf '%s\n' "$e1" | grep XDG_STATE_HOME)" "after eval, demo.sh finds the same directory again"

done_testing
