/* checks.c - the check registry and runner (see check.h).
 *
 * To add a check: write its function in the module that owns the subject
 * (pg, http, endpoint, types, compare), declare it in that module's header,
 * and add one row to check_defs[] below, in the order the runbook runs them. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "compare.h"
#include "endpoint.h"
#include "httpcheck.h"
#include "pgcheck.h"
#include "typescan.h"
#include "util.h"

/* What each check reads (struct check_dep): a result stays current only as
 * long as these settings do not change.  Whole sections unless a key is
 * named; ITEM: the result's own item section (all of them for a result
 * without an item). */
#define DEP(kind) { (kind), NULL, NULL, false }
#define DEP_ITEM(kind) { (kind), NULL, NULL, true }
#define DEP_PLATFORM_VERSION { "step", "prerequisites", "field.platform_version", false }

const struct check_def check_defs[] = {
	/* id, runbook, step, label, function, what it reads */
	{ "endpoint_old", "endpoint-change", "endpoints", "old database endpoint", check_endpoint_old,
	  { DEP("endpoint") } },
	{ "endpoint_new", "endpoint-change", "endpoints", "new database endpoint", check_endpoint_new,
	  { DEP("endpoint") } },
	{ "endpoint_new", "restore-database", "prepare", "new database server", check_endpoint_new,
	  { DEP("endpoint") } },
	{ "clone_compare", "restore-database", "verify", "clone of the old database", check_clone_compare,
	  { DEP("compare") } },
	{ "platform_version", "connector-migration", "prerequisites", "Platform Server version of every environment", check_platform_version,
	  { DEP("lifetime"), DEP("http"), DEP_PLATFORM_VERSION } },
	{ "pg_version", "connector-migration", "prerequisites", "PostgreSQL server version against the support table", check_pg_version,
	  { DEP("target"), DEP_PLATFORM_VERSION } },
	{ "target_connect", "connector-migration", "connection", "connection to the target database", check_target_connect,
	  { DEP("target") } },
	{ "target_privileges", "connector-migration", "connection", "privileges on the schemas and tables in scope", check_target_privileges,
	  { DEP("target"), DEP("scope"), DEP("extension") } },
	{ "source_connect", "connector-migration", "connection", "connection to the source (ardoPostgreSQL) database", check_source_connect,
	  { DEP("source") } },
	{ "ardo_sessions", "connector-migration", "connection", "sessions still using ardoPostgreSQL", check_ardo_sessions,
	  { DEP("source"), DEP("target") } },
	{ "tables_accessible", "connector-migration", "refresh", "extension tables accessible through the target", check_tables_accessible,
	  { DEP("target"), DEP_ITEM("extension") } },
	{ "lifetime_consistency", "connector-migration", "republish", "applications consistent in LifeTime", check_lifetime_consistency,
	  { DEP("lifetime"), DEP("http") } },
	{ "type_verification", "connector-migration", "types", "column types and stored values under both connectors", check_type_verification,
	  { DEP("target"), DEP("scope"), DEP_ITEM("extension") } },
	{ "consumer_ping", "connector-migration", "consumers", "consumer modules' _ping.html", check_consumer_ping,
	  { DEP("http"), DEP_ITEM("consumer") } },
	{ "lifetime_environments", "connector-migration", "deploy", "environments to deploy to (LifeTime)", check_lifetime_environments,
	  { DEP("lifetime"), DEP("http"), DEP("environment") } },
	{ "server_ping", "endpoint-change", "servers", "application servers' _ping.html", check_server_ping,
	  { DEP("http"), DEP_ITEM("server") } },
	{ "server_ping", "restore-database", "servers", "application servers' _ping.html", check_server_ping,
	  { DEP("http"), DEP_ITEM("server") } },
	{ NULL, NULL, NULL, NULL, NULL, { { NULL, NULL, NULL, false } } },
};
const size_t n_check_defs = OSM_ARRAY_LEN(check_defs) - 1;

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
	return r;
}

enum check_status check_report_worst(const struct check_report *rep)
{
	enum check_status worst = CHECK_OK;

	/* Severity order for the exit code: error (could not check) ranks above
	 * failed only when nothing failed; see cmd_check for the mapping. */
	for (size_t i = 0; i < rep->n; i++)
		if (rep->r[i].status > worst)
			worst = rep->r[i].status;
	return worst;
}

const struct check_def *check_find(const char *runbook, const char *id)
{
	for (size_t i = 0; i < n_check_defs; i++)
		if (str_eq(check_defs[i].id, id) && (!runbook || str_eq(check_defs[i].runbook, runbook)))
			return &check_defs[i];
	return NULL;
}

/* ---- results and the settings they were computed from ---- */

/* Results stored under an id of their own that another check computed. */
static const struct { const char *id, *computed_by; } result_aliases[] = {
	{ "server_ping_before", "server_ping" }, /* the wizard's ping before a reconfiguration */
};

const struct check_def *check_def_of_result(const char *runbook, const char *result_id)
{
	size_t n = strcspn(result_id, ":");
	char *id = xstrndup(result_id, n);
	const struct check_def *def;

	for (size_t i = 0; i < OSM_ARRAY_LEN(result_aliases); i++)
		if (str_eq(id, result_aliases[i].id)) {
			free(id);
			id = xstrdup(result_aliases[i].computed_by);
			break;
		}
	def = runbook ? check_find(runbook, id) : NULL;
	if (!def)
		def = check_find(NULL, id);
	free(id);
	return def;
}

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
 * form field is the same setting as a missing key). */
static void feed_section(uint64_t *h, const struct doc *d, const char *kind, const char *name,
			 const char *only_key)
{
	struct kvs l = { 0 };
	size_t *order;

	feed(h, name ? "S" : "U");
	feed(h, kind);
	feed(h, name);
	if (!doc_each_key(d, kind, name, kvs_add, &l)) {
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

static char *digest_for(const struct check_def *def, const struct doc *d, const char *result_id)
{
	uint64_t h = 1469598103934665603ULL;
	const char *colon = strchr(result_id, ':');
	const char *item = colon ? colon + 1 : NULL;

	feed(&h, def->id);
	for (size_t i = 0; i < CHECK_MAX_DEPS && def->deps[i].kind; i++) {
		const struct check_dep *dep = &def->deps[i];

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
	const struct check_def *def =
		check_def_of_result(doc_get(d, "osmigrate", NULL, "runbook"), result_id);

	return def ? digest_for(def, d, result_id) : NULL;
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

	if (!check_def_of_result(doc_get(d, "osmigrate", NULL, "runbook"), result_id))
		return CHECK_UNKNOWN;
	if (str_empty(stored))
		return CHECK_UNTRACKED;
	now = check_settings_digest(d, result_id);
	f = str_eq(now, stored) ? CHECK_CURRENT : CHECK_STALE;
	free(now);
	return f;
}

enum check_freshness check_result_freshness(const struct doc *d, const char *id)
{
	return check_digest_freshness(d, id, doc_get(d, "check", id, "settings_digest"));
}

bool check_result_is_stale(const struct doc *d, const char *id)
{
	return check_result_freshness(d, id) != CHECK_CURRENT;
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

bool check_record_load(const struct doc *d, const char *id, struct check_record *out)
{
	memset(out, 0, sizeof *out);
	out->status = CHECK_ERROR;
	if (!id || !doc_has_section(d, "check", id))
		return false;
	out->id = id;
	out->status_text = doc_get(d, "check", id, "status");
	out->status_known = check_status_parse(out->status_text, &out->status);
	if (!out->status_known)
		out->status = CHECK_ERROR;
	out->label = doc_get(d, "check", id, "label");
	out->at = doc_get(d, "check", id, "at");
	out->summary = doc_get(d, "check", id, "summary");
	out->detail = doc_get(d, "check", id, "detail");
	out->fix = doc_get(d, "check", id, "fix");
	out->freshness = check_result_freshness(d, id);
	return true;
}

bool check_result_passed(const struct doc *d, const char *id)
{
	struct check_record rec;

	return check_record_load(d, id, &rec) && rec.status_known && rec.status == CHECK_OK &&
	       rec.freshness == CHECK_CURRENT;
}

void checks_run(const char *runbook, const char *step, const struct check_env *env,
		struct check_report *rep)
{
	for (size_t i = 0; i < n_check_defs; i++) {
		const struct check_def *d = &check_defs[i];
		size_t before = rep->n;
		long long t0;

		if (!str_eq(d->runbook, runbook) || (step && !str_eq(d->step, step)))
			continue;
		if (ctx_cancelled(env->ctx)) {
			check_add(rep, d->id, d->label, CHECK_ERROR, "cancelled", NULL,
				  "The check was cancelled before it ran: run it again.");
			continue;
		}
		ctx_progress(env->ctx, d->label, 0, 0);
		t0 = mono_ms();
		d->fn(env, rep);
		for (size_t k = before; k < rep->n; k++) {
			if (!rep->r[k].elapsed_ms)
				rep->r[k].elapsed_ms = mono_ms() - t0;
			if (!rep->r[k].settings_digest)
				rep->r[k].settings_digest = digest_for(d, env->settings,
								       rep->r[k].id);
		}
	}
}

void check_report_store(const struct check_report *rep, struct doc *d)
{
	char now[OSM_ISO_LEN];

	iso8601_now(now);
	for (size_t i = 0; i < rep->n; i++) {
		const struct check_result *r = &rep->r[i];

		doc_remove_section(d, "check", r->id);
		doc_add_section(d, "check", r->id);
		doc_set(d, "check", r->id, "status", check_status_key(r->status));
		{
			char *dg = r->settings_digest ? xstrdup(r->settings_digest)
						      : check_settings_digest(d, r->id);

			/* Unknown to the table: no digest, so never current. */
			if (dg)
				doc_set(d, "check", r->id, "settings_digest", dg);
			free(dg);
		}
		doc_set(d, "check", r->id, "at", now);
		doc_set(d, "check", r->id, "label", r->label);
		if (r->summary)
			doc_set(d, "check", r->id, "summary", r->summary);
		if (r->detail)
			doc_set(d, "check", r->id, "detail", r->detail);
		if (r->fix)
			doc_set(d, "check", r->id, "fix", r->fix);
	}
}
