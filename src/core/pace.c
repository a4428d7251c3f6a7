/* pace.c - the clock of a procedure (pace.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pace.h"
#include "progress.h"
#include "util.h"

/* The time in a recorded value: "at" is the time itself, a tick is
 * "user@host TIME" (the time last). */
static bool value_time(const char *key, const char *v, time_t *t)
{
	const char *sp;

	if (!v)
		return false;
	if (str_startswith(key, "tick.")) {
		sp = strrchr(v, ' ');
		v = sp ? sp + 1 : v;
	} else if (!str_eq(key, "at")) {
		return false;
	}
	return iso8601_parse(v, t);
}

/* The first tick or status change of the procedure: of the steps and
 * items (a check run or a settings edit is preparation, not the change). */
static bool first_record(const struct doc *d, time_t *first)
{
	bool any = false;

	for (size_t i = 0; i < doc_nsections(d); i++) {
		const char *kind = doc_section_kind(d, i);

		if (!str_eq(kind, "step") && !str_eq(kind, "item"))
			continue;
		for (size_t k = 0; k < doc_nkeys(d, i); k++) {
			time_t t;

			if (value_time(doc_key(d, i, k), doc_value(d, i, k), &t) && (!any || t < *first)) {
				*first = t;
				any = true;
			}
		}
	}
	return any;
}

static void count_step(const struct state *st, const struct rb_step *s, struct pace *p)
{
	enum step_status ss = state_step_status(st, s->id);
	bool closed = ss == STEP_DONE || ss == STEP_SKIPPED;
	size_t units = s->n_actions, done = 0, n = 0;
	const char **items = progress_items(st, s, &n);

	for (size_t i = 0; i < s->n_actions; i++)
		done += state_ticked(st, s->id, NULL, s->actions[i].id, NULL, NULL);
	for (size_t j = 0; j < n; j++) {
		enum step_status is = state_item_status(st, s->id, items[j]);

		units += s->n_item_actions;
		done += is == STEP_DONE || is == STEP_SKIPPED ? s->n_item_actions
							     : progress_item_ticked(st, s, items[j]);
	}
	free(items);
	if (units == 0)
		units = 1;
	if (closed || done > units)
		done = units;
	p->units += units;
	p->done += done;
}

void pace_compute(const struct state *st, const struct runbook *rb, time_t now, struct pace *out)
{
	const char *we = doc_get(st->doc, "change", NULL, "window_end");

	memset(out, 0, sizeof *out);
	out->now = now;
	out->started = first_record(st->doc, &out->start);
	for (size_t i = 0; i < rb->n_steps; i++)
		count_step(st, &rb->steps[i], out);
	out->has_window = we && iso8601_parse_zoned(we, &out->window_end);
	pace_at(out, now);
}

void pace_at(struct pace *p, time_t now)
{
	p->now = now;
	p->estimate = false;
	p->need = 0;
	p->late = false;
	if (p->started && p->done > 0 && now > p->start) {
		double per = (double)(now - p->start) / (double)p->done;

		p->estimate = true;
		p->need = (long long)(per * (double)(p->units - p->done) + 0.5);
	}
	if (p->has_window && p->done < p->units)
		p->late = now >= p->window_end ||
			  (p->estimate && (long long)now + p->need > (long long)p->window_end);
}
