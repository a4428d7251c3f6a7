#!/bin/sh
# tui_clock: the wizard's header shows the time since the procedure
# started (its first tick or status change) and the local time with its
# UTC offset; with [change] window_end it counts down, and warns in the
# header and on the message line when the rest, at the pace so far, will
# not fit, or when the window has ended.  A fake clock (OSMIGRATE_NOW)
# and a fixed zone (TZ=CET-1: UTC+1).  At 80x24, 60x16 and while resizing.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/tmux.sh"
tmux_require
[ -x "$OSMIGRATE" ] || bail "OSMIGRATE is not set to the built binary"

wiz() {
	tmux_start "$1" "$2" env TZ=CET-1 OSMIGRATE_NOW="$3" "$OSMIGRATE" --state "$4" connector-migration
}

# Not started: no tick yet; the local time is 00:00 at UTC+1.
new=$TMUX_WORK/new.ini
wiz 80 24 2026-12-02T23:00:00Z "$new"
tmux_wait "Actions (Space ticks)"
tmux_screen | head -1 | grep -q "not started  00:0[01] +01:00  step 1/9"; ok $? "before the first tick: not started, local time with its offset"
tmux_keys Down Space
tmux_wait "ticked:"
tmux_wait "elapsed "; ok $? "the first tick starts the clock"
tmux_screen | head -1 | grep -q "elapsed [0-9]* s  00:0[01] +01:00"; ok $? "elapsed in seconds at first"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"

# Started at 21:00Z (the first step skipped then), now 23:00Z: two hours.
st=$TMUX_WORK/cm.ini
OSMIGRATE_NOW=2026-12-02T21:00:00Z "$OSMIGRATE" mark prerequisites skipped --reason "done last week" \
	--runbook connector-migration --state "$st" >/dev/null
ok $? "the first step skipped at 21:00Z"
wiz 80 24 2026-12-02T23:00:00Z "$st"
tmux_wait "A saved session exists"; tmux_keys r
tmux_wait "Actions (Space ticks)"
tmux_screen | head -1 | grep -q "elapsed 2 h 00 min  00:0[01] +01:00  step 1/9"; ok $? "elapsed 2h00m since the first record, no window"
! tmux_screen | grep -q "left"; ok $? "no countdown without [change] window_end"
tmux_keys q
tmux_wait_exit

# A window that the rest will not fit: one step in two hours, the window
# ends in one hour.
cp "$st" "$TMUX_WORK/late.ini"
printf '\n[change]\nwindow_end = 2026-12-03T01:00+01:00\n' >>"$TMUX_WORK/late.ini"
wiz 80 24 2026-12-02T23:00:00Z "$TMUX_WORK/late.ini"
tmux_wait "A saved session exists"; tmux_keys r
tmux_wait "Actions (Space ticks)"
tmux_wait "left, needs"; ok $? "late: the header warns"
tmux_screen | head -1 | grep -q " [0-9hmin ]* left, needs [0-9hmin ]*!"; ok $? "with the time left and the time the rest needs"
tmux_screen | grep -q "At the pace so far"; ok $? "and the message line says why"
tmux_screen | tr '\n' ' ' | grep -Eq "the change window ends at 01:00 \+01:00, in (59 min|1 h 00 min)\."; ok $? "naming the window's end in local time"
tmux_resize 60 16
sleep 0.5
tmux_screen | head -1 | grep -q "left, needs"; ok $? "at 60x16 the warning is still in the header"
tmux_screen | head -1 | grep -q " 1/9 *$"; ok $? "and the step"
tmux_resize 120 30
sleep 0.5
tmux_screen | head -1 | grep -q "osmigrate: Migrate from ardoPostgreSQL.*elapsed 2 h 00 min"; ok $? "at 120 columns the title and the words are back"
tmux_keys q
tmux_wait_exit

# A window far off: a countdown, no warning.
cp "$st" "$TMUX_WORK/far.ini"
printf '\n[change]\nwindow_end = 2026-12-04T04:00Z\n' >>"$TMUX_WORK/far.ini"
wiz 80 24 2026-12-02T23:00:00Z "$TMUX_WORK/far.ini"
tmux_wait "A saved session exists"; tmux_keys r
tmux_wait "Actions (Space ticks)"
tmux_screen | head -1 | grep -Eq "  (29 h 00 min|28 h 59 min) left  (step )?1/9"; ok $? "a window far off: only the countdown"
! tmux_screen | grep -q "At the pace so far"; ok $? "and no warning"
tmux_keys q
tmux_wait_exit

# A window ending in a few seconds counts down, then says it ended.
cp "$st" "$TMUX_WORK/end.ini"
printf '\n[change]\nwindow_end = 2026-12-02T23:00:04Z\n' >>"$TMUX_WORK/end.ini"
wiz 80 24 2026-12-02T23:00:00Z "$TMUX_WORK/end.ini"
tmux_wait "A saved session exists"; tmux_keys r
tmux_wait " s left"; ok $? "seconds left shown"
tmux_wait "WINDOW ENDED" 10; ok $? "the header says when the window has ended"
tmux_wait "The change window ended at 00:00 +01:00"; ok $? "and the message line, with what is left"
tmux_keys q
tmux_wait_exit; is "$tmux_rc" 0 "q exits 0"

# A window_end without a zone is refused in the settings, saying how.
wiz 80 24 2026-12-02T23:00:00Z "$TMUX_WORK/far.ini"
tmux_wait "A saved session exists"; tmux_keys r
tmux_wait "Actions (Space ticks)"
tmux_keys e
tmux_wait "Target database"
n=0
while ! tmux_screen | grep -q ">   window_end" && [ $n -lt 40 ]; do tmux_keys Down; sleep 0.1; n=$((n + 1)); done
tmux_keys Enter
tmux_wait "] window_end"
tmux_keys C-u
tmux_text "2026-12-03 05:00"
tmux_keys Enter
tmux_wait "Not accepted: bad time"; ok $? "a time without its zone is refused"
tmux_keys Escape
tmux_wait_gone "] window_end"
tmux_keys Escape
tmux_wait "Spc tick"
tmux_keys q
tmux_wait_exit
done_testing
