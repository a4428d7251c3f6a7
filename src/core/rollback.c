/* rollback.c - the way back, from the state and the runbook's rollback
 * data (rollback.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "progress.h"
#include "rollback.h"
#include "dbtabs.h"
#include "schema.h"
#include "util.h"

size_t rollback_item_ticked(const struct state *st, const struct runbook *rb, const char *item)
{
	const struct rb_rollback *r = rb->rollback;
	size_t k = 0;

	for (size_t i = 0; r && i < r->n_actions; i++)
		if (state_ticked(st, r->step, item, r->actions[i].id, NULL, NULL))
			k++;
	return k;
}

bool rollback_build(const struct state *st, const struct runbook *rb, struct rollback_path *out)
{
	const char **items;
	size_t ni;

	memset(out, 0, sizeof *out);
	if (!rb->rollback || !(out->step = runbook_step(rb, rb->rollback->step)))
		return false;
	out->rb = rb->rollback;
	items = progress_items(st, out->step, &ni);
	out->n_items = ni;
	out->e = xcalloc(ni ? ni : 1, sizeof *out->e);
	/* Two passes for servers: the front-ends, then the controller(s). */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t k = 0; k < ni; k++) {
			struct rollback_entry e = { items[k], false, STEP_PENDING, 0, 0 };

			if (out->rb->kind == ROLLBACK_SERVERS)
				e.controller = progress_is_controller(st, items[k]);
			if ((pass == 1) != e.controller)
				continue;
			e.status = state_item_status(st, out->step->id, items[k]);
			e.forward_ticked = progress_item_ticked(st, out->step, items[k]);
			e.ticked = rollback_item_ticked(st, rb, items[k]);
			/* what the state says was done: a forward action ticked,
			 * the item marked done, or its rollback begun */
			if (e.forward_ticked || e.status == STEP_DONE || e.ticked)
				out->e[out->n++] = e;
		}
		if (out->rb->kind != ROLLBACK_SERVERS)
			break;
	}
	free(items);
	return true;
}

void rollback_free(struct rollback_path *p)
{
	free(p->e);
	memset(p, 0, sizeof *p);
}

bool rollback_happened(const struct state *st, const struct runbook *rb)
{
	struct rollback_path p;
	bool any = false;

	if (!rollback_build(st, rb, &p))
		return false;
	for (size_t i = 0; i < p.n && !any; i++)
		any = p.e[i].ticked > 0;
	rollback_free(&p);
	return any;
}

enum progress_verdict rollback_verdict(const struct state *st, const struct runbook *rb,
				       size_t *n_overrides)
{
	enum progress_verdict v = progress_verdict(st, rb, n_overrides);

	return rollback_happened(st, rb) ? PROGRESS_ROLLED_BACK : v;
}

const struct rb_action *rollback_action(const struct runbook *rb, const char *step,
					const char *id)
{
	if (!rb->rollback || !str_eq(rb->rollback->step, step))
		return NULL;
	for (size_t i = 0; i < rb->rollback->n_actions; i++)
		if (str_eq(rb->rollback->actions[i].id, id))
			return &rb->rollback->actions[i];
	return NULL;
}

bool rollback_tick(struct state *st, const struct runbook *rb, const char *item,
		   const char *action_id, bool on)
{
	if (!item || !rb->rollback || !rollback_action(rb, rb->rollback->step, action_id))
		return false;
	state_tick(st, rb->rollback->step, item, action_id, on);
	return true;
}

/* The one place that reads the old address of each database: per
 * Configuration Tool tab (dbtabs_all: [endpoint "platform"], "session",
 * "log"), the address to put back.  A database without addresses in the
 * settings is left as it is and not named. */
char **rollback_addresses(const struct doc *settings, size_t *n)
{
	size_t ndb = 0, k = 0;
	const struct schema_name *dbs = dbtabs_all(&ndb);
	char **l = xcalloc(ndb + 1, sizeof *l);

	for (size_t i = 0; i < ndb; i++) {
		const char *old = doc_get(settings, "endpoint", dbs[i].name, "old");
		const char *now = doc_get(settings, "endpoint", dbs[i].name, "new");

		if (str_empty(old) && str_empty(now))
			continue;
		if (str_empty(old))
			l[k++] = xasprintf("%s database address to put back: not recorded "
					   "([endpoint \"%s\"] old is not set): use the address "
					   "its tab had before the change", dbs[i].title, dbs[i].name);
		else if (!str_empty(now))
			l[k++] = xasprintf("%s database address to put back: %s (the servers use %s now)",
					   dbs[i].title, old, now);
		else
			l[k++] = xasprintf("%s database address to put back: %s", dbs[i].title, old);
	}
	if (k == 0)
		l[k++] = xstrdup("Database address to put back: not recorded (no [endpoint] "
				 "addresses in the settings): use the addresses the servers had "
				 "before the change");
	*n = k;
	return l;
}

void rollback_lines_free(char **lines, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}
