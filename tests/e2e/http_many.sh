#!/bin/sh
# http_many.sh - parallel HTTP checks are bounded: 2,000 consumers under
# `ulimit -n 1024` (and under a far tighter limit) are all pinged for real
# against the nginx fixture and all come back ok, none "could not connect"
# for lack of descriptors.
. "$top_srcdir/tests/lib/tap.sh"

fx="$top_srcdir/scripts/httpfixture.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-hmany.XXXXXX")
cleanup() {
	sh "$fx" stop "$work/fx" >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
trap 'cleanup; exit 129' HUP
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
unset OSMIGRATE_LIFETIME_TOKEN http_proxy https_proxy HTTPS_PROXY ALL_PROXY all_proxy

if ! sh "$fx" start "$work/fx" >"$work/start.out" 2>&1; then
	echo "1..0 # SKIP no nginx fixture (scripts/deps.sh installs nginx-light)"
	exit 0
fi
. "$work/fx/env"

N=2000
{
	printf '[http]\ntimeout = 30\n'
	i=1
	while [ $i -le $N ]; do
		printf '\n[consumer "C%04d"]\nurl = %s/OrdersUI/_ping.html\n' $i "$HTTP_BASE"
		i=$((i + 1))
	done
} >"$work/a.ini"

run() { # NOFILE
	out=$( (ulimit -n "$1" && exec "$OSMIGRATE" check connector-migration --step consumers \
		--answers "$work/a.ini" </dev/null) 2>&1)
	rc=$?
}

run 1024
is "$rc" 0 "$N consumers under ulimit -n 1024: exit 0"
is "$(printf '%s\n' "$out" | grep -c '^Checking consumer module C[0-9]* \.\.\. *ok$')" "$N" \
	"every one of the $N was pinged and answered ok"
printf '%s\n' "$out" | grep -q "^$N checks: $N ok, 0 warnings, 0 failed, 0 could not check$"
ok $? "the summary counts $N ok"
printf '%s\n' "$out" | grep -qi 'could not connect\|connection failed'
ok $((! $?)) "none came back 'could not connect'"
[ "$rc" -eq 0 ] || diag "$(printf '%s\n' "$out" | grep -v '\.\.\. *ok$' | head -20)"

# Far fewer descriptors: fewer in flight, the same answers.
run 64
is "$rc" 0 "$N consumers under ulimit -n 64: exit 0"
is "$(printf '%s\n' "$out" | grep -c '\.\.\. *ok$')" "$N" "all $N ok with 64 descriptors"
[ "$rc" -eq 0 ] || diag "$(printf '%s\n' "$out" | grep -v '\.\.\. *ok$' | head -20)"

done_testing
