/* check.h - automated checks as a table (pg_upgrade's check.c style): each
 * entry has an id, a label, the runbook step it belongs to, what settings it
 * reads and a function.  One runner runs them, collects every result, and
 * reports once.  The results themselves, how they are stored and read back,
 * their freshness and their severity are result.h's.
 *
 * A check that could not run reports CHECK_ERROR ("error: could not check"),
 * never CHECK_OK.  Every non-ok result carries a fix the operator can act on;
 * one that lacked a secret names it (check_result.needs).
 * UI-free: never include curses here. */
#ifndef OSM_CHECK_H
#define OSM_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "ctx.h"
#include "doc.h"
#include "result.h"

/* What a check function gets. */
struct check_env {
	const struct doc *settings;  /* the state or answers document */
	struct ctx *ctx;             /* cancel, progress, timeouts, secrets */
	const char *item;            /* NULL: all items; else only this item */
};
typedef void (*check_fn)(const struct check_env *env, struct check_report *rep);

/* One part of the settings a check reads.  kind: a settings section kind
 * ("target", "consumer") or "step" (a form value the operator typed).
 * name NULL: every section of that kind (the unnamed one for "target"...);
 * item: the section the result's item names ("consumer_ping:X" reads
 * [consumer "X"]; a result without an item reads them all).  key NULL:
 * every key of the section. */
struct check_dep {
	const char *kind;
	const char *name;
	const char *key;
	bool item;
};
#define CHECK_MAX_DEPS 4

struct check_def {
	const char *id;              /* stable: used in state file, `check` output */
	const char *runbook;         /* runbook id */
	const char *step;            /* step id the check belongs to */
	const char *label;           /* "Checking <label> ..." */
	check_fn fn;
	struct check_dep deps[CHECK_MAX_DEPS]; /* what it reads; kind NULL ends */
};

/* The table (src/checks.c): every check of every runbook, in run order.
 * check_find() and check_def_of_result() (result.h) look it up. */
extern const struct check_def check_defs[];
extern const size_t n_check_defs;

/* Run all checks of a runbook (step NULL) or of one step; results appended. */
void checks_run(const char *runbook, const char *step, const struct check_env *env,
		struct check_report *rep);

#endif
