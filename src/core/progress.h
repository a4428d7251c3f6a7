/* progress.h - where a procedure stands and what may be done next, computed
 * from the runbook tables (runbook.h) and a state document (state.h).  The
 * wizard's screens and the headless `status`, `mark` and `report` commands
 * all go through these functions, so the rules live in one place:
 *
 *  - per step, item counts ("rebind 12/40") over the settings sections of the
 *    step's item kind ([extension "X"], [server "X"] ...), in file order;
 *  - the next action: the first step neither done nor skipped, and in it the
 *    first unticked action (step actions first, then each item's; in a step
 *    with an order gate, the items that go first come first);
 *  - gates, which are runbook data (struct rb_gate in runbook.h: which step,
 *    which items, which check, what the refusal and the override prompt say):
 *      order gate: no other item may be ticked (or marked done) before every
 *        item the gate puts first is done or skipped (restore-database
 *        "servers": the Deployment Controller before the front-ends);
 *      lock gate: the whole step stays locked until the gate's check has an
 *        ok result that is current (check.h: a result recorded before the
 *        settings it read changed never unlocks), and every step the gate
 *        lists is done or skipped (restore-database "decommission": until
 *        clone_compare passed);
 *    Either can be overridden with a typed reason/confirmation, which is
 *    recorded in the state (and must be journaled by the caller);
 *  - status rules: a step or item becomes in-progress on its first tick and
 *    done when all its actions (and, for a step, all its items) are done;
 *    unticking moves it back.  Skipped and failed are only set explicitly.
 *
 * Nothing here saves the state or writes the journal: callers do
 * state_save() and then journal_append() (journal.h).
 * UI-free: never include curses here. */
#ifndef OSM_PROGRESS_H
#define OSM_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

#include "runbook.h"
#include "state.h"

struct step_progress {
	enum step_status status;      /* as stored for the step */
	size_t n_actions;             /* step-level actions */
	size_t actions_ticked;
	size_t n_items;               /* configured items of the step's kind (0: ITEM_NONE) */
	size_t items_done;            /* items done or skipped */
	size_t items_skipped;
	size_t items_started;         /* items in progress (some but not all ticked) */
	bool locked;                  /* its lock gate applies to the whole step now */
};

/* Compute the progress of one step. */
void progress_step(const struct state *st, const struct runbook *rb, const struct rb_step *s,
		   struct step_progress *out);

/* One line for lists and `status`: "12/40 extensions done", "2/3 actions",
 * "no application servers configured", or "" when the step has no actions
 * and no items.  Always NUL-terminated. */
void progress_format(const struct rb_step *s, const struct step_progress *p,
		     char *buf, size_t len);

/* The items of a step: names of the settings sections of its kind, in file
 * order (NULL-terminated, *n set; the array is the caller's, the strings
 * belong to the document).  Empty array for ITEM_NONE.  Items whose section
 * sets its kind's item_kind_not_item_key to yes are left out (runbook.h). */
const char **progress_items(const struct state *st, const struct rb_step *s, size_t *n);
/* The same for a settings document and an item kind (the checks' view). */
const char **progress_doc_items(const struct doc *d, enum item_kind k, size_t *n);

/* Actions of one item ticked so far (0..s->n_item_actions). */
size_t progress_item_ticked(const struct state *st, const struct rb_step *s, const char *item);

/* The server role of an item of an ITEM_SERVER step: true if [server "item"]
 * role = controller (shown beside it; the order gate has its own rule). */
bool progress_is_controller(const struct state *st, const char *server);

struct progress_next {
	const struct rb_step *step;     /* NULL: every step is done or skipped */
	const char *item;               /* item name (owned by the document) or NULL */
	const struct rb_action *action; /* first unticked action, or NULL: the step
					   needs its checks, its items configured,
					   or an explicit mark */
};
void progress_next(const struct state *st, const struct runbook *rb, struct progress_next *out);
/* The next thing to do in the words `status`, the resume screen and the
 * chooser all show: "step 'rebind' (Rebind extensions, 3 of 6), extension
 * 'HRDB'", or NULL when every step is done or skipped.  Caller frees; the
 * item name is the state file's (neutralise it before printing). */
char *progress_next_text(const struct state *st, const struct runbook *rb);

/* The step's clock in the words `status` and the report show, local time
 * with the UTC offset (the state keeps UTC): "started 2026-12-02 23:04
 * +01:00, ended 2026-12-02 23:40 +01:00 (36 min)", "started ..., not ended",
 * or "" when the step has not started.  Always NUL-terminated. */
void progress_step_clock(const struct state *st, const char *step, char *buf, size_t len);

enum progress_gate {
	GATE_OPEN = 0,
	GATE_ORDER,     /* an item before the items its step's order gate puts first */
	GATE_LOCKED,    /* the step's lock gate: its check has not passed, or its steps */
	GATE_RESULTS,   /* marking done: a latest result of the step or item FAILED or is
			   stale (the type verification's blockers are its FAILED) */
	GATE_FORCED,    /* marking an item done with actions unticked */
};

/* May the operator tick an action of step/item (item NULL: the step), or
 * mark it done, now?  GATE_OPEN, or the gate with a message in why saying
 * why not and what to do (override included).  Unticking, marking pending
 * and skipping are never gated.  A recorded override opens the gate. */
enum progress_gate progress_gate(const struct state *st, const struct runbook *rb,
				 const char *step, const char *item, char *why, size_t whylen);

/* May step/item be marked done now (`mark ... done`, d, or the tick that
 * completes it)?  The gates of progress_gate first, then the results gate
 * (its latest check results FAILED or stale, not overridden: for a step,
 * also those of its items neither skipped nor overridden), then, for an
 * item, the forced gate (actions unticked).  GATE_OPEN, or the gate with
 * why saying what blocks (the failing checks listed) and how to override. */
enum progress_gate progress_done_gate(const struct state *st, const struct runbook *rb,
				      const char *step, const char *item, char *why,
				      size_t whylen);

/* Done with unticked actions ("forced"): an item done with fewer ticks than
 * actions, a step done with unticked actions or unfinished items. */
bool progress_forced(const struct state *st, const struct runbook *rb, const struct rb_step *s,
		     const char *item);
/* The mark of a step or item (item NULL) shown as shown: "[x]!" when it
 * is done and forced, else step_status_mark(shown). */
const char *progress_mark(const struct state *st, const struct runbook *rb,
			  const struct rb_step *s, const char *item, enum step_status shown);

/* Why step s is locked now (step_progress.locked): its lock gate (*gate)
 * waits for its check to pass (*pending NULL), or, the check passed or
 * absent, for the step *pending.  False (both NULL) when it is not locked. */
bool progress_lock_why(const struct state *st, const struct runbook *rb, const struct rb_step *s,
		       const struct rb_gate **gate, const char **pending);

/* What the override prompt should ask for, for a gate of step other than
 * GATE_OPEN ("" for GATE_OPEN). */
const char *progress_override_prompt(const struct runbook *rb, const char *step,
				     enum progress_gate g);

/* Record an override of gate g (what progress_tick, progress_set_status
 * or progress_done_gate returned) of step/item with the operator's typed
 * text (reason or confirmation; must not be blank); GATE_LOCKED is
 * recorded on the step, GATE_RESULTS on the item whose checks failed, or on
 * the step when it is the step's checks that hold back a change completing
 * it: reason = "override: TEXT", override_by
 * (operator_id), override_at, and overrode, what it overrode ("lock: ...",
 * "order: ...", "result ID VERDICT AT", "forced: K/N actions ticked",
 * separated by "; ", kept across overrides).  An override opens only what
 * it overrode: a result that fails later closes the gate again.  A caller
 * refused again by the next gate overrides again (one reason may serve).
 * Returns false and fills why if text is blank or that gate is open. */
bool progress_override(struct state *st, const struct runbook *rb, const char *step,
		       const char *item, enum progress_gate g, const char *text, char *why,
		       size_t whylen);

/* What the override recorded on step/item overrode (its "overrode" list),
 * or NULL when there is none. */
const char *progress_overrode(const struct state *st, const char *step, const char *item);

/* Tick or untick one action (item NULL: a step action), enforcing the gate
 * and applying the status rules to the item and the step.  Returns GATE_OPEN
 * when done; else the gate, why filled, and nothing changed.  An unknown
 * step/action is a programming error here (fatalx): validate ids first. */
enum progress_gate progress_tick(struct state *st, const struct runbook *rb, const char *step,
				 const char *item, const char *action, bool on,
				 char *why, size_t whylen);

/* Set the status of a step or item explicitly (`mark`, the skip key).
 * STEP_DONE is gated like a tick; STEP_SKIPPED needs a non-blank reason
 * (returns GATE_OPEN with why filled and false in *ok otherwise).  A step
 * marked done or pending does not change its ticks.  *ok tells whether the
 * status was changed. */
enum progress_gate progress_set_status(struct state *st, const struct runbook *rb,
				       const char *step, const char *item,
				       enum step_status s, const char *reason,
				       bool *ok, char *why, size_t whylen);

/* Re-derive the status of step (and of its item when item is not NULL)
 * from the ticks, as the status rules above say; explicit skipped/failed
 * are kept. */
void progress_recompute(struct state *st, const struct runbook *rb, const char *step,
			const char *item);

/* The status of an item in step s: its own there; when it has none there,
 * skipped if an earlier step listing the same kind of items skipped it
 * (*from that step, *reason its reason), until it is reopened here (`u`,
 * `mark ... pending` give it a status of its own).  reason (its own reason
 * otherwise) and from may be NULL.  The counts, the next action, the gates
 * and every screen and command read items through it. */
enum step_status progress_item_status(const struct state *st, const struct runbook *rb,
				      const struct rb_step *s, const char *item,
				      const char **reason, const struct rb_step **from);

/* Everything overridden or forced, in runbook order (each step, then its
 * items): for `status` ("Overrides") and the report.  Strings belong to the
 * document. */
struct progress_override_rec {
	const struct rb_step *step;
	const char *item;          /* NULL: the step itself */
	const char *reason;        /* the typed reason, or NULL (forced without one) */
	const char *by, *at;       /* who typed it and when (else the status change's) */
	const char *overrode;      /* what it overrode, or NULL */
	bool forced;               /* done with actions unticked */
	size_t ticked, total;      /* its actions */
};
struct progress_overrides {
	struct progress_override_rec *r;
	size_t n;
};
void progress_overrides(const struct state *st, const struct runbook *rb,
			struct progress_overrides *out);
void progress_overrides_free(struct progress_overrides *o);

/* The verdict on the procedure: complete only when every step is done or
 * skipped and nothing was overridden or forced; complete with N overrides;
 * otherwise incomplete.  *n_overrides (may be NULL): how many. */
enum progress_verdict {
	PROGRESS_INCOMPLETE = 0,
	PROGRESS_COMPLETE,
	PROGRESS_COMPLETE_OVERRIDES,
	PROGRESS_ROLLED_BACK,   /* rollback_verdict (rollback.h): a rollback happened */
};
enum progress_verdict progress_verdict(const struct state *st, const struct runbook *rb,
				       size_t *n_overrides);
/* "complete", "complete with 2 overrides", "incomplete", "rolled back". */
void progress_verdict_text(enum progress_verdict v, size_t n, char *buf, size_t len);

#endif
