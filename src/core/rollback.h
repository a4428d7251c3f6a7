/* rollback.h - the way back (issue 14): built from what the state says was
 * done, by the runbook's rollback data (struct rb_rollback in runbook.h).
 *
 *  - the servers already reconfigured (endpoint-change, restore-database):
 *    each server of the rollback step with an action ticked or marked done,
 *    the front-ends first and the Deployment Controller LAST, each with the
 *    database address to put back (rollback_addresses);
 *  - the extensions already rebound (connector-migration): to be rebound
 *    to the ardo connection, refreshed and republished.
 *
 * Rollback ticks are item ticks like any other (tick.rollback_* in the
 * item's section, journalled by the caller); the forward progress never
 * counts them.  `osmigrate rollback` prints the path, the wizard shows it
 * and ticks it, the report says whether a rollback happened.
 * UI-free: never include curses here. */
#ifndef OSM_ROLLBACK_H
#define OSM_ROLLBACK_H

#include <stdbool.h>
#include <stddef.h>

#include "runbook.h"
#include "state.h"

struct rollback_entry {
	const char *item;            /* the server or extension (the document's) */
	bool controller;             /* a Deployment Controller: undone last */
	enum step_status status;     /* of the item in the forward step */
	size_t forward_ticked;       /* its forward actions ticked */
	size_t ticked;               /* its rollback actions ticked */
};

struct rollback_path {
	const struct rb_rollback *rb;      /* the runbook's rollback data */
	const struct rb_step *step;        /* the step it undoes */
	struct rollback_entry *e;          /* in the order to undo them */
	size_t n;
	size_t n_items;                    /* items configured in the step */
};

/* Build the path (out->n 0: nothing to undo yet).  False only when the
 * runbook has no rollback data. */
bool rollback_build(const struct state *st, const struct runbook *rb, struct rollback_path *out);
void rollback_free(struct rollback_path *p);

/* Whether any rollback action has been ticked: a rollback happened (or is
 * under way).  The report's verdict uses it. */
bool rollback_happened(const struct state *st, const struct runbook *rb);

/* The verdict on the procedure status and the report give: rolled back
 * once a rollback happened, else progress_verdict's (complete, complete
 * with N overrides, incomplete); *n_overrides as there. */
enum progress_verdict rollback_verdict(const struct state *st, const struct runbook *rb,
				       size_t *n_overrides);

/* The rollback actions of item (in the rollback step) ticked so far. */
size_t rollback_item_ticked(const struct state *st, const struct runbook *rb, const char *item);

/* The rollback action id of step, or NULL (not a rollback action, or the
 * step is not the runbook's rollback step). */
const struct rb_action *rollback_action(const struct runbook *rb, const char *step,
					const char *id);

/* Tick or untick a rollback action of item (never gated; the forward
 * progress is unchanged).  False when action_id is not a rollback action
 * of the runbook's rollback step.  The caller saves and journals
 * ("rollback.tick.ID" / "rollback.untick.ID"). */
bool rollback_tick(struct state *st, const struct runbook *rb, const char *item,
		   const char *action_id, bool on);

/* The addresses to put back, one line per database that has addresses in
 * the settings ("Platform database address to put back: old.example:5432
 * (the servers use new.example:5432 now)", or what the settings lack).  NULL-terminated array of allocated lines; *n
 * set.  Free with rollback_lines_free.  Only for ROLLBACK_SERVERS. */
char **rollback_addresses(const struct doc *settings, size_t *n);
void rollback_lines_free(char **lines, size_t n);

#endif
