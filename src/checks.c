/* checks.c - the check registry and runner (see check.h).
 *
 * To add a check: write its function in the module that owns the subject
 * (pg, http, endpoint, types, compare), declare it in that module's header,
 * and add one row to check_defs[] below, in the order the runbook runs them. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "compare.h"
#include "endpoint.h"
#include "httpcheck.h"
#include "pgcheck.h"
#include "typescan.h"
#include "util.h"

const struct check_def check_defs[] = {
	/* id, runbook, step, label, function */
	{ "endpoint_old", "endpoint-change", "endpoints", "old database endpoint", check_endpoint_old },
	{ "endpoint_new", "endpoint-change", "endpoints", "new database endpoint", check_endpoint_new },
	{ "endpoint_new", "restore-database", "prepare", "new database server", check_endpoint_new },
	{ "clone_compare", "restore-database", "verify", "clone of the old database", check_clone_compare },
	{ "platform_version", "connector-migration", "prerequisites", "Platform Server version of every environment", check_platform_version },
	{ "pg_version", "connector-migration", "prerequisites", "PostgreSQL server version against the support table", check_pg_version },
	{ "target_connect", "connector-migration", "connection", "connection to the target database", check_target_connect },
	{ "target_privileges", "connector-migration", "connection", "privileges on the schemas and tables in scope", check_target_privileges },
	{ "source_connect", "connector-migration", "connection", "connection to the source (ardoPostgreSQL) database", check_source_connect },
	{ "ardo_sessions", "connector-migration", "connection", "sessions still using ardoPostgreSQL", check_ardo_sessions },
	{ "tables_accessible", "connector-migration", "refresh", "extension tables accessible through the target", check_tables_accessible },
	{ "lifetime_consistency", "connector-migration", "republish", "applications consistent in LifeTime", check_lifetime_consistency },
	{ "type_verification", "connector-migration", "types", "column types and stored values under both connectors", check_type_verification },
	{ "consumer_ping", "connector-migration", "consumers", "consumer modules' _ping.html", check_consumer_ping },
	{ "lifetime_environments", "connector-migration", "deploy", "environments to deploy to (LifeTime)", check_lifetime_environments },
	{ "server_ping", "endpoint-change", "servers", "application servers' _ping.html", check_server_ping },
	{ "server_ping", "restore-database", "servers", "application servers' _ping.html", check_server_ping },
	{ NULL, NULL, NULL, NULL, NULL },
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
		for (size_t k = before; k < rep->n; k++)
			if (!rep->r[k].elapsed_ms)
				rep->r[k].elapsed_ms = mono_ms() - t0;
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
