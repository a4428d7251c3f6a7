#!/bin/sh
# state_corpus.sh - the real binary against every malformed state and
# answers file of tests/corpus: exit 65, a message naming the file (and the
# line), and the file left byte-for-byte unchanged.  Also: a file readable by
# others, a symlink, and a 10 MB line.
. "$top_srcdir/tests/lib/tap.sh"

[ -x "$OSMIGRATE" ] || bail "no binary at $OSMIGRATE"
work=$(mktemp -d "${TMPDIR:-/tmp}/osm-corpus.XXXXXX") || bail "mktemp"
trap 'rm -rf "$work"' EXIT INT TERM
export XDG_STATE_HOME="$work/xdg" HOME="$work"

# refused KIND FILE LINE SUBSTRING ORIGINAL
refused() {
	kind=$1 f=$2 line=$3 sub=$4 orig=$5
	if [ "$kind" = state ]; then
		"$OSMIGRATE" status --state "$f" >"$work/out" 2>"$work/err"
		rc=$?
	else
		# the wizard loads answers only on a terminal: give it one.
		# </dev/null: script(1) would read the rest of EXPECT, the loop's
		# input, and only the first answers file would be tried.
		timeout 20 script -qec "\"$OSMIGRATE\" --answers \"$f\" 2>\"$work/err\"" /dev/null \
			</dev/null >"$work/out" 2>&1
		rc=$?
	fi
	name=$(basename "$f")
	is "$rc" 65 "$kind/$name: exit 65"
	if [ "$line" -gt 0 ]; then
		grep -qF "line $line" "$work/err"; ok $? "$kind/$name: names line $line"
	fi
	grep -qF "$f" "$work/err"; ok $? "$kind/$name: names the file"
	grep -qF -- "$sub" "$work/err"; ok $? "$kind/$name: says '$sub'"
	[ "$rc" = 65 ] && [ -s "$work/err" ] || diag "stderr: $(cat "$work/err")"
	cmp -s "$f" "$orig"; ok $? "$kind/$name: file unchanged"
	[ ! -e "$f.lock" ]; ok $? "$kind/$name: no lock file left"
}

# answers need a terminal (script(1) provides one) unless none can be had
have_script=yes
script -qec true /dev/null >/dev/null 2>&1 || have_script=no
for kind in state answers; do
	if [ $kind = answers ] && [ $have_script = no ]; then
		skip "answers corpus: script(1) cannot open a pseudo-terminal here"
		continue
	fi
	while IFS='|' read -r name line sub; do
		case $name in ''|'#'*) continue ;; esac
		orig="$top_srcdir/tests/corpus/$kind/$name"
		f="$work/$name"
		cp "$orig" "$f" && chmod 600 "$f"
		refused "$kind" "$f" "$line" "$sub" "$orig"
		rm -f "$f"
	done < "$top_srcdir/tests/corpus/$kind/EXPECT"
done

# modes and links
good="$work/good.ini"
printf '[osmigrate]\nversion = 1\nrunbook = endpoint-change\n' > "$good"
cp "$good" "$work/good.orig"
chmod 644 "$good"
refused state "$good" 0 "chmod 600" "$work/good.orig"
chmod 600 "$good"
ln -s "$good" "$work/link.ini"
refused state "$work/link.ini" 0 "symbolic link" "$work/good.orig"
"$OSMIGRATE" status --state "$good" >/dev/null 2>"$work/err"
is "$?" 0 "the same file, private and not a link, is accepted"
chmod 620 "$good"
refused state "$good" 0 "chmod 600" "$work/good.orig"
chmod 600 "$good"
if [ "$(id -u)" = 0 ]; then
	cp "$good" "$work/other.ini"
	chown 65534:65534 "$work/other.ini"
	refused state "$work/other.ini" 0 "owned by uid 65534" "$work/good.orig"
else
	skip "a file owned by someone else needs root to set up"
fi

# a 10 MB line
big="$work/big.ini"
{ printf '[osmigrate]\nversion = 1\nrunbook = endpoint-change\n\n[step "dns"]\nnote = '
  head -c 10485760 /dev/zero | tr '\0' 'n'; printf '\n'; } > "$big"
chmod 600 "$big"
cp "$big" "$work/big.orig"
refused state "$big" 6 "bytes long" "$work/big.orig"

done_testing
