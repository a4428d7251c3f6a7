#!/bin/sh
# tui_seed: L on the settings screen reads LifeTime's environments (the
# nginx fixture's recorded JSON) in the background and seeds the
# environments list (connector-migration) and server placeholders
# (endpoint-change: a controller and NumberOfFrontEnds front-ends) without
# touching existing items; a missing token is asked and never written; Esc
# cancels a fetch that hangs; a farm larger than the placeholder cap gets
# the cap, and a message that says so and how many are left to add.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"
fx="$top_srcdir/scripts/httpfixture.sh"
LISTENER_PID=
FARM_PID=
cleanup() {
	[ -n "$LISTENER_PID" ] && kill "$LISTENER_PID" 2>/dev/null
	[ -n "$FARM_PID" ] && kill "$FARM_PID" 2>/dev/null
	sh "$fx" stop "$TMUX_WORK/fx" >/dev/null 2>&1
	_tmux_cleanup
}
trap 'cleanup' EXIT
trap 'cleanup; exit 1' INT TERM HUP
unset OSMIGRATE_LIFETIME_TOKEN http_proxy https_proxy HTTPS_PROXY ALL_PROXY all_proxy
if ! sh "$fx" start "$TMUX_WORK/fx" >"$TMUX_WORK/fx.out" 2>&1; then
	echo "1..0 # SKIP no nginx fixture (scripts/deps.sh installs nginx-light)"
	exit 0
fi
. "$TMUX_WORK/fx/env"
token=$(cat "$LIFETIME_TOKEN_FILE")
json="$top_srcdir/demo/www/lifetimeapi/v2/environments.json"
# NumberOfFrontEnds of one environment in the recorded JSON.
front_ends() {
	grep -o "\"Name\":\"$1\"[^}]*" "$json" | sed 's/.*"NumberOfFrontEnds":\([0-9]*\).*/\1/'
}
sect() { sed -n "/^\[$1\]/,/^\[/p" "$2"; }

# --- environments (connector-migration), token typed at the prompt ---
answers=$TMUX_WORK/cm-answers.ini
cat >"$answers" <<EOA
[lifetime]
url = $LIFETIME_URL

[environment "Quality"]
hostname = qa-old.example.internal

[environment "Staging"]
hostname = staging.example.internal
EOA
state=$TMUX_WORK/cm.ini
tmux_start 110 32 "$OSMIGRATE" --answers "$answers" --state "$state" connector-migration
tmux_wait "Actions (Space ticks)"; ok $? "wizard opens"
tmux_keys e
tmux_wait "L LifeTime"; ok $? "the settings footer shows L"
tmux_keys L
tmux_wait "LifeTime service account token" 20; ok $? "the missing token is asked"
tmux_text "not-the-token"; tmux_keys Enter
tmux_wait "nothing added: LifeTime: LifeTime refused the token (HTTP 401)" 20
ok $? "a wrong token: nothing added, and why"
is "$(grep -c '^\[environment ' "$state")" 2 "still the two environments of the answers file"
tmux_keys L
tmux_wait "LifeTime service account token" 20; ok $? "the refused token is forgotten: L asks again"
tmux_text "$token"
sleep 0.2
tmux_screen | grep -qF "$token"; [ $? -ne 0 ]; ok $? "the token is not echoed"
tmux_keys Enter
tmux_wait "added 2 environments from LifeTime (1 already listed" 20
ok $? "the two environments not listed yet are added, Quality is left alone"
sect 'environment "Development"' "$state" | grep -q '^hostname = dev.example.internal$'
ok $? "Development saved with LifeTime's HostName"
sect 'environment "Development"' "$state" | grep -q '^migrated_here = yes$'
ok $? "LifeTime's one Development environment is where the migration is done: not a deploy target"
sect 'environment "Production"' "$state" | grep -q '^hostname = prod.example.internal$'
ok $? "Production saved with LifeTime's HostName"
sect 'environment "Production"' "$state" | grep -q '^migrated_here'; [ $? -ne 0 ]
ok $? "Production is a deploy target"
sect 'environment "Quality"' "$state" | grep -q '^hostname = qa-old.example.internal$'
ok $? "the existing Quality keeps its hostname"
sect 'environment "Staging"' "$state" | grep -q '^hostname = staging.example.internal$'
ok $? "an environment LifeTime does not know stays"
is "$(grep -c '^\[environment ' "$state")" 4 "four environments in the state file"
grep -qF 'added 2 environments from LifeTime' "$state.journal"
ok $? "the seeding is journalled"
tmux_keys L
tmux_wait "added 0 environments from LifeTime (3 already listed" 20
ok $? "a second L adds nothing (the token stays in memory)"
is "$(grep -c '^\[environment ' "$state")" 4 "still four environments"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
grep -rqF -e "$token" -e "not-the-token" "$TMUX_WORK"/*.ini "$TMUX_WORK"/*journal* 2>/dev/null; [ $? -ne 0 ]
ok $? "neither typed token is in a state or journal file"

# --- servers (endpoint-change), token from the environment ---
answers=$TMUX_WORK/ec-answers.ini
cat >"$answers" <<EOA
[lifetime]
url = $LIFETIME_URL

[server "prod.example.internal controller"]
role = controller
url = $HTTP_BASE/OrdersUI/_ping.html
EOA
state=$TMUX_WORK/ec.ini
prod=$(front_ends Production)
qa=$(front_ends Quality)
[ -n "$prod" ] && [ -n "$qa" ]; ok $? "NumberOfFrontEnds read from the recorded JSON ($prod, $qa)"
tmux_start 110 32 env OSMIGRATE_LIFETIME_TOKEN="$token" \
	"$OSMIGRATE" --answers "$answers" --state "$state" endpoint-change
tmux_wait "Actions (Space ticks)"; ok $? "endpoint-change opens"
tmux_keys e
tmux_wait "LifeTime (optional)"; ok $? "the LifeTime settings are offered on endpoint-change"
tmux_keys L
tmux_wait "Add the servers of which LifeTime environment?" 20; ok $? "L asks which environment"
tmux_wait "Production (prod.example.internal, $prod front-end"; ok $? "environments listed with their front-end count"
tmux_keys Down Down Enter
tmux_wait "added $prod server placeholders for Production" 10
ok $? "the controller exists: $prod front-end placeholders added"
tmux_screen | grep -q "(1 already there"; ok $? "the existing controller is reported as left alone"
sect 'server "prod.example.internal controller"' "$state" | grep -q "^url = $HTTP_BASE/OrdersUI/_ping.html\$"
ok $? "the existing controller keeps its url"
n=0
for i in $(seq 1 "$prod"); do
	sect "server \"prod.example.internal front-end $i\"" "$state" | grep -q '^role = frontend$' && n=$((n + 1))
done
is "$n" "$prod" "each front-end placeholder saved with role frontend"
sect "server \"prod.example.internal front-end $((prod + 1))\"" "$state" | grep -q role; [ $? -ne 0 ]
ok $? "no more front-ends than NumberOfFrontEnds"
tmux_keys L
tmux_wait "Add the servers of which LifeTime environment?" 20
tmux_keys Down Enter
tmux_wait "added $((qa + 1)) server placeholders for Quality" 10
ok $? "Quality: a controller and $qa front-ends"
sect 'server "qa.example.internal controller"' "$state" | grep -q '^role = controller$'
ok $? "the controller placeholder has role controller"
is "$(grep -c '^\[server ' "$state")" $((1 + prod + 1 + qa)) "every server in the state file"
# The operator gives a placeholder its real name (the cursor is on the
# first one added); its values move along.
tmux_keys R
tmux_wait "Rename server 'qa.example.internal controller' to"; ok $? "R offers to rename the placeholder"
tmux_keys C-u
tmux_text "qa-dc01"; tmux_keys Enter
tmux_wait "renamed server qa.example.internal controller to qa-dc01"; ok $? "renamed"
sect 'server "qa-dc01"' "$state" | grep -q '^role = controller$'; ok $? "the renamed server keeps its role"
grep -q '^\[server "qa.example.internal controller"\]' "$state"; [ $? -ne 0 ]; ok $? "the placeholder name is gone"
is "$(grep -c '^\[server ' "$state")" $((1 + prod + 1 + qa)) "as many servers as before"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
grep -rqF "$token" "$TMUX_WORK"/*.ini "$TMUX_WORK"/*journal* 2>/dev/null; [ $? -ne 0 ]
ok $? "the token from the environment is in no file either"

# --- more front-ends than placeholders are added for: the cap is said ---
python3 -c '
import http.server, json, os, sys
body = json.dumps([{"Key": "k-farm", "Name": "Farm", "HostName": "farm.example.internal",
                    "NumberOfFrontEnds": 1500}]).encode()
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(sys.argv[1] + ".tmp", "w").write(str(s.server_port))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
s.serve_forever()' "$TMUX_WORK/farm.port" &
FARM_PID=$!
n=50; while [ ! -f "$TMUX_WORK/farm.port" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
[ -f "$TMUX_WORK/farm.port" ]; ok $? "a LifeTime with a 1500 front-end farm is up"
answers=$TMUX_WORK/farm-answers.ini
printf '[lifetime]\nurl = http://127.0.0.1:%s/lifetimeapi/rest/v2\n' "$(cat "$TMUX_WORK/farm.port")" >"$answers"
state=$TMUX_WORK/farm.ini
tmux_start 110 32 env OSMIGRATE_LIFETIME_TOKEN="$token" \
	"$OSMIGRATE" --answers "$answers" --state "$state" endpoint-change
tmux_wait "Actions (Space ticks)"
tmux_keys e
tmux_wait "L LifeTime"
tmux_keys L
tmux_wait "Farm (farm.example.internal, 1500 front-ends)" 20; ok $? "the farm is offered with its 1500 front-ends"
tmux_keys Enter
tmux_wait "LifeTime reports 1500 front-ends for Farm; placeholders stop at 1000" 30
ok $? "the cap is said: LifeTime's count and where the placeholders stop"
tmux_screen | tr '\n' ' ' | tr -s ' ' | grep -q "add the other 500 with a"
ok $? "and how many are left to add by hand"
is "$(grep -c '^\[server ' "$state")" 1001 "a controller and 1000 front-end placeholders saved"
grep -q '^\[server "farm.example.internal front-end 1000"\]' "$state"; ok $? "front-end 1000 is there"
grep -q '^\[server "farm.example.internal front-end 1001"\]' "$state"; [ $? -ne 0 ]
ok $? "front-end 1001 is not"
grep -qF 'placeholders stop at 1000' "$state.journal"; ok $? "the journal records the cap too"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
kill "$FARM_PID" 2>/dev/null; FARM_PID=

# --- without [lifetime]: L says what to configure ---
state=$TMUX_WORK/none.ini
tmux_start 110 32 "$OSMIGRATE" --state "$state" endpoint-change
tmux_wait "Actions (Space ticks)"
tmux_keys e
tmux_wait "L LifeTime"
tmux_keys L
tmux_wait "LifeTime is not configured: set [lifetime] url"; ok $? "without [lifetime] L says what to set"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"

# --- a LifeTime that accepts and never answers: Esc cancels ---
port=$(python3 - <<'EOP'
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
EOP
)
python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16)
open(sys.argv[2], "w").close()
held = []
while True:
    c, _ = s.accept(); held.append(c)' "$port" "$TMUX_WORK/listening" &
LISTENER_PID=$!
n=50; while [ ! -f "$TMUX_WORK/listening" ] && [ $n -gt 0 ]; do sleep 0.1; n=$((n - 1)); done
[ -f "$TMUX_WORK/listening" ]; ok $? "a LifeTime that never answers is up"
answers=$TMUX_WORK/hang-answers.ini
cat >"$answers" <<EOA
[lifetime]
url = http://127.0.0.1:$port/lifetimeapi/rest/v2

[http]
timeout = 60
EOA
state=$TMUX_WORK/hang.ini
tmux_start 110 32 env OSMIGRATE_LIFETIME_TOKEN="$token" \
	"$OSMIGRATE" --answers "$answers" --state "$state" connector-migration
tmux_wait "Actions (Space ticks)"
tmux_keys e
tmux_wait "L LifeTime"
tmux_keys L
tmux_wait "(Esc cancels)"; ok $? "the fetch shows progress"
sleep 1
tmux_wait "(Esc cancels)" 1; ok $? "still fetching after a second, the screen answers"
tmux_keys j
tmux_wait ">   port" 2; ok $? "keys move the cursor while it fetches"
tmux_screen | grep -q "(Esc cancels)"; ok $? "the fetch still runs"
t0=$(date +%s)
tmux_keys Escape
tmux_wait "LifeTime fetch cancelled: nothing added" 5; ok $? "Esc cancels the fetch"
t1=$(date +%s)
[ $((t1 - t0)) -le 3 ]; ok $? "cancelled within 3 s ($((t1 - t0)) s)"
tmux_screen | grep -q "Target database\|LifeTime (optional)"; ok $? "still on the settings screen"
grep -q '^\[environment ' "$state"; [ $? -ne 0 ]; ok $? "nothing added"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"
done_testing
