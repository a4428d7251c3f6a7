/* checklist.c - the checks of each runbook step as data (checklist.h).
 *
 * To add a check: one row here, in the order the runbook runs them, naming
 * what it reads; its function in the checks family file of its subject
 * (src/checks/), bound to its id in check_defs[] (src/checks/checks.c). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "checklist.h"
#include "util.h"

/* What each check reads (struct check_dep): a result stays current only as
 * long as these settings do not change.  Whole sections unless a key is
 * named; ITEM: the result's own item section (all of them for a result
 * without an item). */
#define DEP(kind) { (kind), NULL, NULL, false }
#define DEP_ITEM(kind) { (kind), NULL, NULL, true }
#define DEP_PLATFORM_VERSION { "step", "prerequisites", "field.platform_version", false }

const struct check_info check_infos[] = {
	/* id, runbook, step, label, what it reads */
	/* one result per database: endpoint_old:platform, endpoint_new:log ... */
	{ "endpoint_old", "endpoint-change", "endpoints", "old database addresses",
	  { DEP_ITEM("endpoint") } },
	{ "endpoint_new", "endpoint-change", "endpoints", "new database addresses",
	  { DEP_ITEM("endpoint") } },
	{ "endpoint_new", "restore-database", "prepare", "new database server",
	  { DEP_ITEM("endpoint") } },
	{ "server_stopped", "restore-database", "stop", "application servers stopped (_ping.html)",
	  { DEP("http"), DEP_ITEM("server") } },
	{ "services_stopped", "restore-database", "stop", "OutSystems services stopped (their ports)",
	  { DEP("services"), DEP_ITEM("server") } },
	/* [lifetime] only picks the query an error result shows: not a
	 * dependency (changing it must not re-lock decommission). */
	{ "clone_compare", "restore-database", "verify", "clone of the old database",
	  { DEP("compare") } },
	{ "platform_version", "connector-migration", "prerequisites", "Platform Server version of every environment",
	  { DEP("lifetime"), DEP("http"), DEP_PLATFORM_VERSION } },
	{ "pg_version", "connector-migration", "prerequisites", "PostgreSQL server version against the support table",
	  { DEP("target"), DEP_PLATFORM_VERSION, DEP("lifetime"), DEP("http"), DEP("pg_support") } },
	{ "target_connect", "connector-migration", "connection", "connection to the target database",
	  { DEP("target") } },
	{ "target_privileges", "connector-migration", "connection", "privileges on the schemas and tables in scope",
	  { DEP("target"), DEP("scope"), DEP("extension") } },
	{ "source_connect", "connector-migration", "connection", "connection to the source (ardoPostgreSQL) database",
	  { DEP("source") } },
	{ "ardo_sessions", "connector-migration", "connection", "sessions named ardoPGSQL (ardo's basic connection form)",
	  { DEP("source"), DEP("target") } },
	{ "lifetime_dbconnections", "connector-migration", "connection",
	  "database connections of every environment (LifeTime)",
	  { DEP("lifetime"), DEP("http"), DEP("dbconnection") } },
	{ "consumer_ping_before", "connector-migration", "connection", "consumer modules' _ping.html before the rebind",
	  { DEP("http"), DEP_ITEM("consumer") } },
	{ "tables_accessible", "connector-migration", "refresh", "extension tables accessible through the target",
	  { DEP("target"), DEP_ITEM("extension") } },
	{ "lifetime_consistency", "connector-migration", "republish", "applications consistent in LifeTime",
	  { DEP("lifetime"), DEP("http") } },
	{ "consumer_republished", "connector-migration", "republish", "consumer modules republished (_ping.html changed)",
	  { DEP("http"), DEP_ITEM("consumer") } },
	{ "type_verification", "connector-migration", "type_scan", "column types and stored values under both connectors",
	  { DEP("target"), DEP("scope"), DEP_ITEM("extension") } },
	{ "consumer_ping", "connector-migration", "consumers", "consumer modules' _ping.html",
	  { DEP("http"), DEP_ITEM("consumer") } },
	{ "lifetime_environments", "connector-migration", "deploy", "environments to deploy to (LifeTime)",
	  { DEP("lifetime"), DEP("http"), DEP("environment") } },
	{ "deploy_connection", "connector-migration", "deploy",
	  "supported connection in every target environment (LifeTime)",
	  { DEP("lifetime"), DEP("http"), DEP_ITEM("environment"), DEP("dbconnection") } },
	{ "deploy_mappings", "connector-migration", "deploy",
	  "extension logical databases mapped in the deployments (LifeTime)",
	  { DEP("lifetime"), DEP("http"), DEP_ITEM("environment") } },
	{ "server_ping", "endpoint-change", "servers", "application servers' _ping.html",
	  { DEP("http"), DEP_ITEM("server") } },
	{ "services_running", "endpoint-change", "servers", "OutSystems services running (their ports)",
	  { DEP("services"), DEP_ITEM("server") } },
	{ "server_ping", "restore-database", "servers", "application servers' _ping.html",
	  { DEP("http"), DEP_ITEM("server") } },
	{ "services_running", "restore-database", "servers", "OutSystems services running (their ports)",
	  { DEP("services"), DEP_ITEM("server") } },
	{ "server_republished", "endpoint-change", "republish", "modules republished (_ping.html changed)",
	  { DEP("http"), DEP_ITEM("server") } },
	{ "server_republished", "restore-database", "republish", "modules republished (_ping.html changed)",
	  { DEP("http"), DEP_ITEM("server") } },
	{ NULL, NULL, NULL, NULL, { { NULL, NULL, NULL, false } } },
};
const size_t n_check_infos = OSM_ARRAY_LEN(check_infos) - 1;

const struct check_info *check_info_find(const char *runbook, const char *id)
{
	for (size_t i = 0; i < n_check_infos; i++)
		if (str_eq(check_infos[i].id, id) && (!runbook || str_eq(check_infos[i].runbook, runbook)))
			return &check_infos[i];
	return NULL;
}

/* Results stored under an id of their own that another check computed. */
static const struct { const char *id, *computed_by; } result_aliases[] = {
	{ "server_ping_before", "server_ping" }, /* the wizard's ping before a reconfiguration */
};

const struct check_info *check_info_of_result(const char *runbook, const char *result_id)
{
	size_t n = strcspn(result_id, ":");
	char *id = xstrndup(result_id, n);
	const struct check_info *info;

	for (size_t i = 0; i < OSM_ARRAY_LEN(result_aliases); i++)
		if (str_eq(id, result_aliases[i].id)) {
			free(id);
			id = xstrdup(result_aliases[i].computed_by);
			break;
		}
	info = runbook ? check_info_find(runbook, id) : NULL;
	if (!info)
		info = check_info_find(NULL, id);
	free(id);
	return info;
}
