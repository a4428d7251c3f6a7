# tap.sh - a minimal TAP producer for shell tests.  Source it, then:
#   plan N          (or call done_testing at the end)
#   ok COND_RC "description"      e.g.  grep -q x f; ok $? "found x"
#   skip "why"  /  bail "why"  /  diag "text"
# Every test ends with done_testing, which prints the plan if none was given
# and exits non-zero when anything failed.
_tap_n=0; _tap_fail=0; _tap_planned=
plan() { _tap_planned=$1; echo "1..$1"; }
diag() { printf '%s\n' "$@" | sed 's/^/# /'; }
ok() {
	_tap_n=$((_tap_n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $_tap_n - $2"
	else echo "not ok $_tap_n - $2"; _tap_fail=$((_tap_fail + 1)); fi
}
skip() { _tap_n=$((_tap_n + 1)); echo "ok $_tap_n - # SKIP $1"; }
bail() { echo "Bail out! $1"; exit 1; }
done_testing() {
	[ -n "$_tap_planned" ] || echo "1..$_tap_n"
	[ "$_tap_fail" -eq 0 ]
	exit $?
}
# is ACTUAL EXPECTED DESCRIPTION
is() {
	if [ "$1" = "$2" ]; then ok 0 "$3"; else ok 1 "$3"; diag "got:      '$1'" "expected: '$2'"; fi
}
