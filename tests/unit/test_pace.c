/* test_pace.c - the clock of a procedure: its start (the first tick or
 * status change), its checklist counted done, and whether the rest fits
 * [change] window_end at the pace so far; the times operators write. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "pace.h"
#include "progress.h"
#include "runbook.h"
#include "state.h"
#include "util.h"

static char dir[64];
static char path[128];
static struct state *st;
static const struct runbook *rb;

static void setup(void)
{
	struct state_error err;

	strcpy(dir, "/tmp/osm-pace-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/state.ini", dir);
	st = state_open(path, &err);
	cr_assert_not_null(st, "%s", err.msg);
	rb = runbooks[0];
	state_set_runbook(st, rb->id);
}

static void teardown(void)
{
	char cmd[256];

	if (st)
		state_close(st);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(pace, .init = setup, .fini = teardown);

static time_t at(const char *iso)
{
	time_t t;

	cr_assert(iso8601_parse(iso, &t), "%s", iso);
	return t;
}

/* The first step's first action, ticked at the time given. */
static void tick_first(const char *when)
{
	const struct rb_step *s = &rb->steps[0];
	char *key, *v;

	cr_assert(s->n_actions > 0);
	key = xasprintf("tick.%s", s->actions[0].id);
	v = xasprintf("osm@admin %s", when);
	doc_set(st->doc, "step", s->id, key, v);
	free(key);
	free(v);
}

Test(pace, not_started_until_a_tick)
{
	struct pace p;

	pace_compute(st, rb, at("2026-12-02T23:00:00Z"), &p);
	cr_assert_not(p.started);
	cr_assert_gt(p.units, 1);
	cr_assert_eq(p.done, 0);
	cr_assert_not(p.estimate);
	cr_assert_not(p.has_window);
	cr_assert_not(p.late);
}

Test(pace, start_is_the_first_tick_and_pace_is_measured)
{
	struct pace p;

	tick_first("2026-12-02T22:50:00Z");
	/* a check result or a settings edit is not the start */
	doc_set(st->doc, "check", "x", "at", "2026-12-02T20:00:00Z");
	pace_compute(st, rb, at("2026-12-02T23:00:00Z"), &p);
	cr_assert(p.started);
	cr_assert_eq(p.start, at("2026-12-02T22:50:00Z"));
	cr_assert_eq(p.done, 1);
	cr_assert(p.estimate);
	/* one entry in 10 minutes: the rest takes 10 minutes each */
	cr_assert_eq(p.need, (long long)(p.units - 1) * 600);
}

Test(pace, window_that_the_rest_will_not_fit_is_late)
{
	struct pace p;

	tick_first("2026-12-02T22:50:00Z");
	/* 00:00+01:00 is 23:00Z: ten minutes after the tick, the window ends now + 10 min */
	doc_set(st->doc, "change", NULL, "window_end", "2026-12-03T00:10:00+01:00");
	pace_compute(st, rb, at("2026-12-02T23:00:00Z"), &p);
	cr_assert(p.has_window);
	cr_assert_eq(p.window_end, at("2026-12-02T23:10:00Z"));
	cr_assert(p.late, "%zu entries left need %lld s", p.units - p.done, p.need);
	doc_set(st->doc, "change", NULL, "window_end", "2026-12-05T23:00Z");
	pace_compute(st, rb, at("2026-12-02T23:00:00Z"), &p);
	cr_assert_not(p.late);
}

Test(pace, window_ended_with_work_left_is_late_even_without_a_pace)
{
	struct pace p;

	doc_set(st->doc, "change", NULL, "window_end", "2026-12-02T22:00Z");
	pace_compute(st, rb, at("2026-12-02T23:00:00Z"), &p);
	cr_assert_not(p.estimate);
	cr_assert(p.late);
}

Test(pace, a_closed_step_counts_whole)
{
	struct pace p, q;
	char why[256];
	bool ok = false;

	pace_compute(st, rb, at("2026-12-02T23:00:00Z"), &p);
	progress_set_status(st, rb, rb->steps[0].id, NULL, STEP_SKIPPED, "not here", &ok, why,
			    sizeof why);
	cr_assert(ok, "%s", why);
	pace_compute(st, rb, osm_now() + 60, &q);
	cr_assert(q.started);
	cr_assert_eq(q.units, p.units);
	cr_assert_eq(q.done, rb->steps[0].n_actions ? rb->steps[0].n_actions : 1);
}

Test(pace, times_as_operators_write_them)
{
	time_t t;

	cr_assert(iso8601_parse_zoned("2026-12-03T05:00+01:00", &t));
	cr_assert_eq(t, at("2026-12-03T04:00:00Z"));
	cr_assert(iso8601_parse_zoned("2026-12-03 04:00:30Z", &t));
	cr_assert_eq(t, at("2026-12-03T04:00:30Z"));
	cr_assert(iso8601_parse_zoned("2026-12-02T21:30:00-03:30", &t));
	cr_assert_eq(t, at("2026-12-03T01:00:00Z"));
	cr_assert_not(iso8601_parse_zoned("2026-12-03T05:00", &t));      /* which zone? */
	cr_assert_not(iso8601_parse_zoned("2026-12-03T05:00+1", &t));
	cr_assert_not(iso8601_parse_zoned("2026-12-03T05:00+01:00x", &t));
	cr_assert_not(iso8601_parse_zoned("tomorrow", &t));
}

Test(pace, local_times)
{
	char b[64];

	setenv("TZ", "CET-1", 1);
	tzset();
	local_hhmm(at("2026-12-02T23:05:00Z"), b, sizeof b);
	cr_assert_str_eq(b, "00:05 +01:00");
	setenv("TZ", "UTC+3:30", 1);
	tzset();
	local_hhmm(at("2026-12-02T23:05:00Z"), b, sizeof b);
	cr_assert_str_eq(b, "19:35 -03:30");
}
