#!/bin/sh
# proof_crash.sh - crash consistency of `osmigrate mark` under SIGKILL.
# PROOF_KILLS times (default 200) start a mark that changes a step's status
# and note, and SIGKILL it after a random delay spread over the whole run of
# a mark (measured first).  After every kill:
#   - the state file parses (status exits 0) and is not locked (75) for the
#     next command;
#   - every step holds the last change whose mark exited 0, or a change
#     that was in flight when a later mark was killed (never an older one,
#     never a mix of two changes);
#   - at most one temporary file is next to it (a killed save's leftover,
#     removed by the next save), none at the end (nor a lock file).
# At the end: every line of the journal is a whole event with a good CRC
# or a torn fragment that `status --log` does not show, every mark that
# exited 0 has its note event, and the program resumes (a last mark, status).
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/proof.sh"

command -v python3 >/dev/null 2>&1 || { echo "1..0 # SKIP python3 checks the journal's CRCs"; exit 0; }
proof_workdir crash
W=$PROOF_WORK
KILLS=${PROOF_KILLS:-200}
st=$W/state/ec.ini
mkdir -m 700 "$W/state"
umask 077

"$OSMIGRATE" mark --state "$st" --runbook endpoint-change endpoints done --note start >/dev/null 2>&1
ok $? "a state file to start from"

# Random numbers from /dev/urandom (no $RANDOM in POSIX sh).
rnd() { od -An -N2 -tu2 /dev/urandom | tr -d ' '; }

# How long does a mark take here?  The kills are spread over 0..1.3x that.
t0=$(date +%s%N)
for i in 1 2 3 4 5; do
	"$OSMIGRATE" mark --state "$st" solution pending --note "warm$i" >/dev/null 2>&1
done
t1=$(date +%s%N)
span=$(( (t1 - t0) / 5 / 1000 * 13 / 10 ))  # microseconds
[ "$span" -gt 1000 ] || span=1000
diag "a mark takes about $(( span * 10 / 13 / 1000 )) ms; kills spread over 0..$((span / 1000)) ms"

# The model: for each step, the values a correct state file may hold.
STEPS="endpoints solution settings republish"
for s in $STEPS; do eval "allow_$s=' none '"; done
allow_endpoints=' done/start '
allow_solution=' pending/warm5 '

# step status/note pairs of the state file ("step status/note" lines).
state_pairs() {
	awk '/^\[step "/ { s = $2; gsub(/^"|"\]$/, "", s); next }
	     /^\[/ { s = ""; next }
	     s != "" && $1 == "status" { st[s] = $3 }
	     s != "" && $1 == "note" { no[s] = $3 }
	     END { for (k in st) print k, st[k] "/" no[k] }' "$1"
}

extra_files() {  # files next to the state file other than it, its journal and lock
	find "$W/state" -mindepth 1 ! -name ec.ini ! -name ec.ini.journal ! -name ec.ini.lock | wc -l
}

acked=0 killed=0 bad_parse=0 bad_value=0 locked=0 maxextra=0 other=0
: >"$W/acked"
i=0
while [ $i -lt "$KILLS" ]; do
	i=$((i + 1))
	set -- $STEPS
	n=$(( $(rnd) % 4 + 1 ))
	eval "s=\${$n}"
	if [ "$s" = endpoints ] && [ $((i % 2)) -eq 0 ]; then status=pending; else status=done; fi
	[ "$s" = endpoints ] || status=pending
	val="$status/k$i"
	delay=$(( $(rnd) * span / 65536 ))
	"$OSMIGRATE" mark --state "$st" "$s" "$status" --note "k$i" >/dev/null 2>"$W/mark.err" &
	pid=$!
	sleep "$(printf '%d.%06d' $((delay / 1000000)) $((delay % 1000000)))"
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rc=$?
	case $rc in
	0)	acked=$((acked + 1)); eval "allow_$s=' $val '"; echo "$s k$i" >>"$W/acked" ;;
	137)	killed=$((killed + 1)); eval "allow_$s=\"\${allow_$s}$val \"" ;;
	75)	locked=$((locked + 1)); diag "kill $i: state file locked (75): $(cat "$W/mark.err")" ;;
	*)	other=$((other + 1)); diag "kill $i: mark exit $rc: $(cat "$W/mark.err")" ;;
	esac
	if ! "$OSMIGRATE" status --state "$st" >/dev/null 2>"$W/status.err"; then
		bad_parse=$((bad_parse + 1))
		diag "kill $i: status fails: $(cat "$W/status.err")"
		cp "$st" "$W/broken.$i" 2>/dev/null
	fi
	state_pairs "$st" >"$W/pairs"
	for t in $STEPS; do
		got=$(awk -v s="$t" '$1 == s { print $2 }' "$W/pairs")
		eval "allowed=\${allow_$t}"
		case $allowed in
		*" ${got:-none} "*) eval "allow_$t=' ${got:-none} '" ;;  # what is on disk is now the floor
		*) bad_value=$((bad_value + 1)); diag "kill $i: step $t holds '$got', expected one of:$allowed" ;;
		esac
	done
	e=$(extra_files)
	[ "$e" -gt "$maxextra" ] && maxextra=$e
done
diag "$KILLS runs: $acked completed, $killed killed in flight"
[ "$killed" -ge $((KILLS / 4)) ]
ok $? "at least a quarter of the runs were killed in flight ($killed of $KILLS)"
[ "$acked" -ge 1 ]
ok $? "some runs completed before their kill ($acked)"
is "$bad_parse" 0 "after every kill the state file parses (status exit 0)"
is "$bad_value" 0 "after every kill every step holds its last saved change (or the one in flight)"
is "$locked" 0 "a killed mark never leaves the state file locked"
is "$other" 0 "no mark ended other than saved (0) or killed (137)"
[ "$maxextra" -le 1 ]
ok $? "temporary files never pile up (at most $maxextra next to the state file)"

# Resume: a last mark, then nothing but the state file and its journal.
"$OSMIGRATE" mark --state "$st" republish pending --note final >/dev/null 2>"$W/mark.err"
rc=$?
is "$rc" 0 "the program resumes: a mark after the kills exits 0"
[ $rc -eq 0 ] || diag "$(cat "$W/mark.err")"
"$OSMIGRATE" status --state "$st" >"$W/status.out" 2>&1
is "$?" 0 "status after the kills"
grep -q 'note: final' "$W/status.out"
ok $? "the last change is shown"
is "$(extra_files)" 0 "no temporary file left after a completed save"
[ ! -e "$st.lock" ]
ok $? "no lock file left after a completed mark"

# The journal: whole events with good CRCs, torn fragments, nothing else.
python3 - "$st.journal" "$W/acked" >"$W/journal.check" <<'PY'
import sys, zlib
data = open(sys.argv[1], 'rb').read()
lines = data.split(b'\n')
tail = lines.pop()             # after the last NL: a torn tail or b''
good = torn = 0
notes = set()
for ln in lines:
    parts = ln.split(b'\t')
    if len(parts) == 9 and parts[0] == b'J1' and len(parts[8]) == 8:
        crc = '%08x' % (zlib.crc32(ln[:len(ln) - 8]) & 0xffffffff)
        if crc == parts[8].decode('ascii', 'replace'):
            good += 1
            if parts[6] == b'note':
                notes.add((parts[4].decode(), parts[7].decode()))
            continue
    torn += 1
missing = [a for a in (tuple(l.split()) for l in open(sys.argv[2])) if a not in notes]
print(good, torn, len(tail), len(missing))
for m in missing[:10]:
    print('missing', *m)
PY
read -r good torn tail missing <"$W/journal.check"
diag "journal: $good whole events, $torn torn fragments, tail of $tail bytes"
is "$tail" 0 "the journal ends with a whole line after a completed mark"
is "$missing" 0 "every mark that exited 0 has its note event in the journal"
[ "$torn" -le "$killed" ]
ok $? "at most one torn fragment per killed run ($torn)"
shown=$("$OSMIGRATE" status --log --state "$st" 2>/dev/null | grep -c '^20[0-9][0-9]-')
is "$shown" "$good" "status --log shows exactly the whole events, no torn line as an event"

done_testing
