#!/bin/sh
# tui_layers: the wizard's files (screens/) depend on each other in one
# direction only (HACKING.md, "The wizard").  Each file has a layer below;
# a file may call (nm of libosmigrate_tui.a) only files of a lower layer
# and include only headers of its own layer or lower, so no two screens
# call each other and no include or call goes round in a circle (tsort
# checks that on its own too).  A new file in screens/ gets its layer here.
. "$top_srcdir/tests/lib/tap.sh"
lib="$top_builddir/libosmigrate_tui.a"
src="$top_srcdir/screens"
[ -f "$lib" ] || bail "no $lib: build first"
command -v nm >/dev/null || bail "nm (binutils) is needed"
tmp=$(mktemp -d) || bail "mktemp"
trap 'rm -rf "$tmp"' EXIT

# file layer: lower layers know nothing of the higher ones.
cat >"$tmp/layers" <<'EOF'
cursesw.h 0
terminal.h 0
term.c 0
tui.h 0
options.h 0
import.h 0
import.c 0
job.h 0
job.c 0
draw.h 10
draw.c 10
keys.h 10
keys.c 10
dialog.h 20
dialog.c 20
help.h 20
help.c 20
app.h 30
app.c 30
checkjob.h 40
checkjob.c 40
screens.h 45
chooser.c 50
resume.c 50
step.c 50
settings.c 50
types.c 50
tui.c 60
EOF

# Every file of screens/ has a layer.
unknown=$(cd "$src" && ls -- *.c *.h | while read -r f; do
	grep -q "^$f " "$tmp/layers" || echo "$f"
done)
[ -z "$unknown" ]; ok $? "every file in screens/ has a layer in this test"
[ -z "$unknown" ] || diag "no layer: $unknown"

# Edges "from to what": includes of screens/ headers, then calls (a symbol
# one member of the archive needs and another defines).
(cd "$src" && for f in *.c *.h; do
	sed -n 's/^#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f" | while read -r h; do
		[ -f "$h" ] && [ "$h" != "$f" ] && echo "$f $h include"
	done
done) >"$tmp/edges"
nm -A -P "$lib" | awk '
	{ m = $1; sub(/^.*\[/, "", m); sub(/\]:$/, "", m); sub(/\.o$/, ".c", m) }
	$3 == "U" { need[m, $2] = 1; next }
	$3 ~ /^[A-TV-Z]$/ { def[$2] = m }
	END {
		for (k in need) {
			split(k, p, SUBSEP)
			if ((p[2] in def) && def[p[2]] != p[1])
				print p[1], def[p[2]], p[2]
		}
	}' | sort >>"$tmp/edges"
grep -q " app_message$" "$tmp/edges"; ok $? "the calls were read from $lib (nm)"

# No circle: tsort finds one in the whole graph, includes and calls.
awk '{ print $1, $2 }' "$tmp/edges" | tsort >/dev/null 2>"$tmp/loop"
ok $? "no include or call circle among the files of screens/"
[ -s "$tmp/loop" ] && diag "$(head -n 20 "$tmp/loop")"

# Downward only: a call to a lower layer, an include of the same or lower.
awk 'NR == FNR { layer[$1] = $2; next }
	!($1 in layer) || !($2 in layer) { next }
	$3 == "include" && layer[$2] > layer[$1] ||
	$3 != "include" && layer[$2] >= layer[$1] {
		printf "%s (layer %d) %s %s (layer %d)%s\n", $1, layer[$1],
		       $3 == "include" ? "includes" : "calls", $2, layer[$2],
		       $3 == "include" ? "" : " through " $3
	}' "$tmp/layers" "$tmp/edges" >"$tmp/up"
[ ! -s "$tmp/up" ]; ok $? "every include and call goes to a lower layer"
[ -s "$tmp/up" ] && diag "$(cat "$tmp/up")"

# The rules the layers stand for, by name (each also follows from above).
! grep -q "^term\.c [a-z]*\.c " "$tmp/edges"; ok $? "term.c calls nothing in screens/"
! grep -q "^dialog\.c app\.c " "$tmp/edges"; ok $? "the dialogs do not call app.c (they take a redraw callback)"
! grep -q "^job\.c [a-z]*\.c " "$tmp/edges"; ok $? "job.c calls nothing in screens/ (a job ends through its done callback)"
! grep -q "^[a-z]*\.c tui\.c " "$tmp/edges"; ok $? "nothing calls tui.c"
! grep -Eq "^(chooser|resume|step|settings|types)\.c (chooser|resume|step|settings|types)\.c " \
	"$tmp/edges"
ok $? "no screen calls another screen"
done_testing
