#!/bin/sh
# proof_fullfs.sh - a full file system never costs the operator the state.
# On a small tmpfs (when `mount -t tmpfs` works, i.e. as root; skipped
# otherwise) filled with a filler file:
#   - no byte free: mark fails with exit 74 and a message naming the file and
#     the cause;
#   - one page free (the lock fits, the new state file does not), and two
#     pages free and a note bigger than one (the write fails midway): exit
#     74, "could not save ... intact ... Free some disk space";
#   in every case the state file and the journal are intact byte for byte,
#   no temporary or lock file is left, status still reads the state, and
#   once space is freed the same mark succeeds.
# Under RLIMIT_FSIZE (ulimit -f, SIGXFSZ ignored so write fails with EFBIG),
# which needs no privilege: the same for the state file; and when only the
# journal is over the limit, the state is saved (exit 0), the journal is
# untouched and a warning says to free space; when the limit falls inside
# the next journal line, the torn line is never shown as an event and the
# next events are whole.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/proof.sh"

proof_workdir fullfs
W=$PROOF_WORK
umask 077
BIG=$(head -c 6000 /dev/zero | tr '\0' n)

# other files than the state, its journal and the filler
leftovers() { find "$1" -mindepth 1 ! -name s.ini ! -name s.ini.journal ! -name fill | wc -l; }

# full_case DIR NAME EXPECT-REGEX NOTE: a mark that must fail with 74
full_case() {
	d=$1 name=$2 re=$3 note=$4
	cp "$d/s.ini" "$W/s.before"; cp "$d/s.ini.journal" "$W/j.before"
	"$OSMIGRATE" mark --state "$d/s.ini" solution pending --note "$note" >"$W/out" 2>"$W/err"
	is "$?" 74 "$name: mark exits 74"
	grep -Eq "$re" "$W/err"
	ok $? "$name: the message says what happened and where"
	diag "$(cat "$W/err")"
	cmp -s "$d/s.ini" "$W/s.before"
	ok $? "$name: the previous state file is intact byte for byte"
	cmp -s "$d/s.ini.journal" "$W/j.before"
	ok $? "$name: the journal is intact"
	is "$(leftovers "$d")" 0 "$name: no temporary or lock file left"
	"$OSMIGRATE" status --state "$d/s.ini" >/dev/null 2>&1
	is "$?" 0 "$name: status still reads the state file"
}

# --- tmpfs ---------------------------------------------------------------
M=$W/mnt
mkdir -m 700 "$M"
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=64k,mode=0700 tmpfs "$M" 2>/dev/null; then
	proof_on_exit "umount '$M'"
	"$OSMIGRATE" mark --state "$M/s.ini" --runbook endpoint-change endpoints done --note first >/dev/null 2>&1
	ok $? "tmpfs: a state file to start from"
	dd if=/dev/zero of="$M/fill" bs=1k 2>/dev/null
	size=$(stat -c %s "$M/fill")
	is "$(df -Pk "$M" | awk 'NR == 2 { print $4 }')" 0 "tmpfs: the file system is full"
	full_case "$M" "tmpfs full" "$M/s.ini.* No space left on device" "x"
	truncate -s $((size - 4096)) "$M/fill"
	full_case "$M" "tmpfs one page free" "could not save the state file $M/s.ini .*No space left on device.*intact.*[Ff]ree some disk space" "x"
	truncate -s $((size - 2 * 4096)) "$M/fill"
	full_case "$M" "tmpfs 2 pages free, 6 kB note" "could not save the state file $M/s.ini .*No space left on device.*intact" "$BIG"
	rm -f "$M/fill"
	"$OSMIGRATE" mark --state "$M/s.ini" solution pending --note "$BIG" >/dev/null 2>"$W/err"
	is "$?" 0 "tmpfs: with space freed the same mark succeeds"
	# Long values continue on "note+" lines: count the note's bytes.
	[ "$(grep '^note' "$M/s.ini" | tr -cd n | wc -c)" -ge 6000 ] && grep -q "	note	$BIG	" "$M/s.ini.journal"
	ok $? "tmpfs: the change is in the state file and the journal"
else
	skip "tmpfs: mount -t tmpfs is not permitted here (needs root); RLIMIT_FSIZE below"
fi

# --- RLIMIT_FSIZE ----------------------------------------------------------
D=$W/fsize
mkdir -m 700 "$D"
"$OSMIGRATE" mark --state "$D/s.ini" --runbook endpoint-change endpoints done --note first >/dev/null 2>&1
# 2 blocks: 1 KiB in dash and POSIX sh (512-byte blocks), 2 KiB in bash;
# the state file is ~0.5 KiB, the note makes it 6.5 KiB.
limited() { sh -c 'trap "" XFSZ; ulimit -f 2 || exit 99; exec "$@"' limited "$@"; }
cp "$D/s.ini" "$W/s.before"; cp "$D/s.ini.journal" "$W/j.before"
limited "$OSMIGRATE" mark --state "$D/s.ini" solution pending --note "$BIG" >"$W/out" 2>"$W/err"
is "$?" 74 "RLIMIT_FSIZE: mark exits 74"
grep -Eq "could not save the state file $D/s.ini .*File too large.*intact" "$W/err"
ok $? "RLIMIT_FSIZE: the message names the file, the cause and that nothing was lost"
diag "$(cat "$W/err")"
cmp -s "$D/s.ini" "$W/s.before" && cmp -s "$D/s.ini.journal" "$W/j.before"
ok $? "RLIMIT_FSIZE: state file and journal intact byte for byte"
is "$(leftovers "$D")" 0 "RLIMIT_FSIZE: no temporary or lock file left"
"$OSMIGRATE" mark --state "$D/s.ini" solution pending --note "$BIG" >/dev/null 2>&1
is "$?" 0 "RLIMIT_FSIZE: without the limit the same mark succeeds"

# Only the journal is over the limit: the state is saved, the journal whole.
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	"$OSMIGRATE" mark --state "$D/s.ini" endpoints done --note "n$i" >/dev/null 2>&1
done
"$OSMIGRATE" mark --state "$D/s.ini" solution pending --note small >/dev/null 2>&1
cp "$D/s.ini.journal" "$W/j.before"
[ "$(stat -c %s "$D/s.ini")" -lt 1024 ] && [ "$(stat -c %s "$D/s.ini.journal")" -gt 2048 ]
ok $? "RLIMIT_FSIZE: a state file under the limit, a journal over it"
limited "$OSMIGRATE" mark --state "$D/s.ini" solution pending --note jfull >"$W/out" 2>"$W/err"
is "$?" 0 "RLIMIT_FSIZE on the journal only: the state is saved (exit 0)"
grep -q '^note = jfull' "$D/s.ini"
ok $? "RLIMIT_FSIZE on the journal only: the change is in the state file"
cmp -s "$D/s.ini.journal" "$W/j.before"
ok $? "RLIMIT_FSIZE on the journal only: the journal is untouched (no torn event)"
grep -q "warning: could not write the journal .*File too large.*free some space" "$W/err"
ok $? "RLIMIT_FSIZE on the journal only: a warning says so and what to do"

# The limit falls inside the next journal line: a real torn event.  The
# byte-exact limit comes from python3 (ulimit -f counts in blocks).
if command -v python3 >/dev/null 2>&1; then
	bytes_limited() {  # BYTES CMD...
		python3 -c 'import os, resource, signal, sys
n = int(sys.argv[1]); signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (n, n)); os.execv(sys.argv[2], sys.argv[2:])' "$@"
	}
	shown() { "$OSMIGRATE" status --log --state "$D/s.ini" 2>/dev/null | grep -c '^20[0-9][0-9]-'; }
	before=$(shown)
	J=$(stat -c %s "$D/s.ini.journal")
	bytes_limited $((J + 30)) "$OSMIGRATE" mark --state "$D/s.ini" solution pending --note torn >"$W/out" 2>"$W/err"
	is "$?" 0 "journal torn mid-line: the state is saved (exit 0)"
	is "$(stat -c %s "$D/s.ini.journal")" $((J + 30)) "journal torn mid-line: 30 bytes of the event were written"
	[ "$(tail -c 1 "$D/s.ini.journal" | od -An -c | tr -d ' ')" != '\n' ]
	ok $? "journal torn mid-line: the journal ends inside a line"
	is "$(shown)" "$before" "journal torn mid-line: status --log shows no new event"
	"$OSMIGRATE" status --log --state "$D/s.ini" >/dev/null 2>"$W/err"
	grep -q 'damaged or incomplete line' "$W/err"
	ok $? "journal torn mid-line: status --log says a damaged line was ignored"
	"$OSMIGRATE" mark --state "$D/s.ini" solution pending --note after >/dev/null 2>&1
	is "$?" 0 "journal torn mid-line: the next mark succeeds"
	is "$(shown)" $((before + 2)) "journal torn mid-line: its two events are shown, the torn one never"
	tail -n 2 "$D/s.ini.journal" | grep -c '^J1	.*	[0-9a-f]\{8\}$' >"$W/n"
	is "$(cat "$W/n")" 2 "journal torn mid-line: the events after it are whole lines"
else
	skip "python3 is needed for a byte-exact RLIMIT_FSIZE"
fi

done_testing
