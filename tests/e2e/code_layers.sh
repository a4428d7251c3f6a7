#!/bin/sh
# code_layers.sh - the source folders are layers (HACKING.md, "Layers"):
# no include crosses a layer upwards, no curses outside screens/, no include
# circle between files or modules, and no call circle between files (the
# object files' symbols, nm); README.md and HACKING.md describe the folders
# as they are.  tests/lib/layers.py does the work; here it
# runs on the tree and the build, and once on copies with a breach put in
# each way, so that it is seen to catch them.
. "$top_srcdir/tests/lib/tap.sh"

command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 not installed"; exit 0; }
command -v nm >/dev/null 2>&1 || { echo "1..0 # SKIP nm not installed"; exit 0; }
layers="$top_srcdir/tests/lib/layers.py"
tmp=$(mktemp -d) || bail "mktemp"
trap 'rm -rf "$tmp"' EXIT

out=$(python3 "$layers" includes "$top_srcdir" 2>&1); rc=$?
is "$rc" 0 "includes: every file in a layer, each including only its layer and those below"
[ "$rc" -eq 0 ] || diag "$out"
out=$(python3 "$layers" calls "$top_srcdir" "$top_builddir" 2>&1); rc=$?
is "$rc" 0 "calls: no call circle between files, no use of a higher layer"
[ "$rc" -eq 0 ] || diag "$out"

out=$(python3 "$layers" docs "$top_srcdir" 2>&1); rc=$?
is "$rc" 0 "README.md and HACKING.md name every folder, and only paths that exist"
[ "$rc" -eq 0 ] || diag "$out"

# A copy of the sources with one breach each.
copy() {
	rm -rf "$tmp/tree"
	mkdir -p "$tmp/tree"
	cp -R "$top_srcdir/src" "$top_srcdir/screens" "$top_srcdir/am" "$top_srcdir/tests" \
		"$top_srcdir/README.md" "$top_srcdir/HACKING.md" "$tmp/tree/"
	chmod -R u+w "$tmp/tree"
}
refused() { # description, expected text in the findings[, what to check]
	out=$(python3 "$layers" "${3:-includes}" "$tmp/tree" 2>&1); rc=$?
	printf '%s\n' "$out" | grep -qF -- "$2"
	ok $(( $? != 0 || rc != 1 )) "$1"
	[ "$rc" -eq 1 ] && printf '%s\n' "$out" | grep -qF -- "$2" || diag "$out"
}

copy
printf '#include "state.h"\n' >>"$tmp/tree/src/base/util.c"
refused "base including core is refused" \
	"src/base/util.c (src/base) includes src/core/state.h (src/core)"
copy
printf '#include "output.h"\n' >>"$tmp/tree/src/core/result.h"
refused "core including cli is refused" \
	"src/core/result.h (src/core) includes src/cli/output.h (src/cli)"
copy
printf '#include "check.h"\n' >>"$tmp/tree/src/probe/pg.c"
refused "probe including checks is refused" \
	"src/probe/pg.c (src/probe) includes src/checks/check.h (src/checks)"
copy
printf '#include "app.h"\n' >>"$tmp/tree/src/cli/output.c"
refused "the CLI including the wizard is refused" \
	"src/cli/output.c (src/cli) includes screens/app.h (screens)"
copy
printf '#include "app.h"\n' >>"$tmp/tree/src/main.c"
refused "main.c takes only tui.h from screens/" \
	"src/main.c: includes screens/app.h"
copy
printf '#include <curses.h>\n' >>"$tmp/tree/src/cli/output.c"
refused "curses outside screens/ is refused" "src/cli/output.c: includes <curses.h>"
copy
printf '#include "progress.h"\n' >>"$tmp/tree/src/core/journal.h"
printf '#include "journal.h"\n' >>"$tmp/tree/src/core/progress.c"
printf '#include "journal.h"\n' >>"$tmp/tree/src/core/progress.h"
refused "an include circle between headers is refused" \
	"include circle: src/core/journal.h -> src/core/progress.h -> src/core/journal.h"
copy
printf '#include "journal.h"\n' >>"$tmp/tree/src/core/version.c"
printf '#include "version.h"\n' >>"$tmp/tree/src/core/journal.c"
refused "an include circle between modules (x.c/x.h) is refused" \
	"include circle between modules (x.c/x.h): src/core/journal -> src/core/version -> src/core/journal"
copy
printf '/* x */\n' >"$tmp/tree/src/stray.c"
refused "a source file outside the layer folders is refused" "src/stray.c: not in a layer folder"
copy
cp "$tmp/tree/src/core/version.h" "$tmp/tree/src/cli/version.h"
refused "two headers of one name are refused" "header name also used by"
copy
sed 's|`src/probe/`|`src/probes/`|g' "$top_srcdir/README.md" >"$tmp/tree/README.md"
refused "a README that misnames a folder is refused" "README.md: does not name the folder src/probe/" docs
copy
printf '\nSee `src/core/gates.c`.\n' >>"$tmp/tree/HACKING.md"
refused "a HACKING.md naming a file not in the tree is refused" \
	"HACKING.md: names src/core/gates.c, which is not in the tree" docs

# Calls, on two small object files.
mkdir -p "$tmp/calls/src/base" "$tmp/calls/src/core" "$tmp/build/src/base" "$tmp/build/src/core"
printf 'void b(void);\nvoid a(void);\nvoid a(void) { b(); }\n' >"$tmp/calls/src/base/a.c"
printf 'void a(void);\nvoid b(void);\nvoid b(void) { a(); }\n' >"$tmp/calls/src/base/b.c"
printf 'void c(void);\nvoid c(void) { }\n' >"$tmp/calls/src/core/c.c"
cc=${CC:-cc}
for f in base/a base/b core/c; do
	"$cc" -c -o "$tmp/build/src/$f.o" "$tmp/calls/src/$f.c" || bail "cannot compile with $cc"
done
out=$(LAYERS_MIN_OBJECTS=1 python3 "$layers" calls "$tmp/calls" "$tmp/build" 2>&1); rc=$?
printf '%s\n' "$out" | grep -qF "call circle: src/base/a.c -> src/base/b.c -> src/base/a.c"
ok $(( $? != 0 || rc != 1 )) "a call circle between two files is refused"
printf 'void c(void);\nvoid b(void);\nvoid b(void) { c(); }\n' >"$tmp/calls/src/base/b.c"
"$cc" -c -o "$tmp/build/src/base/b.o" "$tmp/calls/src/base/b.c" || bail "cannot compile"
out=$(LAYERS_MIN_OBJECTS=1 python3 "$layers" calls "$tmp/calls" "$tmp/build" 2>&1); rc=$?
printf '%s\n' "$out" | grep -qF "src/base/b.c (src/base) uses src/core/c.c (src/core)"
ok $(( $? != 0 || rc != 1 )) "base calling into core is refused"
printf '%s\n' "$out" | grep -qF "call circle"
ok $(( $? == 0 )) "no circle left once the call goes elsewhere"

done_testing
