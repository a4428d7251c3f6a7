#!/bin/sh
# proof_files.sh - the files osmigrate reads or writes besides the state file
# are handled as carefully as the state file (issue 10, section 4):
#   - the journal: a FIFO in its place makes `mark` refuse at once (nothing
#     recorded, the lock released), not hang while it holds the lock; a
#     link to /dev/zero makes `status --log` and `report` refuse at once,
#     not read without end; a journal of another user with forged lines is
#     refused and none of its "operators" reaches the record; one that
#     others can change is refused, one that others can read is narrowed;
#   - -o FILE (report, types, compare) is replaced only by a complete
#     result: when the connection fails, when a signal ends the run or when
#     the disk is full, the previous FILE is intact byte for byte and no
#     temporary file is left; a symlinked -o is refused and says so;
#     -o /dev/stdout and a FIFO are written directly;
#   - on a connection failure `types -f json` writes an error object (as
#     `compare` does) on standard output;
#   - a refused command creates no directory;
#   - a lock file of another user is refused with a message that names the
#     owner and says that the state file was not opened.
# Everything runs on 127.0.0.1; the root-only cases are skipped otherwise.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/proof.sh"

LISTENER=$top_builddir/tests/tools/proof-listener
[ -x "$LISTENER" ] || { echo "1..0 # SKIP tests/tools/proof-listener is not built (make check builds it)"; exit 0; }
proof_workdir files
W=$PROOF_WORK
umask 077
export HOME="$W" PGPASSFILE="$W/no-pgpass" XDG_STATE_HOME="$W/xdg"
unset PGSERVICEFILE PGSERVICE PGHOST PGPORT PGDATABASE
ROOT=; [ "$(id -u)" -eq 0 ] && ROOT=1

# json_ok FILE EXPR: FILE is JSON and the Python expression on j holds.
json_ok() {
	python3 -c 'import json, sys
j = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2" 2>/dev/null
}
# temps DIR: temporary files an -o left behind (".NAME.XXXXXX").
temps() { find "$1" -maxdepth 1 -name '.*.??????' | wc -l; }

st=$W/ec.ini
j=$st.journal
"$OSMIGRATE" mark --state "$st" --runbook endpoint-change endpoints done --note first >/dev/null 2>&1
ok $? "a state file and its journal to start from"
cp "$j" "$W/journal.real"

# --- the journal ------------------------------------------------------------
# A FIFO: opening it for writing would block until a reader comes, with the
# state lock held.  timeout(1) turns a hang into exit 124.
rm -f "$j"; mkfifo -m 600 "$j"
cp "$st" "$W/st.before"
timeout 10 "$OSMIGRATE" mark --state "$st" solution done >"$W/out" 2>"$W/err"
is "$?" 65 "journal is a FIFO: mark refuses at once (exit 65), it does not hang"
grep -q "nothing recorded: the journal $j is a FIFO (named pipe), not a regular file.*Move it away" "$W/err"
ok $? "journal is a FIFO: the message says what it is and what to do"
diag "$(cat "$W/err")"
cmp -s "$st" "$W/st.before"; ok $? "journal is a FIFO: the state file is unchanged"
[ ! -e "$st.lock" ]; ok $? "journal is a FIFO: the lock is released"
timeout 10 "$OSMIGRATE" status --log --state "$st" >/dev/null 2>"$W/err"
is "$?" 65 "journal is a FIFO: status --log refuses at once (exit 65)"
rm -f "$j"

# A link to /dev/zero: read without end before.
ln -s /dev/zero "$j"
timeout 10 "$OSMIGRATE" status --log --state "$st" >"$W/out" 2>"$W/err"
is "$?" 65 "journal links to /dev/zero: status --log refuses at once (exit 65)"
grep -q "the journal $j is a symbolic link" "$W/err"
ok $? "journal links to /dev/zero: status --log says it is a link"
timeout 10 "$OSMIGRATE" report --state "$st" -f json -o "$W/rep.json" 2>"$W/err"
is "$?" 0 "journal links to /dev/zero: report finishes at once (exit 0)"
json_ok "$W/rep.json" 'j["journal"]["events"] == 0 and "symbolic link" in j["journal"]["error"]'
ok $? "journal links to /dev/zero: the record says why the journal was not used"
timeout 10 "$OSMIGRATE" report --state "$st" -f md 2>/dev/null | grep -q 'The journal was not used'
ok $? "journal links to /dev/zero: the Markdown record says so too"
rm -f "$j"

# Forged lines in a journal of another user (formatted and checksummed as
# osmigrate would, so only the owner check can stop them).
forged() {
	python3 - "$1" <<'EOP'
import sys, zlib
line = "J1\t2026-11-22T04:31:00Z\tmallory@evil\tendpoint-change\tsolution\t\tstatus\tdone\t"
line += "%08x\n" % (zlib.crc32(line.encode()) & 0xffffffff)
open(sys.argv[1], "a").write(line)
EOP
}
rm -f "$j"; cp "$W/journal.real" "$j"; forged "$j"
"$OSMIGRATE" status --log --state "$st" 2>/dev/null | grep -q mallory
ok $? "control: a forged line in a journal of ours reads as an event"
if [ -n "$ROOT" ]; then
	chown 65534:65534 "$j"
	"$OSMIGRATE" report --state "$st" -f json -o "$W/rep.json" 2>"$W/err"
	is "$?" 0 "journal of another user: report still writes the record"
	grep -q mallory "$W/rep.json"; [ $? -ne 0 ]
	ok $? "journal of another user: its forged operator is not in the record"
	json_ok "$W/rep.json" '"belongs to the user" in j["journal"]["error"] and "(uid 65534), not to you" in j["journal"]["error"]'
	ok $? "journal of another user: the record says whose it is"
	"$OSMIGRATE" status --log --state "$st" >"$W/out" 2>"$W/err"
	is "$?" 65 "journal of another user: status --log refuses (exit 65)"
	grep -q mallory "$W/out"; [ $? -ne 0 ]
	ok $? "journal of another user: nothing of it is shown"
	"$OSMIGRATE" mark --state "$st" solution done >/dev/null 2>"$W/err"
	is "$?" 65 "journal of another user: mark records nothing (exit 65)"
	grep -q "belongs to the user .*(uid 65534)" "$W/err"
	ok $? "journal of another user: mark names the owner"
else
	for n in 1 2 3 4 5 6 7; do skip "a journal of another user needs root to set up"; done
fi
# Writable by others: any line could be forged.
rm -f "$j"; cp "$W/journal.real" "$j"; chmod 666 "$j"
"$OSMIGRATE" status --log --state "$st" >/dev/null 2>"$W/err"
is "$?" 65 "journal writable by others: refused (exit 65)"
grep -q "can be changed by other users (mode 0666).*chmod 600" "$W/err"
ok $? "journal writable by others: the message gives the mode and the fix"
# Readable by others: ours, so narrowed again.
chmod 644 "$j"
"$OSMIGRATE" mark --state "$st" solution done >/dev/null 2>&1
is "$?" 0 "journal readable by others: mark records"
is "$(stat -c %a "$j")" 600 "journal readable by others: narrowed to 0600"

# --- -o FILE ----------------------------------------------------------------
closed=$("$LISTENER" freeport)
[ -n "$closed" ] || bail "no free port"
DEAD="host=127.0.0.1 port=$closed dbname=demo user=osm connect_timeout=5"
printf 'a colleague'"'"'s report\n' >"$W/prev"
for fmt in text json; do
	cp "$W/prev" "$W/types.$fmt"
	"$OSMIGRATE" types "$DEAD" -f "$fmt" -o "$W/types.$fmt" >"$W/out" 2>"$W/err"
	is "$?" 3 "types -f $fmt -o, connection refused: exit 3"
	cmp -s "$W/types.$fmt" "$W/prev"; ok $? "types -f $fmt -o, connection refused: the previous file is intact"
	grep -q "$W/types.$fmt was left as it was" "$W/err"
	ok $? "types -f $fmt -o, connection refused: stderr says the file was left as it was"
	cp "$W/prev" "$W/compare.$fmt"
	"$OSMIGRATE" compare --format "$fmt" -o "$W/compare.$fmt" "$DEAD" "$DEAD dbname=other" >"$W/cout" 2>"$W/err"
	is "$?" 3 "compare --format $fmt -o, connection refused: exit 3"
	cmp -s "$W/compare.$fmt" "$W/prev"; ok $? "compare --format $fmt -o, connection refused: the previous file is intact"
done
json_ok "$W/out" 'j["version"] == 2 and j["summary"] is None and j["unmatched"] is None and j["findings"] == [] and "Connection refused" in j["error"]["message"] and j["error"]["fix"]'
ok $? "types -f json, connection refused: an error object (no summary, the message and the fix) on stdout"
json_ok "$W/cout" 'j["result"] == "error" and "Connection refused" in j["error"]["message"]'
ok $? "compare --format json, connection refused: its error object on stdout"
"$OSMIGRATE" types "$DEAD" -f json >"$W/out" 2>/dev/null
is "$?" 3 "types -f json without -o, connection refused: exit 3"
json_ok "$W/out" 'j["error"]["message"] and j["summary"] is None'
ok $? "types -f json without -o, connection refused: the error object on stdout"
is "$(temps "$W")" 0 "no temporary file left by the failed runs"

# A signal while types waits for a server that never answers.
"$LISTENER" silent "$W/silent.port" &
proof_on_exit "kill $! 2>/dev/null"
proof_wait_file "$W/silent.port" || bail "the silent listener did not start"
SILENT="host=127.0.0.1 port=$(cat "$W/silent.port") dbname=demo user=osm connect_timeout=60"
cp "$W/prev" "$W/sig.json"
"$OSMIGRATE" types "$SILENT" -f json -o "$W/sig.json" >/dev/null 2>&1 </dev/null &
pid=$!
sleep 1
kill -TERM $pid
wait $pid
is "$?" 143 "types -o, SIGTERM while connecting: exit 143"
cmp -s "$W/sig.json" "$W/prev"; ok $? "types -o, SIGTERM while connecting: the previous file is intact"
is "$(temps "$W")" 0 "types -o, SIGTERM while connecting: no temporary file left"

# A symbolic link as -o: refused, and the message says so.
printf 'precious\n' >"$W/precious"; cp "$W/precious" "$W/precious.before"
ln -s "$W/precious" "$W/link.md"
"$OSMIGRATE" report --state "$st" -o "$W/link.md" >/dev/null 2>"$W/err"
is "$?" 74 "report -o a symbolic link: exit 74"
grep -q "$W/link.md is a symbolic link: osmigrate does not write through links" "$W/err"
ok $? "report -o a symbolic link: the message says it is a symbolic link"
cmp -s "$W/precious" "$W/precious.before"; ok $? "report -o a symbolic link: its target is untouched"
"$OSMIGRATE" types "$DEAD" -o "$W/link.md" >/dev/null 2>"$W/err"
is "$?" 74 "types -o a symbolic link: exit 74 before connecting"
grep -q "is a symbolic link" "$W/err"; ok $? "types -o a symbolic link: says so"
"$OSMIGRATE" compare -o "$W/link.md" "$DEAD" "$DEAD dbname=other" >/dev/null 2>"$W/err"
is "$?" 74 "compare -o a symbolic link: exit 74 before connecting"
grep -q "is a symbolic link" "$W/err"; ok $? "compare -o a symbolic link: says so"

# -o naming the state file, its journal (under another name: a hard link)
# or the answers file just read: refused, nothing replaced.
cp "$st" "$W/st.before"
"$OSMIGRATE" report --state "$st" -o "$st" >/dev/null 2>"$W/err"
is "$?" 74 "report -o the state file itself: refused (exit 74)"
grep -q "which -o would replace: nothing was written" "$W/err"; ok $? "report -o the state file: the message says why"
cmp -s "$st" "$W/st.before"; ok $? "report -o the state file: the state file is untouched"
if [ -f "$st.journal" ]; then
	cp "$st.journal" "$W/j.before"
	ln "$st.journal" "$W/journal-link.md"
	"$OSMIGRATE" report --state "$st" -o "$W/journal-link.md" >/dev/null 2>"$W/err"
	is "$?" 74 "report -o a hard link of the journal: refused (exit 74)"
	cmp -s "$st.journal" "$W/j.before"; ok $? "report -o a hard link of the journal: the journal is untouched"
	rm -f "$W/journal-link.md"
fi
printf '[target]\nhost = 127.0.0.1\n' >"$W/ans.ini"; chmod 600 "$W/ans.ini"; cp "$W/ans.ini" "$W/ans.before"
"$OSMIGRATE" types --answers "$W/ans.ini" -o "$W/ans.ini" >/dev/null 2>"$W/err"
is "$?" 74 "types -o its own answers file: refused (exit 74)"
cmp -s "$W/ans.ini" "$W/ans.before"; ok $? "types -o its own answers file: the answers are untouched"

# Written directly: /dev/stdout.
"$OSMIGRATE" report --state "$st" -f json -o /dev/stdout >"$W/stdout.json" 2>"$W/err"
is "$?" 0 "report -o /dev/stdout: exit 0"
json_ok "$W/stdout.json" 'j["version"] == 1'; ok $? "report -o /dev/stdout: the record on stdout"
# Replaced when complete: the new record, mode 0600.
cp "$W/prev" "$W/rep.md"; chmod 644 "$W/rep.md"
"$OSMIGRATE" report --state "$st" -o "$W/rep.md" 2>/dev/null
is "$?" 0 "report -o over an existing file: exit 0"
grep -q '^# Change record' "$W/rep.md"; ok $? "report -o over an existing file: replaced by the record"
is "$(stat -c %a "$W/rep.md")" 600 "report -o over an existing file: mode 0600"

# A full disk: the previous file must survive the failed write.
M=$W/mnt
mkdir -m 700 "$M"
if [ -n "$ROOT" ] && mount -t tmpfs -o size=64k,mode=0700 tmpfs "$M" 2>/dev/null; then
	proof_on_exit "umount '$M'"
	cp "$W/prev" "$M/record.md"
	dd if=/dev/zero of="$M/fill" bs=1k 2>/dev/null
	is "$(df -Pk "$M" | awk 'NR == 2 { print $4 }')" 0 "tmpfs: the file system is full"
	"$OSMIGRATE" report --state "$st" -o "$M/record.md" >/dev/null 2>"$W/err"
	is "$?" 74 "report -o on a full disk: exit 74"
	grep -q "No space left on device.*left as it was.*free some disk space" "$W/err"
	ok $? "report -o on a full disk: the message names the cause and says the file was kept"
	diag "$(cat "$W/err")"
	cmp -s "$M/record.md" "$W/prev"; ok $? "report -o on a full disk: the previous file is intact byte for byte"
	is "$(temps "$M")" 0 "report -o on a full disk: no temporary file left"
else
	for n in 1 2 3 4 5; do skip "a full disk needs mount -t tmpfs (root)"; done
fi

# --- a refused command creates no directory -----------------------------------
"$OSMIGRATE" status --runbook endpoint-change >/dev/null 2>&1
is "$?" 64 "status --runbook without a state file: exit 64"
"$OSMIGRATE" mark --runbook endpoint-change no-such-step done >/dev/null 2>&1
is "$?" 64 "mark --runbook with an unknown step: exit 64"
"$OSMIGRATE" report --runbook connector-migration >/dev/null 2>&1
is "$?" 64 "report --runbook without a state file: exit 64"
[ ! -e "$XDG_STATE_HOME" ]; ok $? "no state directory was created by the refused commands"
"$OSMIGRATE" mark --state "$W/new/dir/s.ini" endpoints done >/dev/null 2>&1
is "$?" 64 "mark on a new state file without --runbook: exit 64"
[ ! -e "$W/new" ]; ok $? "no directory was created for it"
"$OSMIGRATE" mark --runbook endpoint-change endpoints done >/dev/null 2>&1
is "$?" 0 "a mark that records: exit 0"
is "$(stat -c %a "$XDG_STATE_HOME/osmigrate")" 700 "the state directory is created, 0700, when a file is written"

# --- a lock file of another user -------------------------------------------
if [ -n "$ROOT" ]; then
	printf 'pid=1\nhost=elsewhere\n' >"$st.lock"; chown 65534:65534 "$st.lock"
	cp "$st" "$W/st.before"
	"$OSMIGRATE" mark --state "$st" solution done >/dev/null 2>"$W/err"
	is "$?" 75 "lock file of another user: exit 75"
	grep -q "the lock file $st.lock belongs to the user .*(uid 65534), not to you (uid 0), so osmigrate did not open the state file $st" "$W/err"
	ok $? "lock file of another user: the message names the owner and what was refused"
	grep -q "rm $st.lock" "$W/err"; ok $? "lock file of another user: and says what to do"
	grep -q "writable" "$W/err"; [ $? -ne 0 ]; ok $? "lock file of another user: no talk of directory permissions"
	cmp -s "$st" "$W/st.before"; ok $? "lock file of another user: the state file is unchanged"
	rm -f "$st.lock"
else
	for n in 1 2 3 4 5; do skip "a lock file of another user needs root to set up"; done
fi

done_testing
