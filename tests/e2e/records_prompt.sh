#!/bin/sh
# records_prompt.sh - `osmigrate check` asks for a password only when stdin
# is a terminal (without echo), and without a terminal reports the need
# with what to do instead of waiting for input.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
. "$top_srcdir/tests/lib/pg.sh"
pg_start
# pg_start replaced the exit trap: stop tmux too.
trap '_tmux_cleanup; pg_cleanup' EXIT
trap '_tmux_cleanup; pg_cleanup; exit 129' HUP
trap '_tmux_cleanup; pg_cleanup; exit 130' INT
trap '_tmux_cleanup; pg_cleanup; exit 143' TERM
umask 077

w=$TMUX_WORK
cat >"$w/answers.ini" <<INI
[target]
host = 127.0.0.1
port = $PGPORT
dbname = postgres
user = osm_app
INI
unset PGPASSWORD PGPASSFILE PGSERVICEFILE PGSERVICE PGUSER PGDATABASE

# No terminal: no prompt, the check says what is missing and how to give it.
out=$(HOME="$w" "$OSMIGRATE" check connector-migration --step connection \
	--answers "$w/answers.ini" </dev/null 2>&1)
rc=$?
[ "$rc" -eq 2 ] || [ "$rc" -eq 3 ]
ok $? "no terminal and no password: the connection check does not pass (exit $rc)"
printf '%s\n' "$out" | grep -q 'PGPASSWORD'
ok $? "the advice names PGPASSWORD"
printf '%s\n' "$out" | grep -qi 'password for'
ok $((! $?)) "no prompt without a terminal"

# On a terminal: asked once, without echo; the typed password is used.
tmux_start 120 30 env HOME="$w" "$OSMIGRATE" check connector-migration --step connection \
	--answers "$w/answers.ini"
tmux_wait "Password for target 127.0.0.1:$PGPORT"
ok $? "the prompt names the connection"
tmux_text "osm_app_demo"
tmux_keys Enter
tmux_wait_exit 20
ok $? "check finished after the password was typed"
tmux_screen | grep -q 'osm_app_demo'
ok $((! $?)) "the password was not echoed"
tmux_screen | grep -q '^Checking connection to target .* ok$'
ok $? "the typed password was used (connection ok)"
tmux_stty_same
ok $? "terminal modes restored after the prompt"
done_testing
