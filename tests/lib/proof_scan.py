#!/usr/bin/env python3
"""proof_scan.py - watch every process's command line for secrets.

    proof_scan.py PATTERNS_FILE STOP_FILE OUT_FILE

Until STOP_FILE exists, reads /proc/*/cmdline every few milliseconds.  A
process whose command line holds one of the lines of PATTERNS_FILE is
written to OUT_FILE as "LEAK pid cmd-name".  Processes named osmigrate, and
every process whose parent is one of them, are counted: the last line of
OUT_FILE is "seen N osmigrate processes, M children, S scans", so a test
can tell the scanner actually watched them.  The patterns never appear on
this process's own command line (they come from a file).  OUT_FILE.ready
appears after the first scan."""
import os
import sys
import time

pats = [p.encode() for p in open(sys.argv[1]).read().split('\n') if p]
stop, out = sys.argv[2], sys.argv[3]
seen, children, leaks = set(), set(), []
scans = 0
me = os.getpid()


def ppid_of(pid):
    try:
        with open('/proc/%s/stat' % pid, 'rb') as f:
            s = f.read()
        return s[s.rindex(b')') + 2:].split()[1].decode()
    except (OSError, ValueError, IndexError):
        return None


while True:
    done = os.path.exists(stop)
    scans += 1
    for pid in os.listdir('/proc'):
        if not pid.isdigit() or int(pid) == me:
            continue
        try:
            with open('/proc/%s/cmdline' % pid, 'rb') as f:
                cmd = f.read()
        except OSError:
            continue
        argv0 = cmd.split(b'\0', 1)[0]
        if argv0.endswith(b'osmigrate'):
            seen.add(pid)
        elif ppid_of(pid) in seen:
            children.add((pid, argv0))
        for p in pats:
            if p in cmd:
                leaks.append('LEAK %s %s' % (pid, argv0.decode(errors='replace')[:60]))
                break
    if scans == 1:
        open(out + '.ready', 'w').close()
    if done:
        break
    time.sleep(0.005)

with open(out, 'w') as f:
    for l in sorted(set(leaks)):
        f.write(l + '\n')
    for c in sorted(children):
        f.write('CHILD %s %s\n' % (c[0], c[1].decode(errors='replace')))
    f.write('seen %d osmigrate processes, %d children, %d scans\n' % (len(seen), len(children), scans))
