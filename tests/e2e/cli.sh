#!/bin/sh
# cli.sh - the program's front door: --help, --version, usage errors (64),
# no terminal (64), and that the docs stay in step with the binary.
. "$top_srcdir/tests/lib/tap.sh"

out=$("$OSMIGRATE" --help); rc=$?
is "$rc" 0 "--help exits 0"
for w in connector-migration endpoint-change restore-database check types compare status mark report \
	--state --answers --save-answers "Exit status"; do
	printf '%s\n' "$out" | grep -q -- "$w"; ok $? "--help mentions $w"
done
"$OSMIGRATE" --help | head -1 | grep -q '^Usage: osmigrate'; ok $? "--help starts with a GNU usage line"
"$OSMIGRATE" --version | head -1 | grep -Eq '^osmigrate [0-9]+\.[0-9]+\.[0-9]+$'; ok $? "--version: name and version"

err=$("$OSMIGRATE" --bogus 2>&1 >/dev/null); rc=$?
is "$rc" 64 "unknown option: exit 64"
printf '%s\n' "$err" | grep -q "Try 'osmigrate --help'"; ok $? "unknown option points at --help"
err=$("$OSMIGRATE" no-such-runbook 2>&1 >/dev/null); rc=$?
is "$rc" 64 "unknown runbook: exit 64"
printf '%s\n' "$err" | grep -q "no-such-runbook"; ok $? "unknown runbook is named"
"$OSMIGRATE" endpoint-change extra </dev/null >/dev/null 2>&1
is "$?" 64 "extra argument: exit 64"

err=$("$OSMIGRATE" connector-migration </dev/null 2>&1); rc=$?
is "$rc" 64 "no terminal: exit 64"
printf '%s\n' "$err" | grep -q "needs a terminal"; ok $? "no terminal: says why"
printf '%s\n' "$err" | grep -q "osmigrate check"; ok $? "no terminal: points at the headless commands"
out=$("$OSMIGRATE" connector-migration 2>/dev/null </dev/null)
is "$out" "" "no terminal: nothing on stdout"

# Every command of --help has its own --help, and the man page and README
# know every command and every exit code of src/base/exitcodes.h.
man="$top_srcdir/man/osmigrate.1"
for c in check types compare status mark report; do
	"$OSMIGRATE" "$c" --help >/dev/null 2>&1; is "$?" 0 "$c --help exits 0"
	grep -q "^\.Cm $c\$" "$man"; ok $? "man page documents $c"
	grep -q "osmigrate $c" "$top_srcdir/README.md"; ok $? "README documents $c"
done
for code in $(sed -n 's/.*= \([0-9][0-9]*\),.*/\1/p' "$top_srcdir/src/base/exitcodes.h"); do
	grep -q "^\.It $code\b\|^\.It .*\b$code\b" "$man"; ok $? "man page lists exit status $code"
	grep -q "^| $code \|^| .*\b$code\b.* |" "$top_srcdir/README.md"; ok $? "README lists exit status $code"
done
if command -v mandoc >/dev/null 2>&1; then
	lint=$(mandoc -Tlint -Wwarning "$man" 2>&1)
	is "$lint" "" "mandoc -Tlint -Wwarning is clean"
else
	skip "mandoc not installed"
fi
done_testing
