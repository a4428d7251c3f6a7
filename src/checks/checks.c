/* checks.c - the checks' functions and the runner (see check.h).
 *
 * To add a check: its row in the catalogue (src/core/checklist.c: runbook,
 * step, label, what it reads); its function in the family file of its
 * subject (pg, http, endpoint, clone, types), declared in that family's
 * header; and one row below binding the id to the function. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "clonecheck.h"
#include "endpointcheck.h"
#include "httpcheck.h"
#include "pgcheck.h"
#include "servicecheck.h"
#include "typecheck.h"
#include "util.h"

const struct check_def check_defs[] = {
	{ "endpoint_old", check_endpoint_old },
	{ "endpoint_new", check_endpoint_new },
	{ "clone_compare", check_clone_compare },
	{ "platform_version", check_platform_version },
	{ "pg_version", check_pg_version },
	{ "target_connect", check_target_connect },
	{ "target_privileges", check_target_privileges },
	{ "source_connect", check_source_connect },
	{ "ardo_sessions", check_ardo_sessions },
	{ "lifetime_dbconnections", check_lifetime_dbconnections },
	{ "tables_accessible", check_tables_accessible },
	{ "lifetime_consistency", check_lifetime_consistency },
	{ "type_verification", check_type_verification },
	{ "consumer_ping", check_consumer_ping },
	{ "lifetime_environments", check_lifetime_environments },
	{ "deploy_connection", check_deploy_connection },
	{ "deploy_mappings", check_deploy_mappings },
	{ "server_ping", check_server_ping },
	{ "consumer_ping_before", check_consumer_ping_before },
	{ "consumer_republished", check_consumer_republished },
	{ "server_republished", check_server_republished },
	{ "server_stopped", check_server_stopped },
	{ "services_running", check_services },
	{ "services_stopped", check_services },
	{ NULL, NULL },
};
const size_t n_check_defs = OSM_ARRAY_LEN(check_defs) - 1;

static const struct check_def *def_of(const char *id)
{
	for (size_t i = 0; i < n_check_defs; i++)
		if (str_eq(check_defs[i].id, id))
			return &check_defs[i];
	return NULL;
}

const struct check_def *check_find(const char *runbook, const char *id)
{
	return check_info_find(runbook, id) ? def_of(id) : NULL;
}

void checks_run(const char *runbook, const char *step, const struct check_env *env,
		struct check_report *rep)
{
	for (size_t i = 0; i < n_check_infos; i++) {
		const struct check_info *c = &check_infos[i];
		const struct check_def *d;
		size_t before = rep->n;
		long long t0;
		struct check_env at = *env;

		if (!str_eq(c->runbook, runbook) || (step && !str_eq(c->step, step)))
			continue;
		if (ctx_cancelled(env->ctx)) {
			check_add(rep, c->id, c->label, CHECK_ERROR, "cancelled", NULL,
				  "The check was cancelled before it ran: run it again.");
			continue;
		}
		if (!(d = def_of(c->id))) {
			/* test_checks holds the two tables together; never "ok". */
			check_add(rep, c->id, c->label, CHECK_ERROR,
				  "could not check: this osmigrate has no function for the check", NULL,
				  "Report this as a bug in osmigrate.");
			continue;
		}
		ctx_progress(env->ctx, c->label, 0, 0);
		t0 = mono_ms();
		at.runbook = c->runbook;
		at.step = c->step;
		d->fn(&at, rep);
		for (size_t k = before; k < rep->n; k++) {
			if (!rep->r[k].elapsed_ms)
				rep->r[k].elapsed_ms = mono_ms() - t0;
			if (!rep->r[k].settings_digest)
				rep->r[k].settings_digest = check_info_digest(c, env->settings,
										      rep->r[k].id);
		}
	}
}
