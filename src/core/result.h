/* result.h - the check-result model: what a check found (struct
 * check_result), how it is recorded in a document as [check "ID"]
 * (status, at, label, summary, detail, fix, settings_digest, needs,
 * cancelled), how
 * it is read back (struct check_record), whether it is still about the
 * settings as they are now, and how severe it is.  The one home of these
 * rules: the checks add results here, the runner and the wizard store them
 * here, and every reader (status, report, check's exit code, the progress
 * gates, the wizard's marks and panels) reads them back through
 * check_result_load() and check_results_*() and judges them with the one
 * severity policy below.  Nobody reads a [check] section by hand.
 *
 * The severity policy (check_verdict), worst first:
 *
 *     FAILED  >  error ("could not check")  >  stale  >  warning  >  ok
 *
 * A definite problem is the more actionable answer, so FAILED wins over a
 * check that could not run (`check` exits 2, not 3; the "could not check"
 * lines are still listed).  A stale result - its settings changed since
 * it ran, it was recorded without their digest, or its check is unknown -
 * is no verdict any more: it never counts as passed, ranks above every
 * verdict that would let the operator go on, and below what a check run
 * with the current settings observed.
 *
 * A result is tied to the settings it was computed from.  Each check of
 * the catalogue (checklist.h) declares what it reads (deps); a stored result
 * carries a digest of exactly those settings.  Status, the gates, the
 * report and the wizard show a stale result as "settings changed since
 * this check ran: run it again".
 *
 * A result that could not be computed for want of a secret names the
 * secret (needs): the wizard asks for that one, instead of searching the
 * result's text.
 * UI-free: never include curses here. */
#ifndef OSM_RESULT_H
#define OSM_RESULT_H

#include <stdbool.h>
#include <stddef.h>

#include "ctx.h"
#include "doc.h"
#include "runbook.h"
#include "state.h"

struct check_info;  /* checklist.h */

enum check_status {
	CHECK_OK = 0,
	CHECK_WARNING,
	CHECK_FAILED,
	CHECK_ERROR,      /* could not check */
};
const char *check_status_word(enum check_status s);  /* "ok" "warning" "FAILED" "error" */
const char *check_status_key(enum check_status s);   /* "ok" "warning" "failed" "error" (state file) */
bool check_status_parse(const char *s, enum check_status *out);

/* ---- the severity policy ---- */

/* In the order of the policy: a larger value is worse. */
enum check_verdict {
	VERDICT_NONE = 0,   /* no result at all */
	VERDICT_OK,
	VERDICT_WARNING,
	VERDICT_STALE,      /* no verdict any more: run it again */
	VERDICT_ERROR,      /* could not check */
	VERDICT_FAILED,
};
enum check_verdict check_status_verdict(enum check_status s);
/* "ok" "warning" "stale" "error" "FAILED" ("none" for VERDICT_NONE). */
const char *check_verdict_word(enum check_verdict v);
/* The exit code of `check` for a verdict: 0 ok (or nothing checked),
 * 1 warnings, 2 FAILED, 3 could not check (also stale: not a result). */
int check_verdict_exit(enum check_verdict v);

/* ---- a result as a check computes it ---- */

struct check_result {
	char *id;         /* "target_connect" or "consumer_ping:OrdersUI" */
	char *label;      /* "connection to target 127.0.0.1:5432/shop" */
	enum check_status status;
	char *summary;    /* one line: "PostgreSQL 15.18, TLS off, 2 ms, user osm" */
	char *detail;     /* optional, multi-line */
	char *fix;        /* what to do next; required unless status is ok */
	long long elapsed_ms;
	char *settings_digest; /* of the settings it ran with (check_report_stamp) */
	enum secret_kind needs; /* the secret it lacked (SECRET_NONE: none) */
	char *body_sha256;      /* a ping's page, SHA-256 in hex (NULL: no page):
				 * what a later ping compares to see a republish */
	char *at;               /* when it was observed (ISO 8601); NULL: now, when
				 * stored (a result kept from an earlier run sets it) */
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
/* The verdict of a report by the policy (VERDICT_NONE when empty). */
enum check_verdict check_report_verdict(const struct check_report *rep);

/* ---- results and the settings they were computed from ---- */

/* Digest (16 hex digits) of the settings result id of check info depends
 * on, as they are in d: the sections and keys the check declares
 * (checklist.h).  Caller frees. */
char *check_info_digest(const struct check_info *info, const struct doc *d, const char *result_id);
/* The same for a result id of d's runbook (check_info_of_result); NULL when
 * the check is unknown.  Caller frees. */
char *check_settings_digest(const struct doc *d, const char *result_id);

/* Stamp every result of rep not stamped yet with the digest of settings,
 * the document the checks ran with (checks_run does it itself). */
void check_report_stamp(struct check_report *rep, const struct doc *settings);

/* Record results into a document as [check "ID"] sections, replacing what
 * was there.  A result not stamped yet is stamped with d's settings. */
void check_report_store(const struct check_report *rep, struct doc *d);
/* The same for a run that may have been cancelled (Esc, a signal): then a
 * result that could not check (error) never replaces a result already
 * recorded (the last finished result stays: a cancelled re-run must not
 * replace a FAILED and so lift a gate), and one stored where there was
 * none carries cancelled = yes.  Returns how many results were kept. */
size_t check_report_store_run(const struct check_report *rep, struct doc *d, bool cancelled);

enum check_freshness {
	CHECK_CURRENT = 0,   /* computed from the settings as they are now */
	CHECK_STALE,         /* the settings it read changed since */
	CHECK_UNTRACKED,     /* stored without a digest (an older osmigrate) */
	CHECK_UNKNOWN,       /* no check of that id in this osmigrate */
};
/* The one staleness rule for another record of a check's result ([types]
 * stores the type scan with the digest of type_verification's settings):
 * stored is the digest recorded with it (NULL: none). */
enum check_freshness check_digest_freshness(const struct doc *d, const char *result_id,
					    const char *stored);
/* "settings changed since this check ran: run it again" and the like;
 * NULL for CHECK_CURRENT. */
const char *check_freshness_text(enum check_freshness f);

/* ---- a result as it is stored ---- */

/* Strings belong to the document. */
struct check_record {
	const char *id;
	bool status_known;            /* status parsed */
	enum check_status status;     /* as recorded (CHECK_ERROR when unknown) */
	const char *status_text;      /* as stored ("failed") */
	const char *label, *at, *summary, *detail, *fix;
	const char *settings_digest;  /* NULL: recorded without one */
	enum secret_kind needs;       /* the secret it lacked */
	bool cancelled;               /* could not check because its run was cancelled */
	const char *body_sha256;      /* a ping's page digest; NULL: none recorded */
	enum check_freshness freshness;
	const char *stale_reason;     /* check_freshness_text(freshness): NULL when current */
	enum check_verdict verdict;   /* its status, or VERDICT_STALE when not current */
};
/* Load [check "id"] of d; false (and *out zeroed, verdict VERDICT_NONE)
 * when there is none. */
bool check_result_load(const struct doc *d, const char *id, struct check_record *out);
/* Does the stored result count as passed now: recorded ok, and current?
 * A stale, untracked or unknown result never passes. */
bool check_result_passed(const struct doc *d, const char *id);

/* Stored results, in file order. */
struct check_results {
	struct check_record *r;
	size_t n;
};
/* Every [check] of d. */
void check_results_all(const struct doc *d, struct check_results *out);
/* The results of the checks of one step of runbook: those whose id (or
 * "id:ITEM") names a check of that step.  The wizard's before-pings
 * (server_ping_before:NAME) are not among them: they are shown with their
 * server. */
void check_results_for_step(const struct doc *d, const char *runbook, const char *step,
			    struct check_results *out);
void check_results_free(struct check_results *rs);
/* The verdict of a set of stored results by the policy (VERDICT_NONE when empty). */
enum check_verdict check_results_verdict(const struct check_results *rs);

/* Is the verdict of a step's results FAILED (some result FAILED and
 * current)?  The same as check_results_verdict() of
 * check_results_for_step() == VERDICT_FAILED, computing the freshness of
 * the failed results only: the wizard asks it for every step after every
 * change. */
bool check_step_failed(const struct doc *d, const char *runbook, const char *step);

/* The status a step is shown with (its mark) in the wizard's step list,
 * `status` and the text report: as recorded, except that a step still open
 * (pending or in progress) whose checks' verdict is FAILED shows as
 * STEP_FAILED.  Display only: progress.h sets failed explicitly. */
enum step_status check_step_shown_status(const struct state *st, const struct runbook *rb,
					 const struct rb_step *s);

#endif
