/* checks.c - the check table and runner (see check.h).
 *
 * To add a check: write its function in the module that owns the subject
 * (pg, http, endpoint, types, compare), declare it in that module's header,
 * and add one row to check_defs[] below, in the order the runbook runs them. */
#include "config.h"

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
				rep->r[k].settings_digest = check_def_digest(d, env->settings,
										     rep->r[k].id);
		}
	}
}
