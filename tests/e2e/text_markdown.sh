#!/bin/sh
# text_markdown: the Markdown report, rendered by a real GFM renderer
# (cmark-gfm with the table and strikethrough extensions), shows every
# hostile name as text: no link, image, raw HTML, entity, emphasis,
# strikethrough or extra table cell comes from a name, and code spans
# carry no backslash escapes (inside backticks GFM takes text literally);
# a backtick in a name gets a longer fence.
. "$top_srcdir/tests/lib/tap.sh"

command -v cmark-gfm >/dev/null 2>&1 || { echo "1..0 # SKIP cmark-gfm is not installed (scripts/deps.sh installs it)"; exit 0; }
command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 is needed to read the HTML"; exit 0; }
work=$(mktemp -d "${TMPDIR:-/tmp}/osmigrate-md.XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'rm -rf "$work"; exit 129' HUP
trap 'rm -rf "$work"; exit 130' INT
trap 'rm -rf "$work"; exit 143' TERM
umask 077

st=$work/cm.ini
cat >"$st" <<'INI'
[osmigrate]
version = 1
runbook = connector-migration
created = 2026-11-22T01:00:00Z

[target]
host = db.example.com

[extension "[click](http://evil.example) <script>alert(1)</script>"]
logical_database = a | b | c

[extension "![img](http://evil.example/x.png) *em* _u_ ~~strike~~ &#x202e; &amp; #h"]

[extension "<b>bold</b> | cell | cell"]

[step "prerequisites"]
status = done
by = alice@admin1
at = 2026-11-22T01:10:00Z
note = <img src=x onerror=alert(1)> [x]: http://evil.example

[check "platform_version"]
status = failed
at = 2026-11-22T01:06:00Z
label = Platform_version *check*
summary = see <http://evil.example> | extra | cells
fix = run `rm -rf` \\ now

[check "consumer_ping:x`y``z"]
status = failed
at = 2026-11-22T01:06:00Z
summary = backticks

[check "consumer_ping:`lead"]
status = failed
at = 2026-11-22T01:06:00Z
summary = leading backtick

[check "consumer_ping:a|b"]
status = failed
at = 2026-11-22T01:06:00Z
summary = pipe in an id

[item "rebind:[click](http://evil.example) <script>alert(1)</script>"]
status = done
tick.select_extension = alice@admin1 2026-11-22T01:20:00Z
tick.rollback_rebind = alice@admin1 2026-11-22T01:40:00Z

[item "rebind:<b>bold</b> | cell | cell"]
status = in-progress
tick.select_extension = alice@admin1 2026-11-22T01:21:00Z
INI
chmod 600 "$st"
"$OSMIGRATE" report --state "$st" >"$work/r.md" 2>"$work/err"; rc=$?; [ $rc -eq 0 ] || diag "$(cat "$work/err")"; (exit $rc)
is "$?" 0 "report (md): exit 0"
cmark-gfm -e table -e strikethrough "$work/r.md" >"$work/r.html" 2>"$work/err"
ok $? "cmark-gfm renders the report"

check() { # description python-condition
	python3 - "$work/r.html" "$2" <<'PY'
import html, re, sys
h = open(sys.argv[1], encoding="utf-8").read()
text = html.unescape(re.sub(r"<[^>]+>", "", h))
codes = [html.unescape(c) for c in re.findall(r"<code>(.*?)</code>", h, re.S)]
def tables():
    for t in re.findall(r"<table>(.*?)</table>", h, re.S):
        rows = re.findall(r"<tr>(.*?)</tr>", t, re.S)
        yield [len(re.findall(r"<t[hd][ >]", r)) for r in rows]
ok = eval(sys.argv[2])
if not ok:
    print("# condition failed: " + sys.argv[2])
sys.exit(0 if ok else 1)
PY
	ok $? "$1"
}
check "no link from a name" "'<a ' not in h and '<a>' not in h"
check "no image from a name" "'<img' not in h"
check "no raw HTML from a name" "'<script' not in h and '<b>' not in h"
check "no emphasis from a name" "'<em>' not in h"
check "no strikethrough from a name" "'<del>' not in h"
check "no heading from a name" "len(re.findall(r'<h[1-6]>', h)) == h.count('<h1>') + h.count('<h2>') + h.count('<h3>')"
check "an entity in a name stays text" "'&#x202e;' in text and '\u202e' not in h"
check "every table row has as many cells as its header" "all(len(set(t)) == 1 for t in tables())"
check "the names read as text" "'[click](http://evil.example) <script>alert(1)</script>' in text and '<b>bold</b> | cell | cell' in text"
check "the hostile values read as text" "'![img](http://evil.example/x.png) *em* _u_ ~~strike~~ &#x202e; &amp; #h' in text and 'see <http://evil.example> | extra | cells' in text"
check "code spans carry no backslash" "codes and all('\\\\' not in c for c in codes)"
check "a check id is a code span as it is" "'platform_version' in codes"
check "a backtick in an id gets a longer fence" "'consumer_ping:x\`y\`\`z' in codes"
check "one backtick in an id: a double fence" "'consumer_ping:\`lead' in codes"
check "an id with a pipe is text in its cell" "'consumer_ping:a|b' in text"
check "the report's Rollback section names the extension as text" "'<h2>Rollback</h2>' in h and '[click](http://evil.example) <script>alert(1)</script>: 1/3 rollback actions done' in text"

# The rollback path for the ticket (osmigrate rollback --format md).
"$OSMIGRATE" rollback --state "$st" --format md >"$work/r.md" 2>"$work/err"
is "$?" 0 "rollback (md): exit 0"
cmark-gfm -e table -e strikethrough -e tasklist "$work/r.md" >"$work/r.html" 2>"$work/err"
ok $? "cmark-gfm renders the rollback path"
check "rollback: no link, image or raw HTML from a name" "'<a ' not in h and '<img' not in h and '<script' not in h and '<b>' not in h"
check "rollback: the names read as text" "'[click](http://evil.example) <script>alert(1)</script>' in text and '<b>bold</b> | cell | cell' in text"
check "rollback: a task list, the ticked action checked" "h.count('type=\"checkbox\"') == 6 and h.count('checked=\"\"') == 1"
check "rollback: the action ids are code spans" "'rollback_rebind' in codes and 'rollback_republish' in codes"
done_testing
