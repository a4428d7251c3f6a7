/* result.c - the check-result model (see result.h): statuses and the
 * severity policy, results as checks compute them, their settings digest
 * and freshness, and how they are stored in a document and read back. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checklist.h"
#include "exitcodes.h"
#include "result.h"
#include "util.h"

/* ---- statuses and the severity policy ---- */

const char *check_status_word(enum check_status s)
{
	switch (s) {
	case CHECK_OK: return "ok";
	case CHECK_WARNING: return "warning";
	case CHECK_FAILED: return "FAILED";
	case CHECK_ERROR: return "error";
	}
	return "error";
}

const char *check_status_key(enum check_status s)
{
	switch (s) {
	case CHECK_OK: return "ok";
	case CHECK_WARNING: return "warning";
	case CHECK_FAILED: return "failed";
	case CHECK_ERROR: return "error";
	}
	return "error";
}

bool check_status_parse(const char *s, enum check_status *out)
{
	static const enum check_status all[] = { CHECK_OK, CHECK_WARNING, CHECK_FAILED, CHECK_ERROR };

	for (size_t i = 0; i < OSM_ARRAY_LEN(all); i++)
		if (str_eq(s, check_status_key(all[i]))) {
			*out = all[i];
			return true;
		}
	return false;
}

enum check_verdict check_status_verdict(enum check_status s)
{
	switch (s) {
	case CHECK_OK: return VERDICT_OK;
	case CHECK_WARNING: return VERDICT_WARNING;
	case CHECK_FAILED: return VERDICT_FAILED;
	case CHECK_ERROR: return VERDICT_ERROR;
	}
	return VERDICT_ERROR;
}

const char *check_verdict_word(enum check_verdict v)
{
	switch (v) {
	case VERDICT_NONE: return "none";
	case VERDICT_OK: return "ok";
	case VERDICT_WARNING: return "warning";
	case VERDICT_STALE: return "stale";
	case VERDICT_ERROR: return "error";
	case VERDICT_FAILED: return "FAILED";
	}
	return "error";
}

int check_verdict_exit(enum check_verdict v)
{
	switch (v) {
	case VERDICT_NONE:
	case VERDICT_OK: return EXIT_OK;
	case VERDICT_WARNING: return EXIT_WARNINGS;
	case VERDICT_STALE:
	case VERDICT_ERROR: return EXIT_NOCHECK;
	case VERDICT_FAILED: return EXIT_FAILURES;
	}
	return EXIT_NOCHECK;
}

/* ---- results as checks compute them ---- */

void check_report_init(struct check_report *rep)
{
	rep->r = NULL;
	rep->n = rep->cap = 0;
}

void check_report_free(struct check_report *rep)
{
	for (size_t i = 0; i < rep->n; i++) {
		free(rep->r[i].id);
		free(rep->r[i].label);
		free(rep->r[i].summary);
		free(rep->r[i].detail);
		free(rep->r[i].fix);
		free(rep->r[i].settings_digest);
		free(rep->r[i].body_sha256);
		free(rep->r[i].at);
	}
	free(rep->r);
	check_report_init(rep);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

struct check_result *check_add(struct check_report *rep, const char *id, const char *label,
			       enum check_status st, const char *summary, const char *detail,
			       const char *fix)
{
	struct check_result *r;

	if (rep->n == rep->cap) {
		rep->cap = rep->cap ? rep->cap * 2 : 8;
		rep->r = xreallocarray(rep->r, rep->cap, sizeof *rep->r);
	}
	r = &rep->r[rep->n++];
	r->id = xstrdup(id);
	r->label = xstrdup(label ? label : id);
	r->status = st;
	r->summary = dup_or_null(summary);
	r->detail = dup_or_null(detail);
	r->fix = dup_or_null(fix);
	r->elapsed_ms = 0;
	r->settings_digest = NULL;
	r->needs = SECRET_NONE;
	r->body_sha256 = NULL;
	r->at = NULL;
	return r;
}

enum check_verdict check_report_verdict(const struct check_report *rep)
{
	enum check_verdict v = VERDICT_NONE;

	for (size_t i = 0; i < rep->n; i++) {
		enum check_verdict one = check_status_verdict(rep->r[i].status);

		if (one > v)
			v = one;
	}
	return v;
}

/* ---- the settings a result was computed from ---- */

/* FNV-1a, 64 bits: this digest detects changed settings; it is not a
 * defence against someone who edits the state file (who could as well
 * write status = ok).  Every string ends with its NUL, so concatenations
 * cannot collide by shifting bytes. */
static void feed(uint64_t *h, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	do {
		*h = (*h ^ *p) * 1099511628211ULL;
	} while (*p++);
}

struct kvs {
	const char **k, **v;
	size_t n, cap;
};

static void kvs_add(void *ud, const char *key, const char *value)
{
	struct kvs *l = ud;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->k = xreallocarray(l->k, l->cap, sizeof *l->k);
		l->v = xreallocarray(l->v, l->cap, sizeof *l->v);
	}
	l->k[l->n] = key;
	l->v[l->n++] = value;
}

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* One section: present or not, then its keys in key order (the order of
 * lines in the file does not matter), empty values as absent (a cleared
 * form field is the same setting as a missing key).  With only_key, just
 * that key's value counts. */
static void feed_section(uint64_t *h, const struct doc *d, const char *kind, const char *name,
			 const char *only_key)
{
	struct kvs l = { 0 };
	size_t *order;

	feed(h, name ? "S" : "U");
	feed(h, kind);
	feed(h, name);
	if (!doc_each_key(d, kind, name, kvs_add, &l)) {
		/* For one key, a missing section is a missing key: ticking or
		 * marking its step creates the section and changes no setting. */
		if (!only_key)
			feed(h, "absent");
		return;
	}
	/* sort indexes by key */
	order = xcalloc(l.n ? l.n : 1, sizeof *order);
	for (size_t i = 0; i < l.n; i++)
		order[i] = i;
	for (size_t i = 1; i < l.n; i++)
		for (size_t j = i; j > 0 && strcmp(l.k[order[j - 1]], l.k[order[j]]) > 0; j--) {
			size_t t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (size_t i = 0; i < l.n; i++) {
		const char *k = l.k[order[i]], *v = l.v[order[i]];

		if (str_empty(v) || (only_key && !str_eq(k, only_key)))
			continue;
		feed(h, k);
		feed(h, v);
	}
	free(order);
	free(l.k);
	free(l.v);
}

char *check_info_digest(const struct check_info *info, const struct doc *d, const char *result_id)
{
	uint64_t h = 1469598103934665603ULL;
	const char *colon = strchr(result_id, ':');
	const char *item = colon ? colon + 1 : NULL;

	feed(&h, info->id);
	for (size_t i = 0; i < CHECK_MAX_DEPS && info->deps[i].kind; i++) {
		const struct check_dep *dep = &info->deps[i];

		feed(&h, "dep");
		if (dep->name) {
			feed_section(&h, d, dep->kind, dep->name, dep->key);
		} else if (dep->item && item) {
			feed_section(&h, d, dep->kind, item, dep->key);
		} else {
			size_t n;
			const char **names = doc_section_names(d, dep->kind, &n);

			if (doc_has_section(d, dep->kind, NULL))
				feed_section(&h, d, dep->kind, NULL, dep->key);
			if (n > 1)
				qsort(names, n, sizeof *names, cmp_strp);
			for (size_t k = 0; k < n; k++)
				feed_section(&h, d, dep->kind, names[k], dep->key);
			free(names);
		}
	}
	return xasprintf("%016llx", (unsigned long long)h);
}

char *check_settings_digest(const struct doc *d, const char *result_id)
{
	const struct check_info *info =
		check_info_of_result(doc_get(d, "osmigrate", NULL, "runbook"), result_id);

	return info ? check_info_digest(info, d, result_id) : NULL;
}

void check_report_stamp(struct check_report *rep, const struct doc *settings)
{
	for (size_t i = 0; i < rep->n; i++)
		if (!rep->r[i].settings_digest)
			rep->r[i].settings_digest = check_settings_digest(settings, rep->r[i].id);
}

enum check_freshness check_digest_freshness(const struct doc *d, const char *result_id,
					    const char *stored)
{
	char *now;
	enum check_freshness f;

	if (!check_info_of_result(doc_get(d, "osmigrate", NULL, "runbook"), result_id))
		return CHECK_UNKNOWN;
	if (str_empty(stored))
		return CHECK_UNTRACKED;
	now = check_settings_digest(d, result_id);
	f = str_eq(now, stored) ? CHECK_CURRENT : CHECK_STALE;
	free(now);
	return f;
}

const char *check_freshness_text(enum check_freshness f)
{
	switch (f) {
	case CHECK_CURRENT:
		return NULL;
	case CHECK_STALE:
		return "settings changed since this check ran: run it again";
	case CHECK_UNTRACKED:
		return "recorded before osmigrate tracked the settings of a check: run it again";
	case CHECK_UNKNOWN:
		return "a check this osmigrate does not know: run the checks again";
	}
	return "run the check again";
}

/* ---- stored results ---- */

/* The keys of a [check "ID"] section (state.c validates their values). */
#define K_STATUS "status"
#define K_AT "at"
#define K_LABEL "label"
#define K_SUMMARY "summary"
#define K_DETAIL "detail"
#define K_FIX "fix"
#define K_DIGEST "settings_digest"
#define K_NEEDS "needs"
#define K_CANCELLED "cancelled"
#define K_BODY "body_sha256"

void check_report_store(const struct check_report *rep, struct doc *d)
{
	check_report_store_run(rep, d, false);
}

size_t check_report_store_run(const struct check_report *rep, struct doc *d, bool cancelled)
{
	char now[OSM_ISO_LEN];
	size_t kept = 0;

	iso8601_now(now);
	for (size_t i = 0; i < rep->n; i++) {
		const struct check_result *r = &rep->r[i];
		char *dg;

		/* A cancelled run could not check: the last finished result
		 * stays (a cancelled re-run must never lift a gate). */
		if (cancelled && r->status == CHECK_ERROR && doc_has_section(d, "check", r->id)) {
			kept++;
			continue;
		}
		dg = r->settings_digest ? xstrdup(r->settings_digest)
					: check_settings_digest(d, r->id);

		doc_remove_section(d, "check", r->id);
		doc_add_section(d, "check", r->id);
		doc_set(d, "check", r->id, K_STATUS, check_status_key(r->status));
		/* Unknown to the table: no digest, so never current. */
		if (dg)
			doc_set(d, "check", r->id, K_DIGEST, dg);
		free(dg);
		doc_set(d, "check", r->id, K_AT, r->at ? r->at : now);
		doc_set(d, "check", r->id, K_LABEL, r->label);
		if (r->summary)
			doc_set(d, "check", r->id, K_SUMMARY, r->summary);
		if (r->detail)
			doc_set(d, "check", r->id, K_DETAIL, r->detail);
		if (r->fix)
			doc_set(d, "check", r->id, K_FIX, r->fix);
		if (secret_kind_key(r->needs))
			doc_set(d, "check", r->id, K_NEEDS, secret_kind_key(r->needs));
		if (cancelled && r->status == CHECK_ERROR)
			doc_set(d, "check", r->id, K_CANCELLED, "yes");
		if (r->body_sha256)
			doc_set(d, "check", r->id, K_BODY, r->body_sha256);
	}
	return kept;
}

/* Everything but the freshness (which costs a digest of the settings). */
static bool load_raw(const struct doc *d, const char *id, struct check_record *out)
{
	memset(out, 0, sizeof *out);
	out->status = CHECK_ERROR;
	if (!id || !doc_has_section(d, "check", id))
		return false;
	out->id = id;
	out->status_text = doc_get(d, "check", id, K_STATUS);
	out->status_known = check_status_parse(out->status_text, &out->status);
	if (!out->status_known)
		out->status = CHECK_ERROR;
	out->label = doc_get(d, "check", id, K_LABEL);
	out->at = doc_get(d, "check", id, K_AT);
	out->summary = doc_get(d, "check", id, K_SUMMARY);
	out->detail = doc_get(d, "check", id, K_DETAIL);
	out->fix = doc_get(d, "check", id, K_FIX);
	out->settings_digest = doc_get(d, "check", id, K_DIGEST);
	if (!secret_kind_parse(doc_get(d, "check", id, K_NEEDS), &out->needs))
		out->needs = SECRET_NONE;
	out->cancelled = str_eq(doc_get(d, "check", id, K_CANCELLED), "yes");
	out->body_sha256 = doc_get(d, "check", id, K_BODY);
	if (str_empty(out->body_sha256))
		out->body_sha256 = NULL;
	return true;
}

static void judge(const struct doc *d, struct check_record *rec)
{
	rec->freshness = check_digest_freshness(d, rec->id, rec->settings_digest);
	rec->stale_reason = check_freshness_text(rec->freshness);
	rec->verdict = rec->freshness == CHECK_CURRENT ? check_status_verdict(rec->status)
						       : VERDICT_STALE;
}

bool check_result_load(const struct doc *d, const char *id, struct check_record *out)
{
	if (!load_raw(d, id, out))
		return false;
	judge(d, out);
	return true;
}

bool check_result_passed(const struct doc *d, const char *id)
{
	struct check_record rec;

	return check_result_load(d, id, &rec) && rec.status_known && rec.verdict == VERDICT_OK;
}

/* Is [check "result_id"] a result of a check of step?  By its own id: a
 * before-ping (an alias, check_info_of_result) is not. */
static bool of_step(const char *runbook, const char *step, const char *result_id)
{
	char *id = xstrndup(result_id, strcspn(result_id, ":"));
	const struct check_info *info = check_info_find(runbook, id);

	free(id);
	return info && str_eq(info->step, step);
}

static void collect(const struct doc *d, const char *runbook, const char *step,
		    struct check_results *out)
{
	size_t ns = doc_nsections(d);

	out->r = xcalloc(ns + 1, sizeof *out->r);
	out->n = 0;
	for (size_t i = 0; i < ns; i++) {
		const char *id = doc_section_name(d, i);

		if (!id || !str_eq(doc_section_kind(d, i), "check"))
			continue;
		if (step && !of_step(runbook, step, id))
			continue;
		if (check_result_load(d, id, &out->r[out->n]))
			out->n++;
	}
}

void check_results_all(const struct doc *d, struct check_results *out)
{
	collect(d, NULL, NULL, out);
}

void check_results_for_step(const struct doc *d, const char *runbook, const char *step,
			    struct check_results *out)
{
	collect(d, runbook, step, out);
}

void check_results_free(struct check_results *rs)
{
	free(rs->r);
	rs->r = NULL;
	rs->n = 0;
}

enum check_verdict check_results_verdict(const struct check_results *rs)
{
	enum check_verdict v = VERDICT_NONE;

	for (size_t i = 0; i < rs->n; i++)
		if (rs->r[i].verdict > v)
			v = rs->r[i].verdict;
	return v;
}

bool check_step_failed(const struct doc *d, const char *runbook, const char *step)
{
	size_t ns = doc_nsections(d);

	/* FAILED is the worst verdict: one current FAILED result decides, and
	 * a result that did not fail cannot make it FAILED. */
	for (size_t i = 0; i < ns; i++) {
		const char *id = doc_section_name(d, i);
		struct check_record rec;

		if (!id || !str_eq(doc_section_kind(d, i), "check") || !of_step(runbook, step, id))
			continue;
		if (!load_raw(d, id, &rec) || rec.status != CHECK_FAILED || !rec.status_known)
			continue;
		judge(d, &rec);
		if (rec.verdict == VERDICT_FAILED)
			return true;
	}
	return false;
}

enum step_status check_step_shown_status(const struct state *st, const struct runbook *rb,
					 const struct rb_step *s)
{
	enum step_status ss = state_step_status(st, s->id);

	if ((ss == STEP_PENDING || ss == STEP_IN_PROGRESS) &&
	    check_step_failed(st->doc, rb->id, s->id))
		return STEP_FAILED;
	return ss;
}
