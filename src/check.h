/* check.h - automated checks as a table (pg_upgrade's check.c style): each
 * entry has an id, a label, the runbook step it belongs to and a function.
 * One runner runs them, collects every result, and reports once.
 *
 * A check that could not run reports CHECK_ERROR ("error: could not check"),
 * never CHECK_OK.  Every non-ok result carries a fix the operator can act on.
 *
 * A result is tied to the settings it was computed from.  Each entry of the
 * table declares what it reads (deps); a stored result carries a digest of
 * exactly those settings, and a result whose settings changed afterwards
 * (or that was stored without a digest, or whose check this osmigrate does
 * not know) is stale: status, the gates, the report and the wizard show it
 * as "settings changed since this check ran: run it again", and a stale
 * result never unlocks anything.  check_record_load() is how every reader
 * gets a stored result together with its freshness.
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
	char *settings_digest; /* of the settings it ran with (check_report_stamp) */
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

/* The registry (src/checks.c): every check of every runbook, in run order. */
extern const struct check_def check_defs[];
extern const size_t n_check_defs;
/* The check with this id in this runbook (an id such as endpoint_new or
 * server_ping is registered once per runbook that runs it); runbook NULL: any. */
const struct check_def *check_find(const char *runbook, const char *id);

/* Run all checks of a runbook (step NULL) or of one step; results appended. */
void checks_run(const char *runbook, const char *step, const struct check_env *env,
		struct check_report *rep);

/* Record results into a document as [check "ID"] sections (status, at,
 * label, summary, detail, fix, settings_digest).  A result not stamped yet
 * is stamped with d's settings. */
void check_report_store(const struct check_report *rep, struct doc *d);

/* ---- results and the settings they were computed from ---- */

/* The check a result id belongs to: "consumer_ping:X" -> consumer_ping
 * (also the wizard's "server_ping_before:X" -> server_ping); runbook NULL:
 * the doc's runbook when given, else any.  NULL when unknown. */
const struct check_def *check_def_of_result(const char *runbook, const char *result_id);

/* Digest (16 hex digits) of the settings that result id depends on, as they
 * are in d: the sections and keys its check declares.  NULL when the check
 * is unknown.  Caller frees. */
char *check_settings_digest(const struct doc *d, const char *result_id);

/* Stamp every result of rep not stamped yet with the digest of settings,
 * the document the checks ran with (checks_run does it itself). */
void check_report_stamp(struct check_report *rep, const struct doc *settings);

enum check_freshness {
	CHECK_CURRENT = 0,   /* computed from the settings as they are now */
	CHECK_STALE,         /* the settings it read changed since */
	CHECK_UNTRACKED,     /* stored without a digest (an older osmigrate) */
	CHECK_UNKNOWN,       /* no check of that id in this osmigrate */
};
/* Is the stored [check "id"] of d still about d's settings?  The one
 * staleness rule: every reader calls this (or check_record_load). */
enum check_freshness check_result_freshness(const struct doc *d, const char *id);
/* The same rule for another record of a check's result ([types] stores the
 * type scan with the digest of type_verification's settings): stored is the
 * digest recorded with it (NULL: none). */
enum check_freshness check_digest_freshness(const struct doc *d, const char *result_id,
					    const char *stored);
bool check_result_is_stale(const struct doc *d, const char *id);
/* "settings changed since this check ran: run it again" and the like;
 * NULL for CHECK_CURRENT. */
const char *check_freshness_text(enum check_freshness f);

/* A stored result as readers need it.  Strings belong to the document. */
struct check_record {
	const char *id;
	bool status_known;            /* status parsed */
	enum check_status status;     /* as recorded (CHECK_ERROR when unknown) */
	const char *status_text;      /* as stored */
	const char *label, *at, *summary, *detail, *fix;
	enum check_freshness freshness;
};
/* Load [check "id"] of d; false when there is none. */
bool check_record_load(const struct doc *d, const char *id, struct check_record *out);
/* Does the stored result count as passed now: recorded ok, and current?
 * A stale, untracked or unknown result never passes. */
bool check_result_passed(const struct doc *d, const char *id);

#endif
