#!/bin/sh
# lifetime_dbconn.sh - LifeTime's database connections (11.13.0+) and a
# deployment's missing database mappings (11.21.1+), against recorded JSON
# in domain.md's shapes served by nginx on 127.0.0.1 (scripts/httpfixture.sh):
# the connection step lists and marks every environment's connections, the
# deploy step fails for a target without the supported connection and for a
# deployment with an unmapped logical database, an older LifeTime (404) is
# "could not check" with the manual steps, hostile names stay inert, and no
# write endpoint is ever called.
. "$top_srcdir/tests/lib/tap.sh"

fx="$top_srcdir/scripts/httpfixture.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-ltdb.XXXXXX")
cleanup() {
	sh "$fx" stop "$work/fx" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
trap 'cleanup; exit 129' HUP
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
unset OSMIGRATE_LIFETIME_TOKEN http_proxy https_proxy HTTPS_PROXY ALL_PROXY all_proxy

# A copy of the demo's LifeTime, edited per case below.
cp -R "$top_srcdir/demo/www" "$work/www"
chmod -R u+w "$work/www"
lt=$work/www/lifetimeapi/v2
P=a1b2c3d4-0003-4000-8000-000000000003
D3=9a8b7c6d-0000-4000-8000-00000000d003
sh "$fx" start "$work/fx" --www "$work/www" --owner $$ >"$work/start.out" 2>&1
ok $? "fixture starts" || { diag "$(cat "$work/start.out")"; bail "no nginx fixture"; }
. "$work/fx/env"

cat >"$work/a.ini" <<INI
[lifetime]
url = $LIFETIME_URL
token_file = $LIFETIME_TOKEN_FILE

[http]
timeout = 5

[environment "Development"]
migrated_here = yes

[environment "Quality"]

[environment "Production"]
INI
run() { # STEP [INI]
	"$OSMIGRATE" check connector-migration --answers "${2:-$work/a.ini}" --step "$1" \
		--state "$work/st.ini" >"$work/out" 2>&1 </dev/null
}
# A stored result, its long lines (detail+ = ...) joined back.
result() {
	sed -n "/^\\[check \"$1\"\\]/,/^\$/p" "$work/st.ini" |
		awk '/^detail\+ = /{ printf "%s", substr($0, 11); next } { printf "\n%s", $0 } END { print "" }' |
		sed 's/\\x20/ /g; s/\\n/\n/g'
}

# ---- connection step: the list, nothing marked yet -------------------------
run connection
grep -q '^Checking database connections of every environment (LifeTime) \.\.\. *warning$' "$work/out"
ok $? "connections listed, nothing named yet: warning"
grep -q 'name the supported connection' "$work/out"; ok $? "the warning asks to name the supported connection"
result lifetime_dbconnections | grep -q 'HrArdo  provider PostgreSQL, advanced configuration'
ok $? "each connection with its providerName and advanced/basic"
result lifetime_dbconnections | grep -q 'Quality: 2 database connections'
ok $? "per environment"

{ cat "$work/a.ini"; printf '\n[dbconnection]\nsupported = SalesPG\nardo = SalesArdo, HrArdo\n'; } >"$work/b.ini"
run connection "$work/b.ini"
grep -q '^Checking database connections of every environment (LifeTime) \.\.\. *ok$' "$work/out"
ok $? "named and marked: ok"
result lifetime_dbconnections | grep -q 'SalesArdo  provider PostgreSQL, basic configuration  \[ardoPostgreSQL, as you marked it\]'
ok $? "the marked ardoPostgreSQL connection is recorded as such"
result lifetime_dbconnections | grep -q 'SalesPG .*\[the supported connection you named\]'
ok $? "the supported connection is recorded as such"
grep -q 'pg-qa.example.internal' "$work/st.ini"; [ $? -ne 0 ]
ok $? "databaseConfiguration is never stored"

# ---- deploy step: Production lacks the connection, its deployment waits ------
printf '[\n {"dbConnectionName":"SalesArdo","providerName":"PostgreSQL","isAdvancedConfiguration":false}\n]\n' \
	>"$lt/environments/$P/dbconnections.json"
printf '{"DeploymentStatus":"needs_user_intervention","Info":"needs_configuration_or_confirmation"}\n' \
	>"$lt/deployments/$D3/status.json"
run deploy "$work/b.ini"
is "$?" 2 "deploy with a missing connection and an unmapped database: exit 2"
grep -q '^Checking supported connection in Production \.\.\. *FAILED$' "$work/out"
ok $? "the supported connection missing in a target: FAILED, for that target"
grep -q '^Checking supported connection in Quality \.\.\. *ok$' "$work/out"
ok $? "the target that has it: ok"
grep -q 'SalesPG missing in Production' "$work/out"; ok $? "the target without it is named"
grep -q '^Checking logical databases mapped in Production \.\.\. *FAILED$' "$work/out"
ok $? "an unmapped logical database: FAILED, for the deployment's target"
grep -q '^Checking logical databases mapped in Quality \.\.\. *ok$' "$work/out"
ok $? "the target whose waiting deployment has nothing left to map: ok"
result deploy_mappings:Production | grep -q '^  sales (extension SalesDB)$'
ok $? "the unmapped logical database and its extension are listed"
grep -q '^\[check "deploy_[a-z]*:Development"\]' "$work/st.ini"; [ $? -ne 0 ]
ok $? "Development (migrated_here) is not a target"

# The mapping done: nothing left, ok.
echo '[]' >"$lt/deployments/$D3/getmissingdbmappings.json"
run deploy "$work/b.ini"
is "$(grep -c '^Checking logical databases mapped in .* ok$' "$work/out")" 2 "every logical database mapped: ok in both targets"
result deploy_mappings:Production | grep -q '1 deployment: every extension logical database mapped'
ok $? "the waiting deployment was asked"

# A deployment key given for Quality: only that one is asked there.
sed 's/^\[environment "Quality"\]$/[environment "Quality"]\ndeployment = 9a8b7c6d-0000-4000-8000-00000000d001/' \
	"$work/b.ini" >"$work/c.ini"
mkdir -p "$lt/deployments/9a8b7c6d-0000-4000-8000-00000000d001"
echo '[{"ExtensionKey":"e2","ExtensionName":"HRDB","LogicalDatabase":"hr"}]' \
	>"$lt/deployments/9a8b7c6d-0000-4000-8000-00000000d001/getmissingdbmappings.json"
run deploy "$work/c.ini"
result deploy_mappings:Quality | grep -q 'deployment 9a8b7c6d-0000-4000-8000-00000000d001: logical databases still unmapped'
ok $? "the given deployment key is asked"
result deploy_mappings:Quality | grep -q 'hr (extension HRDB)'; ok $? "its unmapped database is listed"
result deploy_mappings:Quality | grep -q 'd002'; [ $? -ne 0 ]; ok $? "only the given deployment is asked there"

# A target environment without the capability: LifeTime's 400.
sed 's/^\[environment "Quality"\]$/[environment "Quality"]\ndeployment = no-capability-1/' \
	"$work/b.ini" >"$work/d.ini"
run deploy "$work/d.ini"
result deploy_mappings:Quality | grep -q 'deployment no-capability-1: no getmissingdbmappings'
ok $? "a 400 saying the environment lacks the capability: named as such"
grep -q 'could not check' "$work/out"; ok $? "and could not check, with the manual steps"

# ---- hostile text from LifeTime stays inert ----------------------------------
printf '[{"dbConnectionName":"Evil\\u001b[2J\\nName","providerName":"X\\u202eY","isAdvancedConfiguration":false}]\n' \
	>"$lt/environments/$P/dbconnections.json"
run connection "$work/b.ini"
grep -q "$(printf '\033')" "$work/out" "$work/st.ini"; [ $? -ne 0 ]
ok $? "an escape sequence in a connection name reaches neither the output nor the state file"
grep -q '^Name' "$work/st.ini"; [ $? -ne 0 ]; ok $? "a newline in a name starts no line"

# ---- an older LifeTime: 404 for the new APIs ---------------------------------
find "$lt/environments" -name dbconnections.json -delete
find "$lt/deployments" -name getmissingdbmappings.json -delete
run connection "$work/b.ini"
grep -q '^Checking database connections of every environment (LifeTime) \.\.\. *error$' "$work/out"
ok $? "no dbconnections API (404): could not check, never ok"
grep -q 'could not check: LifeTime older than 11.13.0' "$work/out"; ok $? "says LifeTime is older than 11.13.0"
grep -q 'Administration > Database Connections in each environment' "$work/out"; ok $? "with the manual steps"
run deploy "$work/b.ini"
grep -q 'could not check: LifeTime older than 11.21.1' "$work/out"; ok $? "no getmissingdbmappings (404): LifeTime older than 11.21.1"
grep -q 'LifeTime asks to map each extension' "$work/out"; ok $? "with the manual mapping steps"
grep -q '^Checking logical databases mapped in Production \.\.\. *error$' "$work/out"
ok $? "the mappings check: error"
grep -q '^Checking supported connection in Production \.\.\. *error$' "$work/out"
ok $? "the connection check in a target: error (LifeTime older than 11.13.0)"

# ---- only GETs, and the token never in a URL ----------------------------------
log=$work/fx/logs/access.log
grep -q '"GET /lifetimeapi/rest/v2/environments/a1b2c3d4-0001-4000-8000-000000000001/dbconnections/ ' "$log"
ok $? "dbconnections was asked"
grep -q '"GET /lifetimeapi/rest/v2/deployments/?TargetEnvironmentKey=' "$log"; ok $? "deployments listed per target"
grep -q 'getmissingdbmappings/ ' "$log"; ok $? "getmissingdbmappings was asked"
grep -Eq '"(POST|PUT|PATCH|DELETE) ' "$log"; [ $? -ne 0 ]; ok $? "no write request was ever sent"
grep -q -- "$(cat "$LIFETIME_TOKEN_FILE")" "$log" "$work/st.ini"; [ $? -ne 0 ]; ok $? "the token is in no URL and not in the state file"

done_testing
