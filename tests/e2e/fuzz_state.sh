#!/bin/sh
# fuzz_state.sh - a short libFuzzer run (ASan+UBSan) of the state/answers
# parser and validators, as part of make check: OSMIGRATE_FUZZ_SECONDS
# (default 60; 0 skips).  Longer runs: tests/fuzz/run.sh SECONDS.
. "$top_srcdir/tests/lib/tap.sh"
secs=${OSMIGRATE_FUZZ_SECONDS:-60}
if [ "$secs" -eq 0 ]; then
	skip "OSMIGRATE_FUZZ_SECONDS=0"
	done_testing
fi
out=$(mktemp "${TMPDIR:-/tmp}/osmigrate-fuzz-out.XXXXXX")
trap 'rm -f "$out"' EXIT
sh "$top_srcdir/tests/fuzz/run.sh" "$secs" >"$out" 2>&1
rc=$?
if [ $rc -eq 77 ]; then
	skip "$(tail -1 "$out")"
else
	ok $rc "libFuzzer on doc_parse_string and settings_validate for $secs s finds nothing"
	[ $rc -eq 0 ] || diag "$(tail -40 "$out")"
	grep -q 'stat::number_of_executed_units' "$out"
	ok $? "the fuzzer really ran ($(sed -n 's/^stat::number_of_executed_units: *//p' "$out") inputs)"
fi
done_testing
