/* check.h - what a check does (pg_upgrade's check.c style): each check of
 * the catalogue (checklist.h: id, runbook, step, label, what it reads) is
 * bound to its function in check_defs[] (checks.c).  One runner runs them,
 * collects every result, and reports once.  The results themselves, how
 * they are stored and read back, their freshness and their severity are
 * result.h's.
 *
 * A check that could not run reports CHECK_ERROR ("error: could not check"),
 * never CHECK_OK.  Every non-ok result carries a fix the operator can act on;
 * one that lacked a secret names it (check_result.needs).
 * UI-free: never include curses here. */
#ifndef OSM_CHECK_H
#define OSM_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "checklist.h"
#include "ctx.h"
#include "doc.h"
#include "result.h"

/* What a check function gets. */
struct check_env {
	const struct doc *settings;  /* the state or answers document */
	struct ctx *ctx;             /* cancel, progress, timeouts, secrets */
	const char *item;            /* NULL: all items; else only this item */
	const char *runbook, *step;  /* the step it runs for (checks_run sets them);
				      * NULL: none (a wizard's "before" ping) */
};
typedef void (*check_fn)(const struct check_env *env, struct check_report *rep);

/* A check id and the function that computes its results.  The function
 * lives in the family file of its subject (pgcheck.c, httpcheck.c,
 * endpointcheck.c, clonecheck.c, typecheck.c). */
struct check_def {
	const char *id;
	check_fn fn;
};

/* Every id of the catalogue, once (checks.c). */
extern const struct check_def check_defs[];
extern const size_t n_check_defs;

/* The check with this id, when runbook runs it (check_info_find);
 * runbook NULL: any.  NULL when there is none. */
const struct check_def *check_find(const char *runbook, const char *id);

/* Run all checks of a runbook (step NULL) or of one step, in the order of
 * the catalogue; results appended, each stamped with the digest of the
 * settings its check reads. */
void checks_run(const char *runbook, const char *step, const struct check_env *env,
		struct check_report *rep);

#endif
