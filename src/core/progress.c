/* progress.c - step progress, next action, gates, status rules (see
 * progress.h).  Which step is gated, and how, is runbook data (struct
 * rb_gate, runbook.h); this file applies it. */
#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checklist.h"
#include "progress.h"
#include "schema.h"
#include "result.h"
#include "util.h"

/* Overrides are kept in the reason of the gated step or item, so the state
 * file (and the change record) shows who overrode what and why. */
#define OVERRIDE_PREFIX "override: "

static const struct rb_gate *gate_of(const struct runbook *rb, const char *step,
				     enum rb_gate_kind kind)
{
	const struct rb_step *s = runbook_step(rb, step);

	return s ? step_gate(s, kind) : NULL;
}

/* Does item go first under the order gate g of step s? */
static bool goes_first(const struct state *st, const struct rb_step *s, const struct rb_gate *g,
		       const char *item)
{
	return str_eq(doc_get(st->doc, item_kind_section(s->items), item, g->key), g->value);
}

static const char *reason_of(const struct state *st, const char *step, const char *item)
{
	const char *r;

	if (str_empty(item))
		return doc_get(st->doc, "step", step, "reason");
	{
		char *sec = state_item_section(step, item);

		r = doc_get(st->doc, "item", sec, "reason");
		free(sec);
	}
	return r;
}

static bool overridden(const struct state *st, const char *step, const char *item)
{
	return str_startswith(reason_of(st, step, item), OVERRIDE_PREFIX);
}

static bool blank(const char *s)
{
	if (!s)
		return true;
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
			return false;
	return true;
}

const char **progress_doc_items(const struct doc *d, enum item_kind k, size_t *n)
{
	const char *kind = item_kind_section(k);
	const char *not_item = item_kind_not_item_key(k);
	const char **names;
	size_t j = 0;

	if (!kind) {
		*n = 0;
		return xcalloc(1, sizeof(const char *));
	}
	names = doc_section_names(d, kind, n);
	if (!not_item)
		return names;
	for (size_t i = 0; i < *n; i++)
		if (!schema_bool(doc_get(d, kind, names[i], not_item), false))
			names[j++] = names[i];
	names[j] = NULL;
	*n = j;
	return names;
}

const char **progress_items(const struct state *st, const struct rb_step *s, size_t *n)
{
	return progress_doc_items(st->doc, s->items, n);
}

bool progress_is_controller(const struct state *st, const char *server)
{
	return str_eq(doc_get(st->doc, "server", server, "role"), "controller");
}

size_t progress_item_ticked(const struct state *st, const struct rb_step *s, const char *item)
{
	size_t k = 0;

	for (size_t i = 0; i < s->n_item_actions; i++)
		if (state_ticked(st, s->id, item, s->item_actions[i].id, NULL, NULL))
			k++;
	return k;
}

static bool item_finished(enum step_status s)
{
	return s == STEP_DONE || s == STEP_SKIPPED;
}

/* The first step the lock gate g waits for that is neither done nor
 * skipped, or NULL. */
static const char *lock_pending_step(const struct state *st, const struct rb_gate *g)
{
	for (size_t i = 0; g->after && g->after[i]; i++)
		if (!item_finished(state_step_status(st, g->after[i])))
			return g->after[i];
	return NULL;
}

/* Only a passed result that is still about the current settings unlocks:
 * an ok recorded before [compare] changed proves nothing about the clone
 * named now (result.h, check_result_passed). */
static bool step_is_locked(const struct state *st, const struct runbook *rb, const char *step)
{
	const struct rb_gate *g = gate_of(rb, step, RB_GATE_LOCK);

	if (!g || overridden(st, step, NULL))
		return false;
	return (g->check && !check_result_passed(st->doc, g->check)) || lock_pending_step(st, g);
}

void progress_step(const struct state *st, const struct runbook *rb, const struct rb_step *s,
		   struct step_progress *out)
{
	const char **items;
	size_t n;

	memset(out, 0, sizeof *out);
	out->status = state_step_status(st, s->id);
	out->n_actions = s->n_actions;
	for (size_t i = 0; i < s->n_actions; i++)
		if (state_ticked(st, s->id, NULL, s->actions[i].id, NULL, NULL))
			out->actions_ticked++;
	items = progress_items(st, s, &n);
	out->n_items = n;
	for (size_t i = 0; i < n; i++) {
		enum step_status is = state_item_status(st, s->id, items[i]);

		if (item_finished(is))
			out->items_done++;
		if (is == STEP_SKIPPED)
			out->items_skipped++;
		else if (is == STEP_IN_PROGRESS)
			out->items_started++;
	}
	free(items);
	out->locked = step_is_locked(st, rb, s->id);
}

void progress_format(const struct rb_step *s, const struct step_progress *p,
		     char *buf, size_t len)
{
	const char *label = item_kind_label(s->items);

	if (!len)
		return;
	buf[0] = '\0';
	if (s->items != ITEM_NONE) {
		if (p->n_items == 0)
			snprintf(buf, len, "no %ss configured", label);
		else
			snprintf(buf, len, "%zu/%zu %s%s done", p->items_done, p->n_items, label,
				 p->n_items == 1 ? "" : "s");
		if (p->n_actions) {
			size_t used = strlen(buf);

			snprintf(buf + used, len - used, ", %zu/%zu actions", p->actions_ticked,
				 p->n_actions);
		}
	} else if (p->n_actions) {
		snprintf(buf, len, "%zu/%zu actions", p->actions_ticked, p->n_actions);
	}
}

/* Items in the order the procedure works through them: for a step with
 * an order gate, the items that go first (the Deployment Controller(s)). */
static const char **ordered_items(const struct state *st, const struct rb_step *s, size_t *n)
{
	const char **items = progress_items(st, s, n);
	const struct rb_gate *g = step_gate(s, RB_GATE_ORDER);

	if (g) {
		const char **sorted = xcalloc(*n + 1, sizeof *sorted);
		size_t k = 0;

		for (int pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < *n; i++)
				if (goes_first(st, s, g, items[i]) == (pass == 0))
					sorted[k++] = items[i];
		free(items);
		items = sorted;
	}
	return items;
}

void progress_next(const struct state *st, const struct runbook *rb, struct progress_next *out)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < rb->n_steps; i++) {
		const struct rb_step *s = &rb->steps[i];
		enum step_status ss = state_step_status(st, s->id);
		const char **items;
		size_t n;

		if (item_finished(ss))
			continue;
		out->step = s;
		for (size_t a = 0; a < s->n_actions; a++)
			if (!state_ticked(st, s->id, NULL, s->actions[a].id, NULL, NULL)) {
				out->action = &s->actions[a];
				return;
			}
		items = ordered_items(st, s, &n);
		for (size_t k = 0; k < n; k++) {
			if (item_finished(state_item_status(st, s->id, items[k])))
				continue;
			for (size_t a = 0; a < s->n_item_actions; a++)
				if (!state_ticked(st, s->id, items[k], s->item_actions[a].id, NULL, NULL)) {
					out->item = items[k];
					out->action = &s->item_actions[a];
					free(items);
					return;
				}
		}
		free(items);
		return;
	}
}

void progress_step_clock(const struct state *st, const char *step, char *buf, size_t len)
{
	const char *started, *ended;
	long long d = state_step_times(st, step, &started, &ended);
	char a[64], b[64], dur[32];

	buf[0] = '\0';
	if (!started)
		return;
	time_local_text(started, a, sizeof a);
	if (!ended) {
		snprintf(buf, len, "started %s, not ended", a);
		return;
	}
	time_local_text(ended, b, sizeof b);
	if (d >= 0) {
		duration_text(d, dur, sizeof dur);
		snprintf(buf, len, "started %s, ended %s (%s)", a, b, dur);
	} else {
		snprintf(buf, len, "started %s, ended %s", a, b);
	}
}

char *progress_next_text(const struct state *st, const struct runbook *rb)
{
	struct progress_next nx;
	struct strbuf sb = STRBUF_INIT;

	progress_next(st, rb, &nx);
	if (!nx.step)
		return NULL;
	sb_addf(&sb, "step '%s' (%s, %d of %zu)", nx.step->id, nx.step->title,
		runbook_step_index(rb, nx.step->id) + 1, rb->n_steps);
	if (nx.item)
		sb_addf(&sb, ", %s '%s'", item_kind_label(nx.step->items), nx.item);
	return sb_detach(&sb);
}

bool progress_lock_why(const struct state *st, const struct runbook *rb, const struct rb_step *s,
		       const struct rb_gate **gate, const char **pending)
{
	*gate = NULL;
	*pending = NULL;
	if (!step_is_locked(st, rb, s->id))
		return false;
	*gate = step_gate(s, RB_GATE_LOCK);
	if (!(*gate)->check || check_result_passed(st->doc, (*gate)->check))
		*pending = lock_pending_step(st, *gate);
	return true;
}

/* The step that runs check (this runbook's check table), for "osmigrate
 * check RUNBOOK --step STEP". */
/* " --state PATH" when the session is not the runbook's default state
 * file, so the advice `osmigrate check RUNBOOK --step S` checks this
 * session, not another one ("" for the default file). */
static const char *state_hint(const struct state *st, const struct runbook *rb)
{
	static _Thread_local char hint[1200];
	char *def = state_default_path(rb->id);
	bool quote = false;

	hint[0] = '\0';
	if (st->path && !str_eq(st->path, def)) {
		for (const char *p = st->path; *p; p++)
			quote = quote || !(isalnum((unsigned char)*p) || strchr("/._-+:@", *p));
		if (quote && !strchr(st->path, '\''))
			snprintf(hint, sizeof hint, " --state '%s'", st->path);
		else
			snprintf(hint, sizeof hint, " --state %s", st->path);
	}
	free(def);
	return hint;
}

static const char *check_step_of(const struct runbook *rb, const char *check)
{
	const struct check_info *info = check_info_find(rb->id, check);

	return info ? info->step : "?";
}

enum progress_gate progress_gate(const struct state *st, const struct runbook *rb,
				 const char *step, const char *item, char *why, size_t whylen)
{
	const struct rb_gate *g;

	if (whylen)
		why[0] = '\0';
	if (step_is_locked(st, rb, step)) {
		struct check_record rec;
		const char *cs;
		const char *pending;

		g = gate_of(rb, step, RB_GATE_LOCK);
		cs = g->check && check_result_load(st->doc, g->check, &rec) ? rec.status_text : NULL;
		pending = lock_pending_step(st, g);
		if (!g->check || check_result_passed(st->doc, g->check)) {
			snprintf(why, whylen,
				 "The step '%s' is locked until the step '%s' is done or skipped (it "
				 "is %s): finish it, or skip it with a reason; or override with a "
				 "typed confirmation, which is recorded.",
				 step, pending, step_status_name(state_step_status(st, pending)));
			return GATE_LOCKED;
		}
		if (cs && rec.status_known && rec.status == CHECK_OK &&
		    rec.freshness != CHECK_CURRENT) {
			snprintf(why, whylen,
				 "The step '%s' is locked until the %s was %s: the %s result 'ok' no "
				 "longer counts (%s). Run the verification again (osmigrate check %s "
				 "--step %s%s) until it is ok; or override with a typed confirmation, "
				 "which is recorded.",
				 step, g->subject, g->passed, g->check,
				 check_freshness_text(rec.freshness), rb->id,
				 check_step_of(rb, g->check), state_hint(st, rb));
			return GATE_LOCKED;
		}
		snprintf(why, whylen,
			 "The step '%s' is locked until the %s was %s: the check %s %s. Run the "
			 "verification (osmigrate check %s --step %s%s%s%s) until it passes; or "
			 "override with a typed confirmation, which is recorded.",
			 step, g->subject, g->passed, g->check,
			 cs ? (str_eq(cs, "ok") ? "passed" : cs) : "has not run",
			 rb->id, check_step_of(rb, g->check), state_hint(st, rb),
			 g->also ? ", or " : "", g->also ? g->also : "");
		if (cs && !str_eq(cs, "ok"))
			snprintf(why, whylen,
				 "The step '%s' is locked until the %s was %s: the last %s result is "
				 "'%s'. Resolve what it reported and run the verification again "
				 "(osmigrate check %s --step %s%s) until it is ok; or override with a "
				 "typed confirmation, which is recorded.",
				 step, g->subject, g->passed, g->check, cs, rb->id,
				 check_step_of(rb, g->check), state_hint(st, rb));
		return GATE_LOCKED;
	}
	g = gate_of(rb, step, RB_GATE_ORDER);
	if (g && !str_empty(item) && !goes_first(st, runbook_step(rb, step), g, item) &&
	    !overridden(st, step, item)) {
		const struct rb_step *s = runbook_step(rb, step);
		const char *section = item_kind_section(s->items);
		const char **items;
		size_t n, firsts = 0;
		const char *pending = NULL;

		items = progress_items(st, s, &n);
		for (size_t i = 0; i < n; i++) {
			if (!goes_first(st, s, g, items[i]))
				continue;
			firsts++;
			if (!pending && !item_finished(state_item_status(st, step, items[i])))
				pending = items[i];
		}
		if (firsts == 0) {
			free(items);
			snprintf(why, whylen,
				 "'%s' is a %s, and no %s has %s = %s: the %s must be %s first. Add "
				 "it to the %s list (%s %s), or override with a typed reason, which "
				 "is recorded.", item, g->others, section, g->key, g->value, g->first,
				 g->finished, section, g->key, g->value);
			return GATE_ORDER;
		}
		if (pending) {
			snprintf(why, whylen,
				 "'%s' is a %s: finish the checklist of the %s '%s' first (%s), or "
				 "override with a typed reason, which is recorded.", item, g->others,
				 g->first, pending, g->seed);
			free(items);
			return GATE_ORDER;
		}
		free(items);
	}
	return GATE_OPEN;
}

const char *progress_override_prompt(const struct runbook *rb, const char *step,
				     enum progress_gate g)
{
	const struct rb_gate *gate = NULL;

	switch (g) {
	case GATE_ORDER: gate = gate_of(rb, step, RB_GATE_ORDER); break;
	case GATE_LOCKED: gate = gate_of(rb, step, RB_GATE_LOCK); break;
	case GATE_OPEN: break;
	}
	return gate && gate->prompt ? gate->prompt : "";
}

static void set_reason_keep_status(struct state *st, const char *step, const char *item,
				   const char *reason)
{
	if (str_empty(item))
		state_set_step_status(st, step, state_step_status(st, step), reason);
	else
		state_set_item_status(st, step, item, state_item_status(st, step, item), reason);
}

bool progress_override(struct state *st, const struct runbook *rb, const char *step,
		       const char *item, const char *text, char *why, size_t whylen)
{
	enum progress_gate g;
	char *reason;

	g = progress_gate(st, rb, step, item, why, whylen);
	if (g == GATE_OPEN) {
		snprintf(why, whylen, "nothing to override: '%s' may be ticked now", step);
		return false;
	}
	if (blank(text)) {
		snprintf(why, whylen, "an override needs a typed %s: %s",
			 g == GATE_LOCKED ? "confirmation" : "reason",
			 progress_override_prompt(rb, step, g));
		return false;
	}
	/* The lock is about the whole step; the order is per front-end. */
	if (g == GATE_LOCKED)
		item = NULL;
	reason = xasprintf(OVERRIDE_PREFIX "%s", text);
	set_reason_keep_status(st, step, item, reason);
	free(reason);
	return true;
}

void progress_recompute(struct state *st, const struct runbook *rb, const char *step,
			const char *item)
{
	const struct rb_step *s = runbook_step(rb, step);
	struct step_progress p;
	enum step_status cur, want;
	bool started;

	if (!s)
		fatalx("progress_recompute: unknown step '%s'", step);
	if (!str_empty(item)) {
		size_t k = progress_item_ticked(st, s, item);

		cur = state_item_status(st, step, item);
		if (cur != STEP_SKIPPED && cur != STEP_FAILED) {
			if (s->n_item_actions && k == s->n_item_actions)
				want = STEP_DONE;
			else if (k > 0)
				want = STEP_IN_PROGRESS;
			else
				want = STEP_PENDING;
			if (want != cur) {
				char *r = reason_of(st, step, item) ? xstrdup(reason_of(st, step, item)) : NULL;

				state_set_item_status(st, step, item, want, r);
				free(r);
			}
		}
	}
	cur = state_step_status(st, step);
	if (cur == STEP_SKIPPED || cur == STEP_FAILED)
		return;
	progress_step(st, rb, s, &p);
	started = p.actions_ticked > 0 || p.items_done > 0 || p.items_started > 0;
	if (p.actions_ticked == p.n_actions && p.items_done == p.n_items &&
	    (s->items == ITEM_NONE ? p.n_actions > 0 : p.n_items > 0))
		want = STEP_DONE;
	else if (started)
		want = STEP_IN_PROGRESS;
	else
		want = STEP_PENDING;
	if (want != cur) {
		char *r = reason_of(st, step, NULL) ? xstrdup(reason_of(st, step, NULL)) : NULL;

		state_set_step_status(st, step, want, r);
		free(r);
	}
}

enum progress_gate progress_tick(struct state *st, const struct runbook *rb, const char *step,
				 const char *item, const char *action, bool on,
				 char *why, size_t whylen)
{
	const struct rb_step *s = runbook_step(rb, step);
	bool is_item = !str_empty(item);

	if (whylen)
		why[0] = '\0';
	if (!s || !step_action(s, action, is_item))
		fatalx("progress_tick: unknown %s action '%s' in step '%s'",
		       is_item ? "item" : "step", action, step);
	if (on) {
		enum progress_gate g = progress_gate(st, rb, step, item, why, whylen);

		if (g != GATE_OPEN)
			return g;
	}
	state_tick(st, step, is_item ? item : NULL, action, on);
	progress_recompute(st, rb, step, is_item ? item : NULL);
	return GATE_OPEN;
}

enum progress_gate progress_set_status(struct state *st, const struct runbook *rb,
				       const char *step, const char *item,
				       enum step_status s, const char *reason,
				       bool *ok, char *why, size_t whylen)
{
	bool is_item = !str_empty(item);
	char *kept = NULL;

	*ok = false;
	if (whylen)
		why[0] = '\0';
	if (s == STEP_DONE || s == STEP_IN_PROGRESS) {
		enum progress_gate g = progress_gate(st, rb, step, item, why, whylen);

		if (g != GATE_OPEN)
			return g;
	}
	if (s == STEP_SKIPPED && blank(reason)) {
		snprintf(why, whylen,
			 "skipping needs a reason: say why this %s does not apply (it goes into "
			 "the change record)", is_item ? "item" : "step");
		return GATE_OPEN;
	}
	/* Keep a recorded override unless a new reason replaces it (a copy: the
	 * setter may replace the very string reason_of points to). */
	if (blank(reason) && (s != STEP_PENDING || overridden(st, step, item)))
		kept = reason_of(st, step, item) ? xstrdup(reason_of(st, step, item)) : NULL;
	else if (!blank(reason))
		kept = xstrdup(reason);
	if (is_item) {
		state_set_item_status(st, step, item, s, kept);
		progress_recompute(st, rb, step, NULL);
	} else {
		state_set_step_status(st, step, s, kept);
	}
	free(kept);
	*ok = true;
	return GATE_OPEN;
}
