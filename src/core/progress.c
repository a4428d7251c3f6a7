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

/* A key of the step's or item's own section ([step "S"] or [item "S:I"]). */
static const char *own_key(const struct state *st, const char *step, const char *item,
			   const char *key)
{
	const char *v;
	char *sec;

	if (str_empty(item))
		return doc_get(st->doc, "step", step, key);
	sec = state_item_section(step, item);
	v = doc_get(st->doc, "item", sec, key);
	free(sec);
	return v;
}

/* What a recorded override covers: its "overrode" entries, separated by
 * OVERRIDE_SEP, each starting with what it was ("order: ", "lock: ",
 * "forced: ", "result ID ").  An override recorded before osmigrate kept
 * that list covered the order and the lock gates only. */
#define OVERRIDE_SEP "; "
static bool covers(const struct state *st, const char *step, const char *item,
		   const char *entry_prefix)
{
	const char *list, *p;
	size_t n = strlen(entry_prefix);

	if (!overridden(st, step, item))
		return false;
	list = own_key(st, step, item, "overrode");
	if (!list)
		return str_eq(entry_prefix, "order: ") || str_eq(entry_prefix, "lock: ");
	for (p = list; p && *p;) {
		if (strncmp(p, entry_prefix, n) == 0)
			return true;
		p = strstr(p, OVERRIDE_SEP);
		if (p)
			p += strlen(OVERRIDE_SEP);
	}
	return false;
}

static bool covers_result(const struct state *st, const char *step, const char *item,
			  const char *id)
{
	char *pre = xasprintf("result %s ", id);
	bool r = covers(st, step, item, pre);

	free(pre);
	return r;
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

enum step_status progress_item_status(const struct state *st, const struct runbook *rb,
				      const struct rb_step *s, const char *item,
				      const char **reason, const struct rb_step **from)
{
	int here = runbook_step_index(rb, s->id);

	if (reason)
		*reason = NULL;
	if (from)
		*from = NULL;
	if (str_empty(item) || s->items == ITEM_NONE || own_key(st, s->id, item, "status") ||
	    here < 0) {
		if (reason)
			*reason = own_key(st, s->id, item, "reason");
		return state_item_status(st, s->id, item);
	}
	/* No status of its own here: skipped (with its reason) in an earlier
	 * step that lists the same items stays skipped, until reopened here. */
	for (int i = here - 1; i >= 0; i--) {
		const struct rb_step *e = &rb->steps[i];

		if (e->items != s->items || !own_key(st, e->id, item, "status"))
			continue;
		if (state_item_status(st, e->id, item) != STEP_SKIPPED)
			continue;
		if (reason)
			*reason = own_key(st, e->id, item, "reason");
		if (from)
			*from = e;
		return STEP_SKIPPED;
	}
	return STEP_PENDING;
}

static enum step_status item_status(const struct state *st, const struct runbook *rb,
				    const struct rb_step *s, const char *item)
{
	return progress_item_status(st, rb, s, item, NULL, NULL);
}

/* Does the lock gate g of step s wait for the step id: one it lists
 * (after), or, with before, any step before s? */
static bool lock_waits_for(const struct runbook *rb, const struct rb_step *s,
			   const struct rb_gate *g, const char *id)
{
	int is = runbook_step_index(rb, s->id), i = runbook_step_index(rb, id);

	if (g->before && i >= 0 && i < is)
		return true;
	for (size_t k = 0; g->after && g->after[k]; k++)
		if (str_eq(g->after[k], id))
			return true;
	return false;
}

/* The first step the lock gate g of step s waits for that is neither done
 * nor skipped, or NULL. */
static const char *lock_pending_step(const struct state *st, const struct runbook *rb,
				     const struct rb_step *s, const struct rb_gate *g)
{
	for (size_t i = 0; i < rb->n_steps; i++)
		if (lock_waits_for(rb, s, g, rb->steps[i].id) &&
		    !item_finished(state_step_status(st, rb->steps[i].id)))
			return rb->steps[i].id;
	return NULL;
}

/* Every step the lock gate g of s waits for that is neither done nor
 * skipped: "'a', 'b' and 'c'" into out; how many. */
static size_t lock_pending_list(const struct state *st, const struct runbook *rb,
				const struct rb_step *s, const struct rb_gate *g,
				struct strbuf *out)
{
	size_t n = 0, total = 0, k = 0;

	for (size_t i = 0; i < rb->n_steps; i++)
		if (lock_waits_for(rb, s, g, rb->steps[i].id) &&
		    !item_finished(state_step_status(st, rb->steps[i].id)))
			total++;
	for (size_t i = 0; i < rb->n_steps; i++) {
		const char *id = rb->steps[i].id;

		if (!lock_waits_for(rb, s, g, id) || item_finished(state_step_status(st, id)))
			continue;
		k++;
		sb_addf(out, "%s'%s' (%s)", k == 1 ? "" : k == total ? " and " : ", ", id,
			step_status_name(state_step_status(st, id)));
		n++;
	}
	return n;
}

/* Only a passed result that is still about the current settings unlocks:
 * an ok recorded before [compare] changed proves nothing about the clone
 * named now (result.h, check_result_passed). */
static bool step_is_locked(const struct state *st, const struct runbook *rb, const char *step)
{
	const struct rb_gate *g = gate_of(rb, step, RB_GATE_LOCK);

	if (!g || covers(st, step, NULL, "lock: "))
		return false;
	return (g->check && !check_result_passed(st->doc, g->check)) ||
	       lock_pending_step(st, rb, runbook_step(rb, step), g);
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
		enum step_status is = item_status(st, rb, s, items[i]);

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
		else if (p->items_skipped)  /* a skipped item is not done (M3) */
			snprintf(buf, len, "%zu/%zu %s%s done, %zu skipped",
				 p->items_done - p->items_skipped, p->n_items, label,
				 p->n_items == 1 ? "" : "s", p->items_skipped);
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
			if (item_finished(item_status(st, rb, s, items[k])))
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
		*pending = lock_pending_step(st, rb, s, *gate);
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

		const struct rb_step *ls = runbook_step(rb, step);
		struct strbuf steps = STRBUF_INIT;
		size_t np;
		char *also;

		g = gate_of(rb, step, RB_GATE_LOCK);
		cs = g->check && check_result_load(st->doc, g->check, &rec) ? rec.status_text : NULL;
		pending = lock_pending_step(st, rb, ls, g);
		np = lock_pending_list(st, rb, ls, g, &steps);
		if (!g->check || check_result_passed(st->doc, g->check)) {
			if (np == 1)
				snprintf(why, whylen,
					 "The step '%s' is locked until the step '%s' is done or skipped "
					 "(it is %s): finish it, or skip it with a reason; or override "
					 "with a typed confirmation, which is recorded.",
					 step, pending, step_status_name(state_step_status(st, pending)));
			else
				snprintf(why, whylen,
					 "The step '%s' is locked until the steps %s are done or skipped: "
					 "finish them, or skip them with a reason; or override with a "
					 "typed confirmation, which is recorded.", step, sb_str(&steps));
			sb_free(&steps);
			return GATE_LOCKED;
		}
		also = np == 0 ? xstrdup("")
		       : xasprintf(" Also pending before it: step%s %s.", np == 1 ? "" : "s",
				   sb_str(&steps));
		sb_free(&steps);
		if (cs && rec.status_known && rec.status == CHECK_OK &&
		    rec.freshness != CHECK_CURRENT)
			snprintf(why, whylen,
				 "The step '%s' is locked until the %s was %s: the %s result 'ok' no "
				 "longer counts (%s). Run the verification again (osmigrate check %s "
				 "--step %s%s) until it is ok; or override with a typed confirmation, "
				 "which is recorded.%s",
				 step, g->subject, g->passed, g->check,
				 check_freshness_text(rec.freshness), rb->id,
				 check_step_of(rb, g->check), state_hint(st, rb), also);
		else if (cs && !str_eq(cs, "ok"))
			snprintf(why, whylen,
				 "The step '%s' is locked until the %s was %s: the last %s result is "
				 "'%s'. Resolve what it reported and run the verification again "
				 "(osmigrate check %s --step %s%s) until it is ok; or override with a "
				 "typed confirmation, which is recorded.%s",
				 step, g->subject, g->passed, g->check, cs, rb->id,
				 check_step_of(rb, g->check), state_hint(st, rb), also);
		else
			snprintf(why, whylen,
				 "The step '%s' is locked until the %s was %s: the check %s %s. Run "
				 "the verification (osmigrate check %s --step %s%s%s%s) until it "
				 "passes; or override with a typed confirmation, which is "
				 "recorded.%s",
				 step, g->subject, g->passed, g->check,
				 cs ? (str_eq(cs, "ok") ? "passed" : cs) : "has not run",
				 rb->id, check_step_of(rb, g->check), state_hint(st, rb),
				 g->also ? ", or " : "", g->also ? g->also : "", also);
		free(also);
		return GATE_LOCKED;
	}
	g = gate_of(rb, step, RB_GATE_ORDER);
	if (g && !str_empty(item) && !goes_first(st, runbook_step(rb, step), g, item) &&
	    !covers(st, step, item, "order: ")) {
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
			if (!pending && !item_finished(item_status(st, rb, s, items[i])))
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


static bool item_configured(const struct state *st, const struct rb_step *s, const char *item)
{
	const char *kind = item_kind_section(s->items);

	return kind && doc_has_section(st->doc, kind, item);
}

/* The results that keep step s (item NULL) or one of its items from being
 * marked done: the latest result FAILED or stale (result.h: settings changed
 * since, or no verdict any more), not covered by a recorded override.  For
 * the step: its own results, and those of its configured items that are
 * neither skipped nor overridden there.  The type verification's blockers
 * are its result FAILED.  Appends a readable list to list and override
 * entries to entries (either may be NULL); returns how many. */
static size_t blocking_results_but(const struct state *st, const struct runbook *rb,
				   const struct rb_step *s, const char *item, const char *but,
				   struct strbuf *list, struct strbuf *entries);

static size_t blocking_results(const struct state *st, const struct runbook *rb,
			       const struct rb_step *s, const char *item,
			       struct strbuf *list, struct strbuf *entries)
{
	return blocking_results_but(st, rb, s, item, NULL, list, entries);
}

/* The same, leaving out the results of the item but (the one being finished:
 * its own gate has spoken for them). */
static size_t blocking_results_but(const struct state *st, const struct runbook *rb,
				   const struct rb_step *s, const char *item, const char *but,
				   struct strbuf *list, struct strbuf *entries)
{
	struct check_results rs;
	size_t n = 0;

	check_results_for_step(st->doc, rb->id, s->id, &rs);
	for (size_t i = 0; i < rs.n; i++) {
		const struct check_record *r = &rs.r[i];
		const char *colon = s->items != ITEM_NONE ? strchr(r->id, ':') : NULL;
		const char *of = colon ? colon + 1 : NULL;

		if (r->verdict != VERDICT_FAILED && r->verdict != VERDICT_STALE)
			continue;
		if (covers_result(st, s->id, item, r->id))
			continue;
		if (!str_empty(item) && !str_eq(of, item))
			continue;
		if (str_empty(item) && of &&
		    (!item_configured(st, s, of) || item_status(st, rb, s, of) == STEP_SKIPPED ||
		     covers_result(st, s->id, of, r->id) || str_eq(of, but)))
			continue;
		n++;
		if (list) {
			sb_addf(list, "%s%s ", n > 1 ? "; " : "", r->id);
			if (r->verdict == VERDICT_STALE)
				sb_addf(list, "is stale (%s)", r->stale_reason ? r->stale_reason : "?");
			else
				sb_addf(list, "FAILED%s%.80s%s", r->summary ? " (" : "",
					r->summary ? r->summary : "", r->summary ? ")" : "");
		}
		if (entries)
			sb_addf(entries, "%sresult %s %s %s", entries->len ? OVERRIDE_SEP : "", r->id,
				check_verdict_word(r->verdict), r->at ? r->at : "?");
	}
	check_results_free(&rs);
	return n;
}

static bool results_gate_but(const struct state *st, const struct runbook *rb,
			     const struct rb_step *s, const char *item, const char *but,
			     char *why, size_t whylen)
{
	struct strbuf list = STRBUF_INIT;
	size_t n = blocking_results_but(st, rb, s, item, but, &list, NULL);

	if (n) {
		char *what = str_empty(item) ? xasprintf("the step '%s'", s->id)
					     : xasprintf("'%s'", item);

		snprintf(why, whylen,
			 "%s cannot be marked done: its check%s %s. Resolve it and run the check "
			 "again (osmigrate check %s --step %s), or override with a typed reason, "
			 "which is recorded.", what, n == 1 ? "" : "s", sb_str(&list), rb->id, s->id);
		free(what);
	}
	sb_free(&list);
	return n > 0;
}

static bool results_gate(const struct state *st, const struct runbook *rb,
			 const struct rb_step *s, const char *item, char *why, size_t whylen)
{
	return results_gate_but(st, rb, s, item, NULL, why, whylen);
}

/* An item marked done with actions unticked ("forced") needs a reason. */
static bool forced_gate(const struct state *st, const struct rb_step *s, const char *item,
			char *why, size_t whylen)
{
	size_t k;

	if (str_empty(item) || s->n_item_actions == 0)
		return false;
	k = progress_item_ticked(st, s, item);
	if (k >= s->n_item_actions || covers(st, s->id, item, "forced: "))
		return false;
	snprintf(why, whylen,
		 "'%s' has %zu of %zu actions unticked: tick them, or give a typed reason to mark "
		 "it done anyway (shown as forced, [x]!), which is recorded.", item,
		 s->n_item_actions - k, s->n_item_actions);
	return true;
}

enum progress_gate progress_done_gate(const struct state *st, const struct runbook *rb,
				      const char *step, const char *item, char *why,
				      size_t whylen)
{
	const struct rb_step *s = runbook_step(rb, step);
	enum progress_gate g = progress_gate(st, rb, step, item, why, whylen);

	if (g != GATE_OPEN || !s)
		return g;
	if (results_gate(st, rb, s, item, why, whylen))
		return GATE_RESULTS;
	if (forced_gate(st, s, item, why, whylen))
		return GATE_FORCED;
	return GATE_OPEN;
}

bool progress_forced(const struct state *st, const struct runbook *rb, const struct rb_step *s,
		     const char *item)
{
	if (!str_empty(item))
		return item_status(st, rb, s, item) == STEP_DONE &&
		       progress_item_ticked(st, s, item) < s->n_item_actions;
	if (state_step_status(st, s->id) != STEP_DONE)
		return false;
	{
		struct step_progress p;

		progress_step(st, rb, s, &p);
		return p.actions_ticked < p.n_actions || p.items_done < p.n_items;
	}
}

const char *progress_mark(const struct state *st, const struct runbook *rb,
			  const struct rb_step *s, const char *item, enum step_status shown)
{
	if (shown == STEP_DONE && progress_forced(st, rb, s, item))
		return "[x]!";
	return step_status_mark(shown);
}

const char *progress_override_prompt(const struct runbook *rb, const char *step,
				     enum progress_gate g)
{
	const struct rb_gate *gate = NULL;

	switch (g) {
	case GATE_ORDER: gate = gate_of(rb, step, RB_GATE_ORDER); break;
	case GATE_LOCKED: gate = gate_of(rb, step, RB_GATE_LOCK); break;
	case GATE_RESULTS:
		return "Why mark it done over its failed or stale checks? (recorded in the state "
		       "file and the journal)";
	case GATE_FORCED:
		return "Why mark it done with actions unticked? (recorded in the state file and "
		       "the journal)";
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

/* What an override of gate g of step/item is about, as an entry of its
 * "overrode" list. */
static void override_entries(const struct state *st, const struct runbook *rb,
			     const struct rb_step *s, const char *item, enum progress_gate g,
			     struct strbuf *out)
{
	switch (g) {
	case GATE_LOCKED: {
		const struct rb_gate *gate;
		const char *pending;
		struct check_record rec;

		progress_lock_why(st, rb, s, &gate, &pending);
		sb_add(out, "lock: ");
		if (gate && gate->check && !check_result_passed(st->doc, gate->check)) {
			if (check_result_load(st->doc, gate->check, &rec))
				sb_addf(out, "%s %s %s", gate->check, check_verdict_word(rec.verdict),
					rec.at ? rec.at : "?");
			else
				sb_addf(out, "%s had not run", gate->check);
		}
		if (gate) {
			bool first = true;

			for (size_t i = 0; i < rb->n_steps; i++)
				if (lock_waits_for(rb, s, gate, rb->steps[i].id) &&
				    !item_finished(state_step_status(st, rb->steps[i].id))) {
					sb_addf(out, "%s%s", first ? (out->len > 6 ? ", steps " : "steps ")
							       : " ", rb->steps[i].id);
					first = false;
				}
			if (!first)
				sb_add(out, " pending");
		}
		break;
	}
	case GATE_ORDER:
		sb_addf(out, "order: before the %s", gate_of(rb, s->id, RB_GATE_ORDER)->first);
		break;
	case GATE_RESULTS:
		blocking_results(st, rb, s, item, NULL, out);
		break;
	case GATE_FORCED:
		sb_addf(out, "forced: %zu/%zu actions ticked", progress_item_ticked(st, s, item),
			s->n_item_actions);
		break;
	case GATE_OPEN:
		break;
	}
}

static void set_own_key(struct state *st, const char *step, const char *item, const char *key,
			const char *value)
{
	if (str_empty(item)) {
		doc_set(st->doc, "step", step, key, value);
	} else {
		char *sec = state_item_section(step, item);

		doc_set(st->doc, "item", sec, key, value);
		free(sec);
	}
}

const char *progress_overrode(const struct state *st, const char *step, const char *item)
{
	const char *v;

	if (!overridden(st, step, item))
		return NULL;
	v = own_key(st, step, item, "overrode");
	return str_empty(v) ? NULL : v;
}

bool progress_override(struct state *st, const struct runbook *rb, const char *step,
		       const char *item, enum progress_gate g, const char *text, char *why,
		       size_t whylen)
{
	const struct rb_step *s = runbook_step(rb, step);
	struct strbuf entries = STRBUF_INIT;
	char *reason, now[OSM_ISO_LEN];
	bool closed = false;

	if (whylen)
		why[0] = '\0';
	if (str_empty(item))
		item = NULL;
	/* Override what refused, where it refused: the failed checks of the
	 * item, or (a change that completes the step) of the step. */
	switch (g) {
	case GATE_ORDER:
	case GATE_LOCKED:
		closed = s && progress_gate(st, rb, step, item, why, whylen) == g;
		break;
	case GATE_RESULTS:
		if (s && item && results_gate(st, rb, s, item, why, whylen))
			closed = true;
		else if (s && results_gate(st, rb, s, NULL, why, whylen))
			closed = true, item = NULL;
		break;
	case GATE_FORCED:
		closed = s && forced_gate(st, s, item, why, whylen);
		break;
	case GATE_OPEN:
		break;
	}
	if (!closed) {
		snprintf(why, whylen, "nothing to override: that gate of '%s' is open", step);
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
	/* What was overridden before stays overridden. */
	if (overridden(st, step, item) && own_key(st, step, item, "overrode"))
		sb_add(&entries, own_key(st, step, item, "overrode"));
	{
		struct strbuf e = STRBUF_INIT;

		override_entries(st, rb, s, item, g, &e);
		if (e.len)
			sb_addf(&entries, "%s%s", entries.len ? OVERRIDE_SEP : "", sb_str(&e));
		sb_free(&e);
	}
	reason = xasprintf(OVERRIDE_PREFIX "%s", text);
	set_reason_keep_status(st, step, item, reason);
	free(reason);
	iso8601_now(now);
	set_own_key(st, step, item, "override_by", operator_id());
	set_own_key(st, step, item, "override_at", now);
	set_own_key(st, step, item, "overrode", sb_str(&entries));
	sb_free(&entries);
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

		cur = item_status(st, rb, s, item);
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

/* Would finishing item (done or skipped) complete its step, the step's
 * actions all ticked and its other items finished? */
static bool item_completes_step(const struct state *st, const struct runbook *rb,
				const struct rb_step *s, const char *item)
{
	enum step_status ss = state_step_status(st, s->id);
	struct step_progress p;

	if (item_finished(ss) || ss == STEP_FAILED ||
	    item_finished(item_status(st, rb, s, item)))
		return false;
	progress_step(st, rb, s, &p);
	return p.actions_ticked == p.n_actions && p.items_done + 1 == p.n_items;
}

/* Would ticking action complete the item (and so perhaps the step), or the
 * step?  Then the results gate of what it completes applies, as to marking
 * it done: true with why filled when it is closed. */
static bool tick_completes(const struct state *st, const struct runbook *rb,
			   const struct rb_step *s, const char *item, const char *action,
			   char *why, size_t whylen)
{
	struct step_progress p;
	bool step_done;

	if (state_ticked(st, s->id, item, action, NULL, NULL) ||
	    item_finished(state_step_status(st, s->id)) ||
	    state_step_status(st, s->id) == STEP_FAILED)
		return false;
	progress_step(st, rb, s, &p);
	if (item) {
		enum step_status is = item_status(st, rb, s, item);

		if (item_finished(is) || is == STEP_FAILED ||
		    progress_item_ticked(st, s, item) + 1 < s->n_item_actions)
			return false;
		if (results_gate(st, rb, s, item, why, whylen))
			return true;
		step_done = item_completes_step(st, rb, s, item);
	} else {
		step_done = p.actions_ticked + 1 == p.n_actions && p.items_done == p.n_items &&
			    (s->items == ITEM_NONE || p.n_items > 0);
	}
	return step_done && results_gate_but(st, rb, s, NULL, item, why, whylen);
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
		if (tick_completes(st, rb, s, is_item ? item : NULL, action, why, whylen))
			return GATE_RESULTS;
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
		enum progress_gate g = s == STEP_DONE
			? progress_done_gate(st, rb, step, item, why, whylen)
			: progress_gate(st, rb, step, item, why, whylen);

		if (g != GATE_OPEN)
			return g;
	}
	/* An item done that completes its step: the step's own results gate,
	 * as for the tick that would complete it (skipping is never gated). */
	if (s == STEP_DONE && is_item && runbook_step(rb, step) &&
	    item_completes_step(st, rb, runbook_step(rb, step), item) &&
	    results_gate_but(st, rb, runbook_step(rb, step), NULL, item, why, whylen))
		return GATE_RESULTS;
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

/* ---- overrides and the verdict ---- */

static void add_override(struct progress_overrides *out, const struct state *st,
			 const struct runbook *rb, const struct rb_step *s, const char *item)
{
	struct progress_override_rec *r;
	bool ov = overridden(st, s->id, item);
	bool forced = progress_forced(st, rb, s, item);

	if (!ov && !forced)
		return;
	out->r = xreallocarray(out->r, out->n + 1, sizeof *out->r);
	r = &out->r[out->n++];
	memset(r, 0, sizeof *r);
	r->step = s;
	r->item = item;
	r->forced = forced;
	r->reason = ov ? reason_of(st, s->id, item) + strlen(OVERRIDE_PREFIX) : NULL;
	r->by = own_key(st, s->id, item, ov ? "override_by" : "by");
	r->at = own_key(st, s->id, item, ov ? "override_at" : "at");
	if (!r->by)
		r->by = own_key(st, s->id, item, "by");
	if (!r->at)
		r->at = own_key(st, s->id, item, "at");
	r->overrode = ov ? own_key(st, s->id, item, "overrode") : NULL;
	if (item) {
		r->ticked = progress_item_ticked(st, s, item);
		r->total = s->n_item_actions;
	} else {
		struct step_progress p;

		progress_step(st, rb, s, &p);
		r->ticked = p.actions_ticked;
		r->total = p.n_actions;
	}
}

void progress_overrides(const struct state *st, const struct runbook *rb,
			struct progress_overrides *out)
{
	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < rb->n_steps; i++) {
		const struct rb_step *s = &rb->steps[i];
		const char **items;
		size_t n;

		add_override(out, st, rb, s, NULL);
		items = progress_items(st, s, &n);
		for (size_t k = 0; k < n; k++)
			add_override(out, st, rb, s, items[k]);
		free(items);
	}
}

void progress_overrides_free(struct progress_overrides *o)
{
	free(o->r);
	o->r = NULL;
	o->n = 0;
}

enum progress_verdict progress_verdict(const struct state *st, const struct runbook *rb,
				       size_t *n_overrides)
{
	struct progress_overrides o;
	bool all = true;
	size_t n;

	for (size_t i = 0; i < rb->n_steps; i++)
		all = all && item_finished(state_step_status(st, rb->steps[i].id));
	progress_overrides(st, rb, &o);
	n = o.n;
	if (n_overrides)
		*n_overrides = n;
	progress_overrides_free(&o);
	if (!all)
		return PROGRESS_INCOMPLETE;
	return n ? PROGRESS_COMPLETE_OVERRIDES : PROGRESS_COMPLETE;
}

void progress_verdict_text(enum progress_verdict v, size_t n, char *buf, size_t len)
{
	switch (v) {
	case PROGRESS_COMPLETE: snprintf(buf, len, "complete"); break;
	case PROGRESS_COMPLETE_OVERRIDES:
		snprintf(buf, len, "complete with %zu override%s", n, n == 1 ? "" : "s");
		break;
	case PROGRESS_INCOMPLETE: snprintf(buf, len, "incomplete"); break;
	case PROGRESS_ROLLED_BACK: snprintf(buf, len, "rolled back"); break;
	}
}
