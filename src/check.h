/* check.h - automated checks as a table (pg_upgrade's check.c style): each
 * entry has an id, a label, the runbook step it belongs to and a function.
 * One runner runs them, collects every result, and reports once.
 *
 * A check that could not run reports CHECK_ERROR ("error: could not check"),
 * never CHECK_OK.  Every non-ok result carries a fix the operator can act on.
 * UI-free: never include curses here. */
#ifndef OSM_CHECK_H
#define OSM_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "ctx.h"
#include "doc.h"

enum check_status {
	CHECK_OK = 0,
	CHECK_WARNING,
	CHECK_FAILED,
	CHECK_ERROR,      /* could not check */
};
const char *check_status_word(enum check_status s);  /* "ok" "warning" "FAILED" "error" */
const char *check_status_key(enum check_status s);   /* "ok" "warning" "failed" "error" (state file) */
bool check_status_parse(const char *s, enum check_status *out);

struct check_result {
	char *id;         /* "target_connect" or "consumer_ping:OrdersUI" */
	char *label;      /* "connection to target 127.0.0.1:5432/shop" */
	enum check_status status;
	char *summary;    /* one line: "PostgreSQL 15.18, TLS off, 2 ms, user osm" */
	char *detail;     /* optional, multi-line */
	char *fix;        /* what to do next; required unless status is ok */
	long long elapsed_ms;
};

struct check_report {
	struct check_result *r;
	size_t n, cap;
};
void check_report_init(struct check_report *rep);
void check_report_free(struct check_report *rep);
/* Append a result (strings are copied; summary/detail/fix may be NULL). */
struct check_result *check_add(struct check_report *rep, const char *id, const char *label,
			       enum check_status st, const char *summary, const char *detail,
			       const char *fix);
/* Worst status in the report (CHECK_OK when empty). */
enum check_status check_report_worst(const struct check_report *rep);

/* What a check function gets. */
struct check_env {
	const struct doc *settings;  /* the state or answers document */
	struct ctx *ctx;             /* cancel, progress, timeouts, secrets */
	const char *item;            /* NULL: all items; else only this item */
};
typedef void (*check_fn)(const struct check_env *env, struct check_report *rep);

struct check_def {
	const char *id;              /* stable: used in state file, `check` output */
	const char *runbook;         /* runbook id */
	const char *step;            /* step id the check belongs to */
	const char *label;           /* "Checking <label> ..." */
	check_fn fn;
};

/* The registry (src/checks.c): every check of every runbook, in run order. */
extern const struct check_def check_defs[];
extern const size_t n_check_defs;
/* The check with this id in this runbook (an id such as endpoint_new or
 * server_ping is registered once per runbook that runs it); runbook NULL: any. */
const struct check_def *check_find(const char *runbook, const char *id);

/* Run all checks of a runbook (step NULL) or of one step; results appended. */
void checks_run(const char *runbook, const char *step, const struct check_env *env,
		struct check_report *rep);

/* Record results into a document as [check "ID"] sections (status, at, summary, detail, fix). */
void check_report_store(const struct check_report *rep, struct doc *d);

#endif
