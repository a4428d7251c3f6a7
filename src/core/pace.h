/* pace.h - the clock of a procedure (pace.c): when it started, how much of
 * its checklist is done, and, with [change] window_end, whether the rest
 * fits the change window at the pace measured so far.  UI-free: the
 * wizard's header shows it.  Every time is UTC seconds (osm_now). */
#ifndef OSM_PACE_H
#define OSM_PACE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "runbook.h"
#include "state.h"

struct pace {
	time_t now;
	bool started;        /* something was ticked or marked */
	time_t start;        /* the first tick or status change recorded */
	size_t units;        /* checklist entries: actions, item actions (a step
				without either counts as one) */
	size_t done;         /* of those, ticked or in a step/item done or skipped */
	bool has_window;     /* [change] window_end is set (and valid) */
	time_t window_end;
	bool estimate;       /* a pace is measured: something done, time passed */
	long long need;      /* seconds the rest takes at that pace */
	bool late;           /* has_window, and now + need is past window_end (or
				the window has ended with work left) */
};

/* The clock of st's procedure (runbook rb) at now.  It reads every step
 * and item: a caller drawing every second computes it again only when the
 * document changed, and moves it to another now with pace_at. */
void pace_compute(const struct state *st, const struct runbook *rb, time_t now, struct pace *out);
void pace_at(struct pace *p, time_t now);

#endif
